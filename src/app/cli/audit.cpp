#include "cli/audit.hpp"

#include <ostream>

#include "vt/app/app.hpp"
#include "vt/audit/audit.hpp"
#include "vt/cases/cases.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/sanctions/sanctions.hpp"
#include "vt/core/clock.hpp"
#include "vt/documents/documents.hpp"

namespace vt::app {

std::vector<audit::CoveredTable> AuditedTables() {
    std::vector<audit::CoveredTable> tables = {catalog::AuditCoverage(), cases::AuditCoverage(), sanctions::AuditCoverage()};
    for (audit::CoveredTable& t : documents::AuditCoverage()) tables.push_back(std::move(t));
    return tables;
}

int VerifyAudit(const Config& config, std::ostream& out, std::ostream& err) {
    auto store = OpenStore(config, Create::kNever);
    if (!store.ok()) {
        err << "ventanilla: " << store.error().message() << "\n";
        return 1;
    }
    audit::VerifyOptions options;
    std::string key_note;
    auto key = audit::LoadLogKey(config.AuditKeyPath());
    if (key.ok()) {
        options.public_key = key->public_key();
        key_note = "firmas verificadas con la llave " + key->KeyId();
    } else {
        key_note = "firmas SIN verificar: " + key.error().message();
    }
    std::vector<audit::CoveredTable> tables = AuditedTables();
    auto report = audit::Verify(**store, tables, options);
    if (!report.ok()) {
        err << "ventanilla: no se pudo verificar el registro de auditoría: "
            << report.error().message() << "\n";
        return 1;
    }
    out << "Registro de auditoría de " << (*store)->Describe() << "\n"
        << "  entradas: " << report->entries << ", raíz recalculada " << audit::ToHex(report->root)
        << "\n"
        << "  cabezas firmadas (STH): " << report->tree_heads << ", " << key_note << "\n";
    if (report->latest_tree_head) {
        const auto& sth = *report->latest_tree_head;
        out << "  última STH: tamaño " << sth.tree_size << ", "
            << core::FormatUtc(std::chrono::system_clock::time_point(
                   std::chrono::milliseconds(sth.timestamp_ms)))
            << "\n";
    } else {
        out << "  todavía no hay STH: la raíz no se pudo comparar con una firmada\n";
    }
    out << "  filas revisadas:";
    for (const auto& [table, rows] : report->rows_checked)
        out << " " << table << " " << rows << ";";
    out << "\n";
    if (report->ok()) {
        out << "Sin problemas.\n";
        return 0;
    }
    out << "\ntabla\tclave\tproblema\tdetalle\n";
    for (const auto& f : report->findings) {
        out << f.table << "\t" << f.key << "\t" << f.problem << "\t" << f.detail << "\n";
    }
    out << "\n"
        << report->findings.size()
        << (report->findings.size() == 1 ? " problema.\n" : " problemas.\n");
    return 1;
}

}  // namespace vt::app
