// Server-side validation of form answers against a definition's fields.
#include <boost/json.hpp>
#include <regex>

#include "vt/catalog/catalog.hpp"
#include "vt/core/cui.hpp"
#include "vt/core/date.hpp"
#include "vt/core/geo.hpp"
#include "vt/core/money.hpp"
#include "vt/core/nit.hpp"

namespace vt::catalog {
namespace {

namespace json = boost::json;

// Limits that apply when a definition sets none: every input is bounded.
constexpr std::int64_t kDefaultTextMax = 500;
constexpr std::int64_t kDefaultLongTextMax = 10000;
constexpr std::int64_t kDefaultGroupMax = 500;

struct Checker {
    const AnswerContext& context;
    Error errors = Error::Invalid("Revise los datos marcados.");

    void Fail(const std::string& path, std::string message) {
        if (!errors.fields().contains(path)) errors.WithField(path, std::move(message));
    }

    static std::size_t Utf8Length(std::string_view s) {
        std::size_t n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80;
        return n;
    }

    static std::string Trim(std::string_view s) {
        std::size_t b = s.find_first_not_of(" \t\r\n");
        if (b == std::string_view::npos) return "";
        std::size_t e = s.find_last_not_of(" \t\r\n");
        return std::string(s.substr(b, e - b + 1));
    }

    static bool IsEmpty(const json::value& v) {
        if (v.is_null()) return true;
        if (v.is_string()) return Trim(v.as_string()).empty();
        if (v.is_array()) return v.as_array().empty();
        return false;
    }

    static bool Visible(const Field& f, const json::object& siblings) {
        if (!f.visible_if) return true;
        const json::value* v = siblings.if_contains(f.visible_if->field);
        if (!v) return false;
        for (const auto& allowed : f.visible_if->values) {
            if (*v == allowed) return true;
            // A multi-select shows the field when any chosen option matches.
            if (v->is_array()) {
                for (const auto& e : v->as_array()) {
                    if (e == allowed) return true;
                }
            }
        }
        return false;
    }

    std::optional<core::Date> Bound(const std::string& spec) {
        if (spec.starts_with("hoy")) {
            auto today = core::ParseIsoDate(context.today);
            if (!today.ok()) return std::nullopt;
            int offset = spec.size() > 3 ? std::stoi(spec.substr(3)) : 0;
            return core::AddDays(*today, offset);
        }
        auto d = core::ParseIsoDate(spec);
        if (!d.ok()) return std::nullopt;
        return *d;
    }

    // Returns the normalised answer, or nullopt after recording a problem.
    std::optional<json::value> Check(const Field& f, const json::value& v, const std::string& path) {
        switch (f.type) {
            case FieldType::kText:
            case FieldType::kLongText: {
                if (!v.is_string()) return Wrong(path, "un texto");
                std::string s = Trim(v.as_string());
                if (f.type == FieldType::kText && s.find_first_of("\r\n") != std::string::npos) {
                    Fail(path, "Escriba el texto en una sola línea.");
                    return std::nullopt;
                }
                for (unsigned char c : s) {
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        Fail(path, "El texto contiene caracteres de control no permitidos.");
                        return std::nullopt;
                    }
                }
                auto len = static_cast<std::int64_t>(Utf8Length(s));
                std::int64_t max = f.max.value_or(f.type == FieldType::kText ? kDefaultTextMax : kDefaultLongTextMax);
                if (f.min && len < *f.min) {
                    Fail(path, "Escriba al menos " + std::to_string(*f.min) + " caracteres.");
                    return std::nullopt;
                }
                if (len > max) {
                    Fail(path, "Escriba como máximo " + std::to_string(max) + " caracteres (tiene " +
                                   std::to_string(len) + ").");
                    return std::nullopt;
                }
                if (f.pattern && !std::regex_match(s, std::regex(*f.pattern))) {
                    Fail(path, f.pattern_message);
                    return std::nullopt;
                }
                return json::value(s);
            }
            case FieldType::kInteger:
            case FieldType::kMoney: {
                if (!v.is_int64() && !(v.is_uint64() && v.as_uint64() <= INT64_MAX))
                    return Wrong(path, f.type == FieldType::kMoney ? "un monto en centavos (número entero)"
                                                                   : "un número entero");
                std::int64_t n = v.is_int64() ? v.as_int64() : static_cast<std::int64_t>(v.as_uint64());
                auto show = [&](std::int64_t x) {
                    return f.type == FieldType::kMoney ? core::Money::FromCentavos(x).ToString() : std::to_string(x);
                };
                std::int64_t min = f.min.value_or(f.type == FieldType::kMoney ? 0 : INT64_MIN);
                if (n < min) {
                    Fail(path, "Debe ser como mínimo " + show(min) + ".");
                    return std::nullopt;
                }
                if (f.max && n > *f.max) {
                    Fail(path, "Debe ser como máximo " + show(*f.max) + ".");
                    return std::nullopt;
                }
                return json::value(n);
            }
            case FieldType::kDate: {
                if (!v.is_string()) return Wrong(path, "una fecha (AAAA-MM-DD)");
                auto d = core::ParseIsoDate(v.as_string());
                if (!d.ok()) {
                    Fail(path, d.error().message());
                    return std::nullopt;
                }
                if (f.min_date) {
                    if (auto b = Bound(*f.min_date); b && *d < *b) {
                        Fail(path, "La fecha no puede ser anterior al " + core::FormatIsoDate(*b) + ".");
                        return std::nullopt;
                    }
                }
                if (f.max_date) {
                    if (auto b = Bound(*f.max_date); b && *d > *b) {
                        Fail(path, "La fecha no puede ser posterior al " + core::FormatIsoDate(*b) + ".");
                        return std::nullopt;
                    }
                }
                return json::value(core::FormatIsoDate(*d));
            }
            case FieldType::kSelect: {
                if (!v.is_string()) return Wrong(path, "una de las opciones");
                if (!HasOption(f, v.as_string())) {
                    Fail(path, "Elija una de las opciones de la lista.");
                    return std::nullopt;
                }
                return v;
            }
            case FieldType::kMultiSelect: {
                if (!v.is_array()) return Wrong(path, "una lista de opciones");
                json::array out;
                for (const auto& e : v.as_array()) {
                    if (!e.is_string() || !HasOption(f, e.as_string())) {
                        Fail(path, "Elija solo opciones de la lista.");
                        return std::nullopt;
                    }
                    if (std::find(out.begin(), out.end(), e) != out.end()) {
                        Fail(path, "Hay una opción repetida.");
                        return std::nullopt;
                    }
                    out.push_back(e);
                }
                if (!CountInRange(f, static_cast<std::int64_t>(out.size()), path, "opciones", INT64_MAX)) return std::nullopt;
                return json::value(std::move(out));
            }
            case FieldType::kYesNo:
                if (!v.is_bool()) return Wrong(path, "sí o no (true o false)");
                return v;
            case FieldType::kCui: {
                if (!v.is_string()) return Wrong(path, "un número de CUI (13 dígitos)");
                auto cui = core::ParseCui(v.as_string());
                if (!cui.ok()) {
                    Fail(path, cui.error().message());
                    return std::nullopt;
                }
                return json::value(cui->digits);
            }
            case FieldType::kNit: {
                if (!v.is_string()) return Wrong(path, "un NIT");
                auto nit = core::ParseNit(v.as_string());
                if (!nit.ok()) {
                    Fail(path, nit.error().message());
                    return std::nullopt;
                }
                return json::value(nit->ToString());
            }
            case FieldType::kEmail: {
                if (!v.is_string()) return Wrong(path, "un correo electrónico");
                std::string s = Trim(v.as_string());
                static const std::regex kEmail(R"(^[^\s@]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$)");
                if (s.size() > 254 || !std::regex_match(s, kEmail)) {
                    Fail(path, "Escriba un correo electrónico válido, por ejemplo nombre@dominio.com.");
                    return std::nullopt;
                }
                return json::value(s);
            }
            case FieldType::kPhone: {
                if (!v.is_string()) return Wrong(path, "un número de teléfono");
                std::string digits;
                bool plus = false;
                for (char c : Trim(v.as_string())) {
                    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
                    else if (c == '+' && digits.empty() && !plus) plus = true;
                    else if (c != ' ' && c != '-' && c != '(' && c != ')') {
                        digits.clear();
                        break;
                    }
                }
                if (plus && digits.starts_with("502") && digits.size() == 11) {
                    digits = digits.substr(3);
                    plus = false;
                }
                bool local = !plus && digits.size() == 8 && digits[0] >= '2' && digits[0] <= '7';
                bool international = plus && digits.size() >= 8 && digits.size() <= 15;
                if (!local && !international) {
                    Fail(path, "Escriba un teléfono de 8 dígitos (por ejemplo 5555-1234) o uno internacional con +.");
                    return std::nullopt;
                }
                return json::value(plus ? "+" + digits : digits.substr(0, 4) + "-" + digits.substr(4));
            }
            case FieldType::kPlace: {
                if (!v.is_object()) return Wrong(path, "un departamento y municipio");
                const auto& o = v.as_object();
                const json::value* dep = o.if_contains("departamento");
                const json::value* mun = o.if_contains("municipio");
                if (!dep || !dep->is_string() || dep->as_string().empty()) {
                    Fail(path + ".departamento", "Elija el departamento.");
                    return std::nullopt;
                }
                if (!mun || !mun->is_string() || mun->as_string().empty()) {
                    Fail(path + ".municipio", "Elija el municipio.");
                    return std::nullopt;
                }
                if (o.size() != 2) {
                    Fail(path, "Solo se admiten departamento y municipio.");
                    return std::nullopt;
                }
                if (Status s = core::ValidateMunicipio(dep->as_string(), mun->as_string()); !s.ok()) {
                    Fail(path + (s.error().code() == "departamento-unknown" ? ".departamento" : ".municipio"),
                         s.error().message());
                    return std::nullopt;
                }
                return v;
            }
            case FieldType::kFile: {
                static const std::regex kId("^[A-Za-z0-9_-]{8,128}$");
                const json::value* id = v.is_object() ? v.as_object().if_contains("documento") : nullptr;
                if (!id || !id->is_string() || v.as_object().size() != 1 ||
                    !std::regex_match(std::string(id->as_string()), kId)) {
                    return Wrong(path, "un archivo subido ({\"documento\": \"<identificador>\"})");
                }
                return v;
            }
            case FieldType::kGroup: {
                if (!v.is_array()) return Wrong(path, "una lista");
                const auto& items = v.as_array();
                if (!CountInRange(f, static_cast<std::int64_t>(items.size()), path, "elementos", kDefaultGroupMax))
                    return std::nullopt;
                json::array out;
                bool ok = true;
                for (std::size_t i = 0; i < items.size(); ++i) {
                    std::string ip = path + "[" + std::to_string(i) + "]";
                    if (!items[i].is_object()) {
                        Fail(ip, "Cada elemento debe ser un objeto.");
                        ok = false;
                        continue;
                    }
                    auto sub = CheckAll(f.fields, items[i].as_object(), ip + ".");
                    if (sub) out.push_back(std::move(*sub));
                    else ok = false;
                }
                if (!ok) return std::nullopt;
                return json::value(std::move(out));
            }
        }
        return std::nullopt;
    }

    bool CountInRange(const Field& f, std::int64_t n, const std::string& path, const char* what, std::int64_t dflt_max) {
        if (f.min && n < *f.min) {
            Fail(path, "Indique al menos " + std::to_string(*f.min) + " " + what + ".");
            return false;
        }
        std::int64_t max = f.max.value_or(dflt_max);
        if (n > max) {
            Fail(path, "Indique como máximo " + std::to_string(max) + " " + what + ".");
            return false;
        }
        return true;
    }

    static bool HasOption(const Field& f, std::string_view value) {
        for (const auto& o : f.options) {
            if (o.value == value) return true;
        }
        return false;
    }

    std::optional<json::value> Wrong(const std::string& path, const std::string& expected) {
        Fail(path, "Debe ser " + expected + ".");
        return std::nullopt;
    }

    std::optional<json::object> CheckAll(const std::vector<Field>& fields, const json::object& answers,
                                         const std::string& prefix) {
        json::object out;
        bool ok = true;
        for (const auto& kv : answers) {
            bool known = false;
            for (const auto& f : fields) known = known || f.id == kv.key();
            if (!known) {
                Fail(prefix + std::string(kv.key()), "Este dato no pertenece al formulario.");
                ok = false;
            }
        }
        for (const Field& f : fields) {
            std::string path = prefix + f.id;
            const json::value* v = answers.if_contains(f.id);
            bool empty = !v || IsEmpty(*v);
            if (!Visible(f, answers)) {
                if (!empty) {
                    Fail(path, "Este dato no corresponde según sus otras respuestas.");
                    ok = false;
                }
                continue;
            }
            if (empty) {
                if (f.required) {
                    Fail(path, f.type == FieldType::kFile ? "Adjunte este archivo." : "Este dato es obligatorio.");
                    ok = false;
                }
                continue;
            }
            auto checked = Check(f, *v, path);
            if (!checked) {
                ok = false;
                continue;
            }
            out[f.id] = std::move(*checked);
        }
        if (!ok) return std::nullopt;
        return out;
    }
};

}  // namespace

Result<boost::json::object> ValidateAnswers(const std::vector<Field>& fields, const boost::json::object& answers,
                                            const AnswerContext& context) {
    Checker checker{context};
    auto out = checker.CheckAll(fields, answers, "");
    if (!out) return std::move(checker.errors);
    return std::move(*out);
}

}  // namespace vt::catalog
