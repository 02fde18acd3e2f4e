#pragma once
// `ventanilla admin ...`: the back office on the command line. It bootstraps the first
// administrator of a fresh install and manages offices, officials and API tokens, acting
// as core::Actor::System() (audited as "sistema"). It works while the server runs.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "vt/app/config.hpp"
#include "vt/identity/identity.hpp"

namespace vt::app {

class AdminCommand {
public:
    /// Adds the `admin` sub-command and its own sub-commands to `cli`:
    ///
    ///   admin bootstrap --email E --name N          (password: one line on standard input)
    ///   admin office create CODE --name N [--municipio DDMM]
    ///   admin office list
    ///   admin official create --email E --name N --office O --roles r1,r2
    ///   admin official list
    ///   admin official roles ID --office O --roles r1,r2
    ///   admin official disable ID | enable ID | reset-2fa ID
    ///   admin token create --client NAME --scopes s1,s2 [--expires YYYY-MM-DD]
    ///   admin token revoke ID
    ///   admin token list
    ///
    /// REQUIRES: this object outlives the parsing of `cli`.
    explicit AdminCommand(CLI::App& cli);
    AdminCommand(const AdminCommand&) = delete;
    AdminCommand& operator=(const AdminCommand&) = delete;

    /// Whether the sub-command was given.
    bool parsed() const { return command_->parsed(); }

    /// Opens the configured database (creating it on a fresh install), applies pending
    /// migrations, and runs the sub-command with the outbox as the mail sink. Never loads
    /// demonstration data. Returns 0 on success, 1 when the command failed (conflict, not
    /// found, database), 2 when the input is wrong; messages go to `err`, results to `out`.
    int Run(const Config& config, std::istream& in, std::ostream& out, std::ostream& err) const;

    /// Runs the sub-command against `identity` (Run() without the database setup).
    /// `in` is read only by `bootstrap`, for the password.
    int Execute(identity::IdentityService& identity, std::istream& in, std::ostream& out,
                std::ostream& err) const;

private:
    CLI::App* command_;
    CLI::App* bootstrap_;
    CLI::App* office_create_;
    CLI::App* office_list_;
    CLI::App* official_create_;
    CLI::App* official_list_;
    CLI::App* official_roles_;
    CLI::App* official_disable_;
    CLI::App* official_enable_;
    CLI::App* official_reset_2fa_;
    CLI::App* token_create_;
    CLI::App* token_revoke_;
    CLI::App* token_list_;

    std::string email_, name_, office_, municipio_ = "0101", code_, id_, client_, expires_;
    std::vector<std::string> roles_, scopes_;
};

}  // namespace vt::app
