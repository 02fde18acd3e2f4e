#pragma once
// `ventanilla sanciones ...`: the firm sanctions for faltas de trabajo that the ministry
// records in this system (sanctions::LocalSanctions), acting as core::Actor::System()
// (audited as "sistema"). It works while the server runs.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "vt/app/config.hpp"
#include "vt/sanctions/sanctions.hpp"

namespace vt::app {

class SanctionsCommand {
public:
    /// Adds to `cli`:
    ///   sanciones registrar --nit N --expediente E --descripcion D --monto Q --firme-desde AAAA-MM-DD
    ///   sanciones solventar --nit N --expediente E --nota TEXTO
    ///   sanciones consultar --nit N     (this table and, when configured, the registry)
    /// REQUIRES: this object outlives the parsing of `cli`.
    explicit SanctionsCommand(CLI::App& cli);
    SanctionsCommand(const SanctionsCommand&) = delete;
    SanctionsCommand& operator=(const SanctionsCommand&) = delete;

    bool parsed() const { return command_->parsed(); }

    /// Opens the configured database (applying pending migrations) and runs the
    /// sub-command. Returns 0 on success, 1 when it failed (conflict, not found, database,
    /// registry unreachable), 2 on bad input; messages to `err`, results to `out`.
    int Run(const Config& config, std::ostream& out, std::ostream& err) const;

    /// Runs the sub-command on `local`, asking `all` for consultar.
    int Execute(sanctions::LocalSanctions& local, const sanctions::SanctionsRegistry& all, std::ostream& out,
                std::ostream& err) const;

private:
    CLI::App* command_;
    CLI::App* record_;
    CLI::App* settle_;
    CLI::App* query_;
    std::string nit_, reference_, description_, amount_, firm_on_, note_;
};

}  // namespace vt::app
