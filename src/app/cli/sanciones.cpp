#include "sanciones.hpp"

#include <ostream>

#include "vt/app/app.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/money.hpp"

namespace vt::app {
namespace {

constexpr int kFailed = 1;
constexpr int kBadInput = 2;

int Report(const Error& e, std::ostream& err) {
    err << "ventanilla: " << e.message() << "\n";
    for (const auto& [field, why] : e.fields()) err << "  " << field << ": " << why << "\n";
    return e.kind() == ErrorKind::kInvalid ? kBadInput : kFailed;
}

void Print(const sanctions::Sanction& s, std::ostream& out) {
    out << s.nit << "  " << s.reference << "  " << (s.pending ? "pendiente " : "solventada") << "  firme desde "
        << s.firm_on << "  " << core::Money::FromCentavos(s.amount_centavos).ToString() << "  (" << s.source << ")  "
        << s.description << "\n";
}

}  // namespace

SanctionsCommand::SanctionsCommand(CLI::App& cli) {
    command_ = cli.add_subcommand(
        "sanciones",
        "Sanciones firmes por faltas de trabajo que registra el ministerio (actúa como «sistema»)");
    command_->require_subcommand(1);
    command_->fallthrough();
    record_ = command_->add_subcommand("registrar", "Registra una sanción firme pendiente");
    record_->add_option("--nit", nit_, "NIT sancionado")->required();
    record_->add_option("--expediente", reference_, "Expediente o resolución que la impuso")->required();
    record_->add_option("--descripcion", description_, "Falta sancionada")->required();
    record_->add_option("--monto", amount_, "Monto en quetzales, p. ej. 4500.00")->required();
    record_->add_option("--firme-desde", firm_on_, "Fecha en que quedó firme, AAAA-MM-DD")->required();
    record_->fallthrough();
    settle_ = command_->add_subcommand("solventar", "Marca una sanción como pagada o corregida");
    settle_->add_option("--nit", nit_, "NIT sancionado")->required();
    settle_->add_option("--expediente", reference_, "Expediente o resolución de la sanción")->required();
    settle_->add_option("--nota", note_, "Cómo se solventó")->required();
    settle_->fallthrough();
    query_ = command_->add_subcommand("consultar", "Lista las sanciones firmes de un NIT");
    query_->add_option("--nit", nit_, "NIT")->required();
    query_->fallthrough();
}

int SanctionsCommand::Run(const Config& config, std::ostream& out, std::ostream& err) const {
    auto store = OpenStore(config, Create::kIfMissing);
    if (!store.ok()) return Report(store.error(), err);
    if (Status s = (*store)->Migrate(); !s.ok()) return Report(s.error(), err);
    core::SystemClock clock;
    sanctions::LocalSanctions local(**store, clock, config.sanctions.office);
    std::optional<sanctions::HttpSanctionsRegistry> remote;
    std::vector<const sanctions::SanctionsRegistry*> sources{&local};
    if (!config.sanctions.registry.base_url.empty()) {
        remote.emplace(config.sanctions.registry);
        sources.push_back(&*remote);
    }
    sanctions::CombinedSanctions all(sources);
    return Execute(local, all, out, err);
}

int SanctionsCommand::Execute(sanctions::LocalSanctions& local, const sanctions::SanctionsRegistry& all,
                              std::ostream& out, std::ostream& err) const {
    const core::Actor system = core::Actor::System();
    if (record_->parsed()) {
        auto amount = core::Money::Parse(amount_);
        if (!amount.ok()) {
            err << "ventanilla: --monto: " << amount.error().message() << "\n";
            return kBadInput;
        }
        auto s = local.Record(system, {nit_, reference_, description_, amount->centavos(), firm_on_});
        if (!s.ok()) return Report(s.error(), err);
        out << "Sanción registrada:\n";
        Print(*s, out);
        return 0;
    }
    if (settle_->parsed()) {
        auto s = local.Settle(system, nit_, reference_, note_);
        if (!s.ok()) return Report(s.error(), err);
        out << "Sanción solventada:\n";
        Print(*s, out);
        return 0;
    }
    auto found = all.FirmSanctions(nit_);
    if (!found.ok()) return Report(found.error(), err);
    if (found->empty()) out << "No hay sanciones firmes registradas para el NIT.\n";
    for (const auto& s : *found) Print(s, out);
    return 0;
}

}  // namespace vt::app
