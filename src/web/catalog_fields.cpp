#include "catalog_fields.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "vt/core/geo.hpp"
#include "vt/core/money.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

std::string Trim(std::string_view s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return "";
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

// A browser's form shows every field, so one whose condition is not met may come back
// filled in; it is dropped, as the person would expect of a field that does not apply.
bool Visible(const catalog::Field& f, const json::object& answers) {
    if (!f.visible_if) return true;
    const json::value* v = answers.if_contains(f.visible_if->field);
    if (!v) return false;
    for (const json::value& allowed : f.visible_if->values) {
        if (*v == allowed) return true;
        if (const json::array* chosen = v->if_array()) {
            for (const json::value& e : *chosen) {
                if (e == allowed) return true;
            }
        }
    }
    return false;
}

}  // namespace

std::vector<FieldView> CatalogFieldViews(const std::vector<catalog::Field>& fields, const Form& form,
                                         std::string_view prefix,
                                         const std::map<std::string, std::string>& errors) {
    using catalog::FieldType;
    std::vector<FieldView> out;
    for (const catalog::Field& f : fields) {
        if (f.type == FieldType::kGroup) continue;
        FieldView v;
        v.id = std::string(prefix) + f.id;
        v.label = f.label + (f.required ? "" : " (opcional)");
        v.help = f.help;
        v.required = f.required;
        v.value = form.Get(v.id);
        if (auto it = errors.find(v.id); it != errors.end()) v.error = it->second;
        switch (f.type) {
            case FieldType::kText: v.kind = "texto"; break;
            case FieldType::kLongText: v.kind = "texto_largo"; break;
            case FieldType::kInteger:
                v.kind = "numero";
                v.input_mode = "numeric";
                break;
            case FieldType::kMoney:
                v.kind = "numero";
                v.input_mode = "decimal";
                v.prefix = "Q";
                if (v.help.empty()) v.help = "En quetzales, por ejemplo 1,234.50.";
                break;
            case FieldType::kDate: v.kind = "fecha"; break;
            case FieldType::kSelect:
            case FieldType::kMultiSelect:
                v.kind = f.type == FieldType::kSelect ? "seleccion" : "casillas";
                for (const catalog::Option& o : f.options) v.options.emplace_back(o.value, o.label);
                v.values = form.GetAll(v.id);
                break;
            case FieldType::kYesNo: v.kind = "si_no"; break;
            case FieldType::kCui:
                v.kind = "texto";
                v.input_mode = "numeric";
                v.autocomplete = "off";
                if (v.help.empty()) v.help = "Los 13 dígitos del DPI.";
                break;
            case FieldType::kNit:
                v.kind = "texto";
                v.short_input = true;
                v.autocomplete = "off";
                break;
            case FieldType::kEmail:
                v.kind = "correo";
                v.autocomplete = "off";
                break;
            case FieldType::kPhone: v.kind = "telefono"; break;
            case FieldType::kPlace:
                v.kind = "texto";
                v.short_input = true;
                v.input_mode = "numeric";
                if (v.help.empty()) v.help = "El código de cuatro dígitos del municipio, por ejemplo 0101.";
                break;
            case FieldType::kFile:
                v.kind = "texto";
                v.autocomplete = "off";
                if (v.help.empty()) v.help = "El identificador del archivo ya subido a la ventanilla.";
                break;
            case FieldType::kGroup: break;
        }
        out.push_back(std::move(v));
    }
    return out;
}

FormAnswers AnswersFromForm(const std::vector<catalog::Field>& fields, const Form& form,
                            std::string_view prefix) {
    using catalog::FieldType;
    FormAnswers out;
    for (const catalog::Field& f : fields) {
        const std::string name = std::string(prefix) + f.id;
        if (f.type == FieldType::kMultiSelect) {
            json::array chosen;
            for (const std::string& v : form.GetAll(name)) {
                if (!v.empty()) chosen.emplace_back(v);
            }
            if (!chosen.empty()) out.answers[f.id] = std::move(chosen);
            continue;
        }
        std::string text = form.Get(name);
        if (Trim(text).empty()) continue;
        switch (f.type) {
            case FieldType::kInteger: {
                std::string t = Trim(text);
                std::int64_t n = 0;
                auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
                if (ec != std::errc() || end != t.data() + t.size()) {
                    out.errors[name] = "Escriba un número entero, sin letras ni decimales.";
                } else {
                    out.answers[f.id] = n;
                }
                break;
            }
            case FieldType::kMoney: {
                auto amount = core::Money::Parse(text);
                if (!amount.ok()) {
                    out.errors[name] = "Escriba un monto en quetzales, por ejemplo 1,234.50.";
                } else {
                    out.answers[f.id] = amount->centavos();
                }
                break;
            }
            case FieldType::kYesNo:
                if (text == "si") out.answers[f.id] = true;
                else if (text == "no") out.answers[f.id] = false;
                else out.errors[name] = "Elija sí o no.";
                break;
            case FieldType::kPlace: {
                std::string code = Trim(text);
                auto municipio = core::FindMunicipio(code);
                if (!municipio.ok() || code.size() != 4) {
                    out.errors[name] = "Escriba el código de cuatro dígitos de un municipio, por ejemplo 0101.";
                } else {
                    out.answers[f.id] = json::object{{"departamento", code.substr(0, 2)}, {"municipio", code}};
                }
                break;
            }
            case FieldType::kFile: out.answers[f.id] = json::object{{"documento", Trim(text)}}; break;
            case FieldType::kGroup: break;
            default: out.answers[f.id] = text; break;
        }
    }
    for (const catalog::Field& f : fields) {
        if (out.answers.contains(f.id) && !Visible(f, out.answers)) out.answers.erase(f.id);
    }
    return out;
}

}  // namespace vt::web
