#include "cli/prestaciones.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>

namespace vt::app {
namespace {

using calculators::Entrada;
using core::Money;

constexpr std::size_t kWidth = 100;
constexpr std::size_t kTableWidth = 64;

// The option that carries each field of the calculator's errors.
constexpr std::pair<std::string_view, std::string_view> kOpciones[] = {
    {"fecha_inicio", "--inicio"},
    {"fecha_fin", "--fin"},
    {"motivo", "--motivo"},
    {"salario_ordinario_mensual", "--salario"},
    {"salario_extraordinario_promedio", "--extraordinario"},
    {"bonificacion_incentivo", "--bonificacion"},
    {"dias_vacaciones_pendientes", "--vacaciones-pendientes"},
    {"dias_salario_pendiente", "--dias-salario-pendiente"},
};

// Columns a UTF-8 string takes on a terminal (one per code point: the texts are Spanish,
// with no wide or combining characters).
std::size_t Columnas(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// `text` wrapped at kWidth columns; the first line starts with `first`, the others with
// `rest`.
std::string Envolver(std::string_view text, std::string_view first, std::string_view rest) {
    std::string out(first), line_prefix(rest);
    std::size_t column = Columnas(first);
    bool line_empty = true;
    std::istringstream words{std::string(text)};
    std::string word;
    while (words >> word) {
        std::size_t w = Columnas(word);
        if (!line_empty && column + 1 + w > kWidth) {
            out += "\n" + line_prefix;
            column = Columnas(line_prefix);
            line_empty = true;
        }
        if (!line_empty) {
            out += ' ';
            ++column;
        }
        out += word;
        column += w;
        line_empty = false;
    }
    return out + "\n";
}

std::string Fila(std::string_view izquierda, std::string_view derecha) {
    std::size_t used = Columnas(izquierda) + Columnas(derecha);
    std::size_t gap = used < kTableWidth ? kTableWidth - used : 1;
    return std::string(izquierda) + std::string(gap, ' ') + std::string(derecha) + "\n";
}

}  // namespace

PrestacionesCommand::PrestacionesCommand(CLI::App& cli) {
    command_ = cli.add_subcommand(
        "prestaciones",
        "Calcula las prestaciones laborales al terminar la relación laboral (no necesita "
        "configuración ni base de datos)");
    command_->add_option("--inicio", inicio_, "Fecha de inicio, AAAA-MM-DD (obligatoria)");
    command_->add_option("--fin", fin_, "Último día trabajado, AAAA-MM-DD (obligatoria)");
    command_->add_option("--salario", salario_,
                         "Salario ordinario mensual, p. ej. Q4,000.00 (obligatorio)");
    command_->add_option("--motivo", motivo_,
                         "despido_injustificado, renuncia, despido_justificado o mutuo_acuerdo "
                         "(obligatorio)");
    command_->add_option("--extraordinario", extraordinario_,
                         "Promedio mensual de tiempo extraordinario (por omisión Q0.00)");
    command_->add_option("--bonificacion", bonificacion_,
                         "Bonificación incentivo mensual (por omisión Q250.00)");
    vacaciones_option_ = command_->add_option(
        "--vacaciones-pendientes", vacaciones_pendientes_,
        "Días de vacaciones no gozadas (por omisión se calcula la parte proporcional)");
    command_->add_option("--dias-salario-pendiente", dias_salario_pendiente_,
                         "Días trabajados sin pagar (por omisión 0)");
    command_->add_flag("--aguinaldo-pagado,!--aguinaldo-no-pagado", aguinaldo_pagado_,
                       "Si el aguinaldo del período anterior ya se pagó (por omisión, sí)");
    command_->add_flag("--bono14-pagado,!--bono14-no-pagado", bono14_pagado_,
                       "Si el bono 14 del período anterior ya se pagó (por omisión, sí)");
    command_
        ->add_option("--pdf", pdf_, "Guarda además el cálculo en este archivo PDF, para imprimirlo")
        ->option_text("ARCHIVO");
}

int PrestacionesCommand::Run(std::chrono::system_clock::time_point ahora, std::ostream& out,
                             std::ostream& err) const {
    std::map<std::string, std::string> errores;
    auto fecha = [&](const std::string& text, const char* campo) -> std::optional<core::Date> {
        if (text.empty()) return std::nullopt;
        auto d = core::ParseIsoDate(text);
        if (!d.ok()) {
            errores[campo] = d.error().message();
            return std::nullopt;
        }
        return *d;
    };
    auto monto = [&](const std::string& text, const char* campo) -> std::optional<Money> {
        if (text.empty()) return std::nullopt;
        auto m = Money::Parse(text);
        if (!m.ok()) {
            errores[campo] = m.error().message();
            return std::nullopt;
        }
        return *m;
    };

    Entrada e;
    e.hoy = core::GuatemalaDate(ahora);
    e.fecha_inicio = fecha(inicio_, "fecha_inicio");
    e.fecha_fin = fecha(fin_, "fecha_fin");
    if (!motivo_.empty()) {
        // On a command line "despido-injustificado" is as natural as the JSON identifier.
        std::string id = motivo_;
        std::replace(id.begin(), id.end(), '-', '_');
        e.motivo = calculators::ParseMotivo(id);
        if (!e.motivo) {
            errores["motivo"] =
                "Motivo desconocido: use despido_injustificado, renuncia, despido_justificado o "
                "mutuo_acuerdo.";
        }
    }
    e.salario_ordinario_mensual = monto(salario_, "salario_ordinario_mensual");
    if (auto m = monto(extraordinario_, "salario_extraordinario_promedio")) {
        e.salario_extraordinario_promedio = *m;
    }
    if (auto m = monto(bonificacion_, "bonificacion_incentivo")) e.bonificacion_incentivo = *m;
    if (vacaciones_option_->count() > 0) e.dias_vacaciones_pendientes = vacaciones_pendientes_;
    e.dias_salario_pendiente = dias_salario_pendiente_;
    e.aguinaldo_pagado = aguinaldo_pagado_;
    e.bono14_pagado = bono14_pagado_;

    auto liquidacion = calculators::CalcularPrestaciones(e);
    if (liquidacion.ok() && errores.empty()) {
        out << "Prestaciones laborales del " << inicio_ << " al " << fin_ << " ("
            << calculators::MotivoId(*e.motivo) << ")\n\n"
            << FormatLiquidacion(*liquidacion);
        if (pdf_.empty()) return 0;
        auto pdf = calculators::PrestacionesPdf(e, *liquidacion, ahora);
        if (!pdf.ok()) {
            err << "ventanilla: " << pdf.error().message() << "\n";
            return 1;
        }
        std::ofstream file(pdf_, std::ios::binary | std::ios::trunc);
        file.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
        file.close();
        if (!file) {
            err << "ventanilla: no se pudo escribir el PDF en " << pdf_ << ": "
                << std::strerror(errno) << "\n";
            return 1;
        }
        out << "\nPDF para imprimir guardado en " << pdf_ << "\n";
        return 0;
    }
    if (!liquidacion.ok()) {
        if (liquidacion.error().fields().empty()) {
            err << "ventanilla: " << liquidacion.error().message() << "\n";
            return 1;
        }
        // The more precise parsing messages win over the calculator's for the same field.
        for (const auto& [campo, mensaje] : liquidacion.error().fields()) {
            errores.emplace(campo, mensaje);
        }
    }
    // In the order of the options, as --help lists them.
    err << "ventanilla: revise los datos:\n";
    for (const auto& [campo, opcion] : kOpciones) {
        auto it = errores.find(std::string(campo));
        if (it != errores.end())
            err << Envolver(it->second, "  " + std::string(opcion) + ": ", "    ");
    }
    return 2;
}

std::string FormatLiquidacion(const calculators::Liquidacion& liquidacion) {
    std::string linea(kTableWidth, '-');
    std::string out = Fila("Concepto", "Monto") + linea + "\n";
    for (const auto& c : liquidacion.conceptos) {
        out += Fila(c.nombre, c.monto.ToString());
        out += Envolver(c.base_legal, "  Base legal: ", "    ");
        out += Envolver(c.calculo, "  Cálculo: ", "    ");
    }
    out += linea + "\n" + Fila("Total", liquidacion.total.ToString()) + "\n";
    out += Envolver(liquidacion.convencion, "Convención: ", "  ");
    return out;
}

}  // namespace vt::app
