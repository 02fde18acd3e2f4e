#pragma once
// Reading generated PDFs back in tests: the text as poppler's pdftotext extracts it, so a
// test checks what a person would read, accents included.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace vt::pdf::testing {

/// Runs a shell command; its standard output when it exits with 0.
inline std::optional<std::string> RunTool(const std::string& command) {
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return std::nullopt;
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = ::pclose(p);
    if (status != 0) return std::nullopt;
    return out;
}

inline bool HaveTool(const std::string& name) {
    return RunTool("command -v " + name + " >/dev/null 2>&1").has_value();
}

inline void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// The text of a PDF as pdftotext (poppler-utils) extracts it, in UTF-8 and reading order.
inline std::string PdfText(const std::filesystem::path& dir, std::string_view pdf) {
    std::filesystem::path file = dir / "texto.pdf";
    WriteFile(file, pdf);
    auto text = RunTool("pdftotext -enc UTF-8 '" + file.string() + "' - 2>/dev/null");
    return text.value_or("<pdftotext falló>");
}

/// How many times `needle` occurs in `haystack`.
inline std::size_t Count(std::string_view haystack, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string_view::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

}  // namespace vt::pdf::testing
