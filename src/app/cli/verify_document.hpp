#pragma once
// `ventanilla verify-document FILE.pdf [--claves claves.json]`: checks the signature of a
// document issued by the Ventanilla without the server, with the published keys.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "vt/app/config.hpp"

namespace vt::app {

class VerifyDocumentCommand {
public:
    /// Adds the `verify-document` sub-command and its options to `cli`.
    /// REQUIRES: this object outlives the parsing of `cli`.
    explicit VerifyDocumentCommand(CLI::App& cli);
    VerifyDocumentCommand(const VerifyDocumentCommand&) = delete;
    VerifyDocumentCommand& operator=(const VerifyDocumentCommand&) = delete;

    /// Whether the sub-command was given.
    bool parsed() const { return command_->parsed(); }

    /// Whether it needs the configuration: it does when no --claves file was given, to read
    /// the keys from the installation's database.
    bool needs_config() const { return keys_file_.empty(); }

    /// Verifies the document with the keys of --claves, or else of the database `config`
    /// names (may be null only with --claves), and prints documents::OfflineReport() to
    /// `out`. Returns 0 when the document is valid; 1 when it is not (not signed, unknown
    /// key, key not in force, bad signature) or the database cannot be read; 2 when the
    /// document or the keys file cannot be read or the keys file is not valid.
    int Run(const Config* config, std::ostream& out, std::ostream& err) const;

private:
    CLI::App* command_;
    std::string document_;
    std::string keys_file_;
};

}  // namespace vt::app
