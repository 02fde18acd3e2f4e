#include "cli/prestaciones.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "vt/pdf/pdf_text.hpp"
#include "vt/testing.hpp"

namespace vt::app {
namespace {

// 2026-11-25 12:00 in Guatemala (UTC−6).
std::chrono::system_clock::time_point Ahora() {
    return std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours{18};
}

struct Salida {
    int code = -1;
    std::string out;
    std::string err;
};

Salida Ejecutar(std::vector<std::string> args) {
    CLI::App cli;
    PrestacionesCommand command(cli);
    args.insert(args.begin(), "prestaciones");
    std::vector<const char*> argv{"ventanilla"};
    for (const auto& a : args) argv.push_back(a.c_str());
    cli.parse(static_cast<int>(argv.size()), argv.data());
    EXPECT_TRUE(command.parsed());
    std::ostringstream out, err;
    Salida s;
    s.code = command.Run(Ahora(), out, err);
    s.out = out.str();
    s.err = err.str();
    return s;
}

TEST(PrestacionesCommand, PrintsTheTableAndTotal) {
    // Case 1 of src/calculators/prestaciones_test.cpp.
    Salida s = Ejecutar({"--inicio", "2025-03-01", "--fin", "2025-11-30", "--salario", "Q4,000.00",
                         "--motivo", "despido-injustificado"});
    ASSERT_EQ(s.code, 0) << s.err;
    EXPECT_EQ(s.err, "");
    EXPECT_NE(s.out.find("Indemnización"), std::string::npos);
    EXPECT_NE(s.out.find("Q3,515.98"), std::string::npos);
    EXPECT_NE(s.out.find("Base legal: Código de Trabajo, Art. 82"), std::string::npos);
    EXPECT_NE(s.out.find("Q4,000.00 × 275 / 365 = Q3,013.70"), std::string::npos) << s.out;
    EXPECT_NE(s.out.find("Total"), std::string::npos);
    EXPECT_NE(s.out.find("Q9,713.24"), std::string::npos);
    EXPECT_NE(s.out.find("Convención:"), std::string::npos);

    // Every line fits in 100 columns (counting code points, not bytes).
    std::istringstream lines(s.out);
    for (std::string line; std::getline(lines, line);) {
        std::size_t columns = 0;
        for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        EXPECT_LE(columns, 100u) << line;
    }
}

TEST(PrestacionesCommand, AppliesTheOptionalFlags) {
    // Case 9: bono 14 of the previous period unpaid adds Q4,000.00; 10 vacation days given:
    // 400000 / 30 × 10 = 133333.33 → Q1,333.33. Total 233425 + 1096 + 400000 + 133333 =
    // 767854.
    Salida s =
        Ejecutar({"--inicio", "2021-09-15", "--fin", "2025-07-01", "--salario", "4000", "--motivo",
                  "renuncia", "--bono14-no-pagado", "--vacaciones-pendientes", "10"});
    ASSERT_EQ(s.code, 0) << s.err;
    EXPECT_NE(s.out.find("Bono 14 del período anterior"), std::string::npos);
    EXPECT_NE(s.out.find("Q1,333.33"), std::string::npos);
    EXPECT_NE(s.out.find("Q7,678.54"), std::string::npos) << s.out;
}

TEST(PrestacionesCommand, BadInputPrintsEveryMessageByOptionAndExitsTwo) {
    Salida s = Ejecutar({"--inicio", "2025-13-01", "--fin", "2024-01-01", "--salario", "1.234,56",
                         "--motivo", "despido"});
    EXPECT_EQ(s.code, 2);
    EXPECT_EQ(s.out, "");
    EXPECT_NE(s.err.find("--inicio: La fecha 2025-13-01 no existe"), std::string::npos) << s.err;
    EXPECT_NE(s.err.find("--salario: Monto no válido"), std::string::npos) << s.err;
    EXPECT_NE(s.err.find("--motivo: Motivo desconocido"), std::string::npos) << s.err;
    // The order is that of the options.
    EXPECT_LT(s.err.find("--inicio"), s.err.find("--salario"));
}

TEST(PrestacionesCommand, MissingOptionsAreReported) {
    Salida s = Ejecutar({});
    EXPECT_EQ(s.code, 2);
    for (const char* option : {"--inicio:", "--fin:", "--motivo:", "--salario:"}) {
        EXPECT_NE(s.err.find(option), std::string::npos) << option << "\n" << s.err;
    }
}

TEST(PrestacionesCommand, PdfWritesThePrintableCalculation) {
    vt::testing::TempDir dir;
    const std::string file = (dir.path() / "cálculo.pdf").string();
    Salida s = Ejecutar({"--inicio", "2025-03-01", "--fin", "2025-11-30", "--salario", "Q4,000.00",
                         "--motivo", "despido_injustificado", "--pdf", file});
    ASSERT_EQ(s.code, 0) << s.err;
    EXPECT_NE(s.out.find("Q9,713.24"), std::string::npos);
    EXPECT_NE(s.out.find("PDF para imprimir guardado en " + file), std::string::npos) << s.out;
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_TRUE(bytes.starts_with("%PDF-"));

    ASSERT_TRUE(pdf::testing::HaveTool("pdftotext")) << "instale poppler-utils (pdftotext)";
    std::string text = pdf::testing::PdfText(dir.path(), bytes);
    for (const char* expected : {"Cálculo informativo — no es una resolución", "Indemnización",
                                 "Q3,515.98", "Código de Trabajo, Art. 82", "Q9,713.24",
                                 "Fecha del cálculo: 25 de noviembre de 2026, 12:00"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << "falta «" << expected << "» en:\n"
                                                          << text;
    }
}

TEST(PrestacionesCommand, PdfIsNotWrittenOnBadInput) {
    vt::testing::TempDir dir;
    const auto file = dir.path() / "calculo.pdf";
    Salida s = Ejecutar({"--inicio", "2025-03-01", "--fin", "2024-11-30", "--salario", "Q4,000.00",
                         "--motivo", "renuncia", "--pdf", file.string()});
    EXPECT_EQ(s.code, 2);
    EXPECT_NE(s.err.find("--fin:"), std::string::npos) << s.err;
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(PrestacionesCommand, PdfToAnUnwritablePlaceFailsWithTheReason) {
    vt::testing::TempDir dir;
    const auto file = dir.path() / "no-existe" / "calculo.pdf";
    Salida s = Ejecutar({"--inicio", "2025-03-01", "--fin", "2025-11-30", "--salario", "Q4,000.00",
                         "--motivo", "renuncia", "--pdf", file.string()});
    EXPECT_EQ(s.code, 1);
    EXPECT_NE(s.err.find("no se pudo escribir el PDF en " + file.string()), std::string::npos)
        << s.err;
}

}  // namespace
}  // namespace vt::app
