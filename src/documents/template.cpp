#include "template.hpp"

#include <boost/json.hpp>

#include "vt/core/geo.hpp"
#include "vt/core/money.hpp"

namespace vt::documents {
namespace {

namespace json = boost::json;

std::string_view Trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::string OptionLabel(const catalog::Field* field, std::string_view value) {
    if (field) {
        for (const catalog::Option& o : field->options) {
            if (o.value == value) return o.label;
        }
    }
    return std::string(value);
}

std::string Plain(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_bool()) return v.as_bool() ? "Sí" : "No";
    if (v.is_null()) return "";
    return json::serialize(v);
}

}  // namespace

Result<std::string> FillTemplate(std::string_view text, const PlaceholderLookup& lookup) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) break;
        std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        std::string_view name = Trim(text.substr(open + 2, close - open - 2));
        std::optional<std::string> value = lookup(name);
        if (!value) {
            return Error(ErrorKind::kInvalid, "template-placeholder-unknown",
                         "La plantilla del documento usa {{" + std::string(name) +
                             "}}, que no es un campo del trámite.");
        }
        out += *value;
        pos = close + 2;
    }
    out.append(text.substr(pos));
    return out;
}

std::string SpanishLongDate(core::Date d) {
    static constexpr const char* kMonths[] = {"enero",      "febrero", "marzo",     "abril",
                                              "mayo",       "junio",   "julio",     "agosto",
                                              "septiembre", "octubre", "noviembre", "diciembre"};
    return std::to_string(static_cast<unsigned>(d.day())) + " de " +
           kMonths[static_cast<unsigned>(d.month()) - 1] + " de " +
           std::to_string(static_cast<int>(d.year()));
}

std::string DisplayValue(const catalog::Field* field, const json::value& value) {
    using catalog::FieldType;
    if (!field) return Plain(value);
    switch (field->type) {
        case FieldType::kMoney:
            if (value.is_int64()) return core::Money::FromCentavos(value.as_int64()).ToString();
            break;
        case FieldType::kDate:
            if (value.is_string()) {
                auto d = core::ParseIsoDate(value.as_string());
                if (d.ok()) return SpanishLongDate(*d);
            }
            break;
        case FieldType::kSelect:
            if (value.is_string()) return OptionLabel(field, value.as_string());
            break;
        case FieldType::kMultiSelect:
            if (value.is_array()) {
                std::string out;
                for (const json::value& item : value.as_array()) {
                    if (!out.empty()) out += ", ";
                    out += item.is_string() ? OptionLabel(field, item.as_string()) : Plain(item);
                }
                return out;
            }
            break;
        case FieldType::kPlace:
            if (const json::object* o = value.if_object()) {
                const json::value* m = o->if_contains("municipio");
                const json::value* dpto = o->if_contains("departamento");
                std::string out;
                if (m && m->is_string()) {
                    if (auto found = core::FindMunicipio(m->as_string()); found.ok())
                        out = std::string(found->name);
                }
                if (dpto && dpto->is_string()) {
                    if (auto found = core::FindDepartamento(dpto->as_string()); found.ok())
                        out += (out.empty() ? "" : ", ") + std::string(found->name);
                }
                if (!out.empty()) return out;
            }
            break;
        case FieldType::kGroup:
            if (value.is_array()) {
                // One line per item: its answers in the order of the sub-form.
                std::string out;
                for (const json::value& item : value.as_array()) {
                    const json::object* o = item.if_object();
                    if (!o) continue;
                    std::string line;
                    for (const catalog::Field& sub : field->fields) {
                        const json::value* v = o->if_contains(sub.id);
                        if (!v) continue;
                        if (!line.empty()) line += "; ";
                        line += sub.label + ": " + DisplayValue(&sub, *v);
                    }
                    if (!out.empty()) out += "\n";
                    out += line;
                }
                return out;
            }
            break;
        case FieldType::kFile:
            if (const json::object* o = value.if_object()) {
                if (const json::value* id = o->if_contains("documento"); id && id->is_string())
                    return "archivo " + std::string(id->as_string());
            }
            break;
        default:
            break;
    }
    return Plain(value);
}

}  // namespace vt::documents
