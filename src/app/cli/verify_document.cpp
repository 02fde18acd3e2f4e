#include "cli/verify_document.hpp"

#include <ostream>

#include "vt/app/app.hpp"
#include "vt/documents/documents.hpp"

namespace vt::app {

namespace {
constexpr int kInvalid = 1;
constexpr int kBadInput = 2;
}  // namespace

VerifyDocumentCommand::VerifyDocumentCommand(CLI::App& cli) {
    command_ = cli.add_subcommand(
        "verify-document",
        "Verifica sin conexión la firma de un documento emitido (PDF) con las claves publicadas; "
        "sale con 0 si es válido y con 1 si no lo es");
    command_->add_option("DOCUMENTO", document_, "El PDF tal como se descargó")->required();
    command_->add_option("--claves", keys_file_,
                         "Claves publicadas (claves.json de GET /api/v1/documentos/claves); sin "
                         "ella se leen de la base de datos de esta instalación");
    command_->fallthrough();
}

int VerifyDocumentCommand::Run(const Config* config, std::ostream& out, std::ostream& err) const {
    std::vector<documents::PublishedKey> keys;
    if (!keys_file_.empty()) {
        auto read = documents::ReadPublishedKeysFile(keys_file_);
        if (!read.ok()) {
            err << "ventanilla: " << keys_file_ << ": " << read.error().message() << "\n";
            return kBadInput;
        }
        keys = std::move(read).value();
    } else {
        // The installation's own keys: read-only, never creating a database.
        auto store = OpenStore(*config, Create::kNever);
        if (!store.ok()) {
            err << "ventanilla: " << store.error().message()
                << "\nIndique el archivo de claves con --claves.\n";
            return kInvalid;
        }
        auto loaded = documents::LoadPublishedKeys(**store);
        if (!loaded.ok()) {
            err << "ventanilla: no se pudieron leer las claves publicadas: "
                << loaded.error().message() << "\n";
            return kInvalid;
        }
        keys = std::move(loaded).value();
    }
    auto result = documents::VerifyDocumentFile(document_, keys);
    if (!result.ok()) {
        err << "ventanilla: " << document_ << ": " << result.error().message() << "\n";
        return kBadInput;
    }
    out << documents::OfflineReport(*result);
    return result->status == documents::OfflineStatus::kValid ? 0 : kInvalid;
}

}  // namespace vt::app
