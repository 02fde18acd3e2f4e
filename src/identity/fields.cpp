#include "fields.hpp"

#include <algorithm>
#include <cctype>

#include "vt/identity/policy.hpp"

namespace vt::identity::internal {

std::string Trim(std::string_view s) {
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string NormalizeEmail(std::string_view text, FieldErrors& errors, const std::string& field) {
    std::string e = Trim(text);
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t at = e.find('@');
    bool ok = !e.empty() && e.size() <= 254 && at != std::string::npos && at > 0 &&
              e.find('@', at + 1) == std::string::npos &&
              e.find('.', at + 2) != std::string::npos && e.back() != '.' &&
              std::none_of(e.begin(), e.end(), [](char c) {
                  return std::isspace(static_cast<unsigned char>(c)) ||
                         std::iscntrl(static_cast<unsigned char>(c)) || c == '<' || c == '>' ||
                         c == ',' || c == ';' || c == '"';
              });
    if (!ok) {
        errors[field] = "Escriba un correo electrónico válido, por ejemplo nombre@dominio.gt.";
        return {};
    }
    return e;
}

std::string NormalizeName(std::string_view text, FieldErrors& errors, const std::string& field) {
    std::string out;
    for (char c : Trim(text)) {
        bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (space && !out.empty() && out.back() == ' ') continue;
        if (std::iscntrl(static_cast<unsigned char>(c)) && !space) continue;
        out.push_back(space ? ' ' : c);
    }
    if (out.size() < 2 || out.size() > 200) {
        errors[field] = "Escriba el nombre (de 2 a 200 caracteres).";
        return {};
    }
    return out;
}

std::string NormalizePhone(std::string_view text, FieldErrors& errors) {
    std::string t = Trim(text);
    if (t.empty()) return {};
    std::string digits;
    bool stray = false;
    std::string_view rest = t;
    if (rest.starts_with("+502")) rest.remove_prefix(4);
    for (char c : rest) {
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c != ' ' && c != '-') {
            stray = true;
        }
    }
    if (stray || digits.size() != 8 || digits[0] < '2' || digits[0] > '7') {
        errors["telefono"] =
            "Escriba un teléfono de Guatemala de 8 dígitos, por ejemplo 5555 1234.";
        return {};
    }
    return digits;
}

std::vector<std::string> NormalizeRoles(const std::vector<std::string>& roles,
                                        FieldErrors& errors) {
    std::vector<std::string> out;
    auto known = OfficialRoles();
    for (const std::string& r : roles) {
        if (std::find(known.begin(), known.end(), r) == known.end()) {
            std::string list;
            for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            errors["roles"] = "Rol desconocido «" + r + "»; los roles son: " + list + ".";
            return {};
        }
        out.push_back(r);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (out.empty()) errors["roles"] = "Indique al menos un rol.";
    return out;
}

}  // namespace vt::identity::internal
