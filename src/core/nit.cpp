#include "vt/core/nit.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <regex>

namespace vt::core {
namespace {

// Anything longer cannot become a 12-character NIT, whatever whitespace it holds.
constexpr std::size_t kMaxInputLength = 64;
constexpr std::size_t kMinLength = 2;
constexpr std::size_t kMaxLength = 12;

Error Invalid(std::string code, std::string message) {
    return Error(ErrorKind::kInvalid, std::move(code), std::move(message));
}

Error LengthError() {
    return Invalid("nit-length",
                   "El NIT debe tener entre 2 y 12 caracteres, incluido el dígito verificador.");
}

}  // namespace

char NitCheckDigit(std::string_view body) {
    assert(!body.empty() && body.size() < kMaxLength);
    int sum = 0;
    int weight = 2;
    for (auto it = body.rbegin(); it != body.rend(); ++it) sum += (*it - '0') * weight++;
    int c = (11 - sum % 11) % 11;
    return c == 10 ? 'K' : static_cast<char>('0' + c);
}

Result<Nit> ParseNit(std::string_view text) {
    if (text.size() > kMaxInputLength) return LengthError();

    std::string compact;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (!std::isspace(u)) compact += static_cast<char>(std::toupper(u));
    }
    if (compact == "CF" || compact == "C/F") {
        return Invalid("nit-final-consumer",
                       "«CF» (consumidor final) no es un NIT. Escriba el NIT de la persona o "
                       "empresa.");
    }

    static const std::regex kPattern(R"(^\d+-?[0-9K]$)");
    if (!std::regex_match(compact, kPattern)) {
        return Invalid("nit-format",
                       "El NIT solo puede contener dígitos y, al final, el dígito verificador "
                       "(0 a 9 o K), separado opcionalmente por un guion: 576937-K.");
    }

    char check = compact.back();
    compact.pop_back();
    if (!compact.empty() && compact.back() == '-') compact.pop_back();
    std::string body = compact.substr(std::min(compact.find_first_not_of('0'), compact.size()));

    if (body.size() + 1 < kMinLength || body.size() + 1 > kMaxLength) return LengthError();
    if (NitCheckDigit(body) != check) {
        return Invalid("nit-check-digit",
                       "El NIT no es válido: el dígito verificador no coincide. Revise que lo "
                       "haya escrito bien.");
    }
    return Nit{body, check};
}

}  // namespace vt::core
