#pragma once
// Adapters that plug one module into another's port, shared by the server and the
// administration commands.
#include <string>
#include <string_view>
#include <vector>

#include "vt/cases/cases.hpp"
#include "vt/core/clock.hpp"
#include "vt/documents/documents.hpp"
#include "vt/identity/identity.hpp"
#include "vt/notify/notify.hpp"

namespace vt::app {

/// Identity's mail goes through the transactional outbox: queued in the caller's
/// transaction, delivered by the outbox worker of a running server. `clock` must outlive it.
class OutboxMailSink final : public identity::MailSink {
public:
    explicit OutboxMailSink(const core::Clock& clock) : clock_(clock) {}
    Status Enqueue(store::Tx& tx, const identity::MailMessage& m) override {
        return notify::Enqueue(tx, notify::Email{m.to, m.subject, m.text, "", ""},
                               core::FormatUtc(clock_.Now()));
    }

private:
    const core::Clock& clock_;
};

/// Identity's roster of officials, as the cases module's port. `identity` must outlive it.
class IdentityOfficials final : public cases::OfficialDirectory {
public:
    explicit IdentityOfficials(const identity::IdentityService& identity) : identity_(identity) {}
    std::vector<std::string> OfficialsOf(std::string_view office) const override {
        return identity_.OfficialsOf(office);
    }

private:
    const identity::IdentityService& identity_;
};

/// Identity's names of officials, as the documents module's port (for the signed PDF and
/// the published keys). `identity` must outlive it.
class IdentityOfficialNames final : public documents::OfficialNames {
public:
    explicit IdentityOfficialNames(identity::IdentityService& identity) : identity_(identity) {}
    Result<std::string> NameOf(std::string_view account_id) const override {
        // The server itself looks the name up: signing is authorized by the documents module.
        VT_ASSIGN_OR_RETURN(identity::Account a,
                            identity_.GetStaff(core::Actor::System(), std::string(account_id)));
        return a.name;
    }

private:
    identity::IdentityService& identity_;
};

}  // namespace vt::app
