#include <boost/json.hpp>

#include "vt/core/money.hpp"
#include "vt/sanctions/sanctions.hpp"

namespace vt::sanctions {

Result<cases::CheckOutcome> NoFirmSanctionsCheck::Evaluate(const cases::Case& c,
                                                           const catalog::Transition::Automatic& rule) const {
    const boost::json::value* nit = c.answers.if_contains(rule.field);
    if (!nit || !nit->is_string()) {
        return Error::Invalid("El expediente no tiene el NIT que la verificación necesita (" + rule.field + ").");
    }
    VT_ASSIGN_OR_RETURN(std::vector<Sanction> found, registry_.FirmSanctions(nit->as_string()));
    cases::CheckOutcome out;
    boost::json::array pending;
    for (const Sanction& s : found) {
        if (!s.pending) continue;
        pending.push_back(boost::json::object{{"expediente", s.reference},
                                              {"monto", core::Money::FromCentavos(s.amount_centavos).ToString()},
                                              {"firme_desde", s.firm_on},
                                              {"fuente", s.source}});
    }
    out.passed = pending.empty();
    out.facts["nit"] = *nit;
    const auto count = static_cast<std::int64_t>(pending.size());
    out.facts["sanciones_firmes_pendientes"] = count;
    if (!pending.empty()) out.facts["sanciones"] = std::move(pending);
    out.detail = out.passed
                     ? "El Registro de Faltas de Trabajo y Previsión Social no tiene sanciones firmes pendientes para el "
                       "NIT " + std::string(nit->as_string()) + "."
                     : "El Registro de Faltas de Trabajo y Previsión Social tiene " +
                           std::to_string(count) +
                           " sanción(es) firme(s) pendiente(s) para el NIT " + std::string(nit->as_string()) + ".";
    return out;
}

}  // namespace vt::sanctions
