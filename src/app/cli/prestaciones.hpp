#pragma once
// `ventanilla prestaciones`: the severance calculator on the command line. It needs no
// configuration and no database.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iosfwd>
#include <string>

#include "vt/calculators/prestaciones.hpp"
#include "vt/core/date.hpp"

namespace vt::app {

class PrestacionesCommand {
public:
    /// Adds the `prestaciones` sub-command and its options to `cli`.
    /// REQUIRES: this object outlives the parsing of `cli`.
    explicit PrestacionesCommand(CLI::App& cli);
    PrestacionesCommand(const PrestacionesCommand&) = delete;
    PrestacionesCommand& operator=(const PrestacionesCommand&) = delete;

    /// Whether the sub-command was given.
    bool parsed() const { return command_->parsed(); }

    /// Computes the settlement as of `ahora` (its date in Guatemala is "today" for the
    /// limits) and prints it as a table to `out`; with --pdf also writes the printable PDF
    /// to that file. On bad input prints one message per option to `err`, writes no file and
    /// returns 2; when the file cannot be written says why and returns 1; otherwise 0.
    int Run(std::chrono::system_clock::time_point ahora, std::ostream& out,
            std::ostream& err) const;

private:
    CLI::App* command_;
    CLI::Option* vacaciones_option_;
    std::string inicio_, fin_, salario_, motivo_, extraordinario_, bonificacion_, pdf_;
    int vacaciones_pendientes_ = 0;
    int dias_salario_pendiente_ = 0;
    bool aguinaldo_pagado_ = true;
    bool bono14_pagado_ = true;
};

/// The settlement as a plain-text table (concept, amount, legal basis, derivation) and
/// the total, lines at most 100 columns wide except for unbreakable words.
std::string FormatLiquidacion(const calculators::Liquidacion& liquidacion);

}  // namespace vt::app
