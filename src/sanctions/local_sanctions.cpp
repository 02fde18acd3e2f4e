#include <boost/json.hpp>

#include "vt/audit/audit.hpp"
#include "vt/core/date.hpp"
#include "vt/core/nit.hpp"
#include "vt/identity/policy.hpp"
#include "vt/sanctions/sanctions.hpp"

namespace vt::sanctions {
namespace {

namespace json = boost::json;
using store::Row;
using store::Tx;
using store::Value;

constexpr char kColumns[] =
    "nit, reference, description, amount_centavos, firm_on, status, recorded_at, recorded_by, settled_at, "
    "settled_by, settled_note";

// The canonical JSON of a row (keys sorted), hashed into its audit entries.
std::string RowJson(const Row& r) {
    auto opt = [&](std::size_t i) { return r.OptText(i) ? json::value(*r.OptText(i)) : json::value(nullptr); };
    json::object o;
    o["amount_centavos"] = r.Int(3);
    o["description"] = r.Text(2);
    o["firm_on"] = r.Text(4);
    o["nit"] = r.Text(0);
    o["recorded_at"] = r.Text(6);
    o["recorded_by"] = r.Text(7);
    o["reference"] = r.Text(1);
    o["settled_at"] = opt(8);
    o["settled_by"] = opt(9);
    o["settled_note"] = opt(10);
    o["status"] = r.Text(5);
    return json::serialize(o);
}

Sanction FromRow(const Row& r) {
    Sanction s;
    s.nit = r.Text(0);
    s.reference = r.Text(1);
    s.description = r.Text(2);
    s.amount_centavos = r.Int(3);
    s.firm_on = r.Text(4);
    s.pending = r.Text(5) == "pendiente";
    s.source = "ministerio";
    return s;
}

std::size_t Utf8Length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

Result<std::string> CanonicalNit(std::string_view text) {
    auto nit = core::ParseNit(text);
    if (!nit.ok()) return Error::Invalid(nit.error().message(), {{"nit", nit.error().message()}});
    return nit->ToString();
}

Result<Row> LoadRow(Tx& tx, const std::string& nit, const std::string& reference) {
    VT_ASSIGN_OR_RETURN(store::Rows rows,
                        tx.Query(std::string("SELECT ") + kColumns +
                                     " FROM firm_sanctions WHERE nit = $1 AND reference = $2",
                                 {Value{nit}, Value{reference}}));
    if (rows.empty()) return Error::NotFound("No hay una sanción " + reference + " para el NIT " + nit + ".");
    return rows[0];
}

Status AuditRow(Tx& tx, const core::Actor& actor, std::string action, const std::string& nit,
                const std::string& reference, const std::string& at) {
    VT_ASSIGN_OR_RETURN(Row row, LoadRow(tx, nit, reference));
    VT_ASSIGN_OR_RETURN(auto index, audit::Append(tx, audit::Entry{actor.AuditName(), std::move(action),
                                                                   "firm_sanction", nit + "/" + reference, at,
                                                                   audit::Sha256Hex(RowJson(row))}));
    (void)index;
    return Ok();
}

}  // namespace

LocalSanctions::LocalSanctions(store::Store& store, const core::Clock& clock, std::string office)
    : store_(store), clock_(clock), office_(std::move(office)) {}

Result<Sanction> LocalSanctions::Record(const core::Actor& actor, const NewSanction& in) {
    identity::Resource registry;
    registry.office = office_;
    VT_RETURN_IF_ERROR(identity::Authorize(actor, identity::Action::kSanctionRecord, registry));
    Error bad = Error::Invalid("Revise los datos de la sanción.");
    auto nit = core::ParseNit(in.nit);
    if (!nit.ok()) bad.WithField("nit", nit.error().message());
    std::string reference = in.reference;
    if (reference.empty() || Utf8Length(reference) > 60 || reference.find_first_of("/\r\n") != std::string::npos)
        bad.WithField("expediente", "Escriba el número de expediente o resolución (hasta 60 caracteres, sin «/»).");
    if (in.description.size() < 5 || Utf8Length(in.description) > 2000)
        bad.WithField("descripcion", "Describa la falta sancionada (5 a 2000 caracteres).");
    if (in.amount_centavos < 0 || in.amount_centavos > std::int64_t{100000000000})
        bad.WithField("monto_centavos", "El monto debe estar entre Q0.00 y Q1,000,000,000.00.");
    auto firm = core::ParseIsoDate(in.firm_on);
    if (!firm.ok()) bad.WithField("firme_desde", firm.error().message());
    else if (*firm > core::GuatemalaDate(clock_.Now()))
        bad.WithField("firme_desde", "Una sanción no puede quedar firme en el futuro.");
    if (!bad.fields().empty()) return bad;

    Sanction out;
    std::string canonical = nit->ToString();
    VT_RETURN_IF_ERROR(store_.Write([&](Tx& tx) -> Status {
        std::string at = core::FormatUtc(clock_.Now());
        VT_ASSIGN_OR_RETURN(store::Rows seen, tx.Query("SELECT 1 FROM firm_sanctions WHERE nit = $1 AND reference = $2",
                                                       {Value{canonical}, Value{reference}}));
        if (!seen.empty()) {
            return Error::Conflict("sanction-exists",
                                   "Ya está registrada la sanción " + reference + " para el NIT " + canonical + ".");
        }
        VT_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO firm_sanctions (nit, reference, description, amount_centavos, firm_on, status, "
            "recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, 'pendiente', $6, $7)",
            {Value{canonical}, Value{reference}, Value{in.description}, Value{in.amount_centavos},
             Value{core::FormatIsoDate(*firm)}, Value{at}, Value{actor.AuditName()}}));
        VT_RETURN_IF_ERROR(AuditRow(tx, actor, "sanction.recorded", canonical, reference, at));
        VT_ASSIGN_OR_RETURN(Row row, LoadRow(tx, canonical, reference));
        out = FromRow(row);
        return Ok();
    }));
    return out;
}

Result<Sanction> LocalSanctions::Settle(const core::Actor& actor, std::string_view nit_text,
                                        std::string_view reference_view, std::string_view note) {
    identity::Resource registry;
    registry.office = office_;
    VT_RETURN_IF_ERROR(identity::Authorize(actor, identity::Action::kSanctionRecord, registry));
    VT_ASSIGN_OR_RETURN(std::string nit, CanonicalNit(nit_text));
    if (note.empty() || Utf8Length(note) > 1000)
        return Error::Invalid("Indique cómo se solventó.", {{"nota", "Escriba de 1 a 1000 caracteres."}});
    std::string reference(reference_view);
    Sanction out;
    VT_RETURN_IF_ERROR(store_.Write([&](Tx& tx) -> Status {
        std::string at = core::FormatUtc(clock_.Now());
        VT_ASSIGN_OR_RETURN(Row row, LoadRow(tx, nit, reference));
        if (row.Text(5) != "pendiente")
            return Error::Conflict("sanction-settled", "La sanción " + reference + " ya estaba solventada.");
        VT_RETURN_IF_ERROR(tx.Exec("UPDATE firm_sanctions SET status = 'solventada', settled_at = $1, settled_by = $2, "
                                   "settled_note = $3 WHERE nit = $4 AND reference = $5",
                                   {Value{at}, Value{actor.AuditName()}, Value{std::string(note)}, Value{nit},
                                    Value{reference}}));
        VT_RETURN_IF_ERROR(AuditRow(tx, actor, "sanction.settled", nit, reference, at));
        VT_ASSIGN_OR_RETURN(Row updated, LoadRow(tx, nit, reference));
        out = FromRow(updated);
        return Ok();
    }));
    return out;
}

Result<std::vector<Sanction>> LocalSanctions::FirmSanctions(std::string_view nit_text) const {
    VT_ASSIGN_OR_RETURN(std::string nit, CanonicalNit(nit_text));
    std::vector<Sanction> out;
    VT_RETURN_IF_ERROR(store_.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string("SELECT ") + kColumns +
                                                           " FROM firm_sanctions WHERE nit = $1 ORDER BY firm_on, reference",
                                                       {Value{nit}}));
        for (const Row& r : rows) out.push_back(FromRow(r));
        return Ok();
    }));
    return out;
}

CombinedSanctions::CombinedSanctions(std::vector<const SanctionsRegistry*> sources) : sources_(std::move(sources)) {}

Result<std::vector<Sanction>> CombinedSanctions::FirmSanctions(std::string_view nit) const {
    std::vector<Sanction> all;
    for (const SanctionsRegistry* source : sources_) {
        VT_ASSIGN_OR_RETURN(std::vector<Sanction> some, source->FirmSanctions(nit));
        all.insert(all.end(), std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
    }
    return all;
}

audit::CoveredTable AuditCoverage() {
    audit::CoveredTable table;
    table.table = "firm_sanctions";
    table.object_type = "firm_sanction";
    table.rows = [](Tx& tx) -> Result<std::vector<audit::CoveredRow>> {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query(std::string("SELECT ") + kColumns + " FROM firm_sanctions ORDER BY nit, reference"));
        std::vector<audit::CoveredRow> out;
        for (const Row& r : rows) out.push_back({r.Text(0) + "/" + r.Text(1), audit::Sha256Hex(RowJson(r))});
        return out;
    };
    return table;
}

}  // namespace vt::sanctions
