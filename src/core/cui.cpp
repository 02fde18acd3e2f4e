#include "vt/core/cui.hpp"

#include <algorithm>
#include <iterator>
#include <regex>

#include "vt/core/geo.hpp"

namespace vt::core {
namespace {

// Longer input is not worth running the regex on: it cannot be a CUI.
constexpr std::size_t kMaxInputLength = 32;

Error Invalid(std::string code, std::string message) {
    return Error(ErrorKind::kInvalid, std::move(code), std::move(message));
}

Error LengthError() { return Invalid("cui-length", "El CUI debe tener 13 dígitos."); }

std::string_view Trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n";
    auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Cui> ParseCui(std::string_view text) {
    text = Trim(text);
    if (text.size() > kMaxInputLength) return LengthError();

    static const std::regex kPattern(R"(^\d{4}[ -]?\d{5}[ -]?\d{4}$)");
    if (!std::regex_match(text.begin(), text.end(), kPattern)) {
        // Tell the two failures apart: the wrong number of digits is the usual typo.
        bool only_digits_and_separators =
            std::ranges::all_of(text, [](char c) { return IsDigit(c) || c == ' ' || c == '-'; });
        if (only_digits_and_separators && std::ranges::count_if(text, IsDigit) != 13) {
            return LengthError();
        }
        return Invalid("cui-format",
                       "El CUI solo puede contener dígitos, escritos juntos o agrupados como "
                       "1234 56789 0101.");
    }

    std::string digits;
    std::ranges::copy_if(text, std::back_inserter(digits), IsDigit);

    std::string departamento = digits.substr(9, 2);
    auto dep = FindDepartamento(departamento);
    if (!dep.ok()) {
        return Invalid("cui-departamento",
                       "El CUI no es válido: sus dígitos 10 y 11 deben ser un departamento de "
                       "Guatemala, del 01 al 22.");
    }
    int municipio_number = (digits[11] - '0') * 10 + (digits[12] - '0');
    if (municipio_number < 1 || municipio_number > CuiMunicipioCount(departamento)) {
        return Invalid("cui-municipio",
                       "El CUI no es válido: sus dígitos 12 y 13 no son un "
                       "municipio del departamento de " +
                           std::string(dep->name) + ".");
    }

    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (digits[i] - '0') * (i + 2);
    if (sum % 11 != digits[8] - '0') {
        return Invalid("cui-check-digit",
                       "El CUI no es válido: el dígito verificador no coincide. Revise que lo "
                       "haya escrito bien.");
    }

    return Cui{digits, departamento, digits.substr(9, 4)};
}

}  // namespace vt::core
