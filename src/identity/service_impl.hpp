#pragma once
// The state and the storage helpers shared by the parts of IdentityService (accounts.cpp,
// login.cpp, organizations.cpp, admin.cpp). Private to identity.
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "password.hpp"
#include "vt/core/actor.hpp"
#include "vt/identity/identity.hpp"
#include "vt/identity/policy.hpp"
#include "vt/store/store.hpp"

namespace vt::identity {

using store::Tx;
using store::Value;
using TimePoint = std::chrono::system_clock::time_point;

/// An account row with the secrets that never leave the module.
struct AccountRecord {
    Account account;
    std::string password_hash;
    std::string totp_secret;   // hex; empty when none
    std::string totp_pending;  // hex; empty when none
    std::optional<std::int64_t> totp_last_step;
};

/// One entry of the security record (security_events), audited unless told otherwise.
struct SecurityEvent {
    std::string kind;     // "login.failed", "account.roles_changed", ...
    std::string actor;    // audit name of who caused it
    std::string account;  // the account concerned, if any
    std::string object_type = "account";
    std::string object_id;  // defaults to `account`
    std::string address;
    boost::json::object detail;
    bool audited = true;
};

enum class TokenPurpose { kVerification, kReset };

struct IdentityService::Impl {
    Impl(store::Store& s, const core::Clock& c, MailSink& m, IdentityOptions o);

    store::Store& store;
    const core::Clock& clock;
    MailSink& mail;
    IdentityOptions options;
    internal::PasswordHasher hasher;

    TimePoint Now() const { return clock.Now(); }

    /// The account whose `column` ("id", "cui", "email") equals `value`, with its roles and
    /// (for citizens) memberships; nullopt when none.
    Result<std::optional<AccountRecord>> FindAccount(Tx& tx, std::string_view column,
                                                     const std::string& value) const;

    /// Writes `event` to security_events and, when audited, to the audit log.
    Status Record(Tx& tx, SecurityEvent event) const;

    /// Creates a single-use token for `account_id` valid for `ttl`; returns the token text.
    Result<std::string> IssueToken(Tx& tx, const std::string& account_id, TokenPurpose purpose,
                                   std::chrono::seconds ttl) const;

    /// Marks the token used when it is unused, unexpired and of `purpose`, atomically (two
    /// concurrent uses: one wins). Returns its account id. Errors: kInvalid "token-invalid".
    Result<std::string> ConsumeToken(Tx& tx, std::string_view token, TokenPurpose purpose) const;

    /// The account id of a usable token without consuming it. Errors: as ConsumeToken.
    Result<std::string> PeekToken(Tx& tx, std::string_view token, TokenPurpose purpose) const;

    /// Queues a mail inside `tx`.
    Status Mail(Tx& tx, const std::string& to, std::string subject, std::string text,
                std::string kind) const;

    /// Creates an official or administrator without a password and mails the link that
    /// sets it (CreateOfficial, CreateAdministrator); returns the id and the link.
    Result<NewStaffAccount> CreateStaff(const core::Actor& actor, AccountKind kind,
                                    std::string_view email, std::string_view name,
                                    const std::string& office,
                                    const std::vector<std::string>& roles);

    /// The actor an account acts as (no organization chosen).
    static core::Actor ActorOf(const Account& account);

    /// A new opaque account id.
    static std::string NewAccountId();
};

/// Database spellings.
std::string_view KindColumn(AccountKind kind);
std::optional<AccountKind> KindFromColumn(std::string_view text);

Error TokenInvalid();

}  // namespace vt::identity
