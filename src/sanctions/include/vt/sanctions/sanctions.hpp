#pragma once
/// Firm sanctions for faltas de trabajo y previsión social (Código de Trabajo Arts. 269 to
/// 272; Acuerdo Gubernativo 33-2023): whether a NIT has sanctions that are firm and still
/// pending (unpaid, or the breach not corrected), which is what a solvencia certifies.
///
/// Two sources answer, behind one port (SanctionsRegistry):
///   - the Registro de Faltas de Trabajo y Previsión Social, another system reached over
///     HTTP (HttpSanctionsRegistry; its protocol is described below), when configured;
///   - the firm sanctions the ministry records in this system itself (LocalSanctions, table
///     firm_sanctions), each change with its audit entry in the same transaction.
/// CombinedSanctions asks both. NoFirmSanctionsCheck turns the answer into the automatic
/// check "sin_sanciones_firmes" of the case engine (cases::AutomaticCheck), so a trámite
/// definition can issue a solvencia by itself when there is nothing pending.
///
/// The registry protocol (version 1). The client sends
///   GET <base_url>/sanciones?nit=<canonical NIT, e.g. 576937-K>
///   Accept: application/json
///   Authorization: Bearer <token>            (when a token is configured)
/// and expects 200 with
///   {"nit": "576937-K", "sanciones": [{"expediente": "IGT-123-2025", "descripcion": "...",
///     "monto_centavos": 500000, "firme_desde": "2025-03-14", "estado": "pendiente"}]}
/// where only firm sanctions are listed and "estado" is "pendiente" or "solventada". An
/// unknown NIT is 200 with an empty list. Any other answer (another status, a body that
/// is not that shape, a different "nit", more than max_response_bytes, no answer within
/// the timeout) means the registry could not answer: never "no sanctions".

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vt/audit/verify.hpp"
#include "vt/cases/cases.hpp"
#include "vt/core/actor.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::sanctions {

struct Sanction {
    std::string nit;          ///< Canonical "cuerpo-V".
    std::string reference;    ///< File or resolution that imposed it ("expediente").
    std::string description;
    std::int64_t amount_centavos = 0;
    std::string firm_on;      ///< "YYYY-MM-DD": the day it became firm.
    bool pending = true;      ///< Not paid, or the breach not corrected.
    std::string source;       ///< "registro" (HTTP registry) or "ministerio" (local table).
};

/// Port: the firm sanctions of a NIT.
class SanctionsRegistry {
public:
    virtual ~SanctionsRegistry() = default;
    /// The firm sanctions recorded for `nit` (canonical), pending or settled.
    /// Errors: kInvalid (not a NIT); kUnavailable (code "sanctions-registry-unavailable")
    /// when the source cannot answer. Thread-safe; may block up to the source's timeout.
    [[nodiscard]] virtual Result<std::vector<Sanction>> FirmSanctions(std::string_view nit) const = 0;
};

struct HttpRegistryOptions {
    /// Base URL of the Registro de Faltas service, e.g. "https://registro.example/api/v1";
    /// requests go to <base_url>/sanciones. Must be http or https.
    std::string base_url;
    /// Bearer token sent in Authorization; empty sends none. A secret.
    std::string token;
    /// Whole-request time limit (connect included). Default 5 s.
    std::chrono::milliseconds timeout{5000};
    /// Largest response body accepted. Default 1 MiB.
    std::int64_t max_response_bytes = 1 << 20;
};

/// Ok, or kInvalid with fields "registry_url" (not an http or https URL without query or
/// fragment), "timeout_ms", "max_response_bytes".
[[nodiscard]] Status ValidateHttpRegistryOptions(const HttpRegistryOptions& options);

/// The registry over HTTP (libcurl). Thread-safe: each call uses its own handle.
class HttpSanctionsRegistry final : public SanctionsRegistry {
public:
    explicit HttpSanctionsRegistry(HttpRegistryOptions options);
    Result<std::vector<Sanction>> FirmSanctions(std::string_view nit) const override;

private:
    HttpRegistryOptions options_;
};

/// A sanction as the ministry records it here.
struct NewSanction {
    std::string nit;
    std::string reference;
    std::string description;
    std::int64_t amount_centavos = 0;
    std::string firm_on;  ///< "YYYY-MM-DD", not in the future.
};

/// The firm sanctions recorded in this system (table firm_sanctions). Thread-safe.
/// Recording and settling are for officials of `office` with role jefe or analista, and
/// for the system (the admin command line): identity::Action::kSanctionRecord.
class LocalSanctions final : public SanctionsRegistry {
public:
    /// `office`: the office that keeps the registry (default IGT). `store` and `clock`
    /// must outlive it.
    LocalSanctions(store::Store& store, const core::Clock& clock, std::string office = "IGT");

    /// Records a firm sanction, pending. Errors: kInvalid (fields: nit, expediente,
    /// descripcion, monto_centavos, firme_desde), kConflict "sanction-exists" (same NIT and
    /// reference), kForbidden / kUnauthenticated.
    [[nodiscard]] Result<Sanction> Record(const core::Actor& actor, const NewSanction& sanction);

    /// Marks a pending sanction as settled (paid or corrected), with a note. Errors:
    /// NotFound; kConflict "sanction-settled"; kInvalid (note empty or over 1000
    /// characters); kForbidden / kUnauthenticated.
    [[nodiscard]] Result<Sanction> Settle(const core::Actor& actor, std::string_view nit,
                                          std::string_view reference, std::string_view note);

    Result<std::vector<Sanction>> FirmSanctions(std::string_view nit) const override;

private:
    store::Store& store_;
    const core::Clock& clock_;
    std::string office_;
};

/// Asks every source; fails when any of them cannot answer (fail closed).
class CombinedSanctions final : public SanctionsRegistry {
public:
    /// The sources must outlive it.
    explicit CombinedSanctions(std::vector<const SanctionsRegistry*> sources);
    Result<std::vector<Sanction>> FirmSanctions(std::string_view nit) const override;

private:
    std::vector<const SanctionsRegistry*> sources_;
};

/// The automatic check named kNoFirmSanctionsCheck: passes when the NIT in the rule's
/// field has no pending firm sanction. Records what was asked and found.
class NoFirmSanctionsCheck final : public cases::AutomaticCheck {
public:
    /// `registry` must outlive it.
    explicit NoFirmSanctionsCheck(const SanctionsRegistry& registry) : registry_(registry) {}
    Result<cases::CheckOutcome> Evaluate(const cases::Case& c,
                                         const catalog::Transition::Automatic& rule) const override;

private:
    const SanctionsRegistry& registry_;
};

inline constexpr std::string_view kNoFirmSanctionsCheck = "sin_sanciones_firmes";

/// Table firm_sanctions as `ventanilla audit verify` checks it: key "<nit>/<reference>",
/// row hash as written by the entries of Record and Settle.
audit::CoveredTable AuditCoverage();

}  // namespace vt::sanctions
