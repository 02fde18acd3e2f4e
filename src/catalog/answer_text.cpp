// Answers written as people read them, for documents and review pages.
#include <boost/json.hpp>

#include "vt/catalog/catalog.hpp"
#include "vt/core/date.hpp"
#include "vt/core/geo.hpp"
#include "vt/core/money.hpp"

namespace vt::catalog {


namespace {

std::string OptionLabel(const Field* field, std::string_view value) {
    if (field) {
        for (const Option& o : field->options) {
            if (o.value == value) return o.label;
        }
    }
    return std::string(value);
}

std::string PlainAnswer(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_bool()) return v.as_bool() ? "Sí" : "No";
    if (v.is_null()) return "";
    return boost::json::serialize(v);
}

}  // namespace

std::string AnswerText(const Field* field, const boost::json::value& value) {
    
    if (!field) return PlainAnswer(value);
    switch (field->type) {
        case FieldType::kMoney:
            if (value.is_int64()) return core::Money::FromCentavos(value.as_int64()).ToString();
            break;
        case FieldType::kDate:
            if (value.is_string()) {
                auto d = core::ParseIsoDate(value.as_string());
                if (d.ok()) return core::SpanishLongDate(*d);
            }
            break;
        case FieldType::kSelect:
            if (value.is_string()) return OptionLabel(field, value.as_string());
            break;
        case FieldType::kMultiSelect:
            if (value.is_array()) {
                std::string out;
                for (const boost::json::value& item : value.as_array()) {
                    if (!out.empty()) out += ", ";
                    out += item.is_string() ? OptionLabel(field, item.as_string()) : PlainAnswer(item);
                }
                return out;
            }
            break;
        case FieldType::kPlace:
            if (const boost::json::object* o = value.if_object()) {
                const boost::json::value* m = o->if_contains("municipio");
                const boost::json::value* dpto = o->if_contains("departamento");
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
                for (const boost::json::value& item : value.as_array()) {
                    const boost::json::object* o = item.if_object();
                    if (!o) continue;
                    std::string line;
                    for (const catalog::Field& sub : field->fields) {
                        const boost::json::value* v = o->if_contains(sub.id);
                        if (!v) continue;
                        if (!line.empty()) line += "; ";
                        line += sub.label + ": " + AnswerText(&sub, *v);
                    }
                    if (!out.empty()) out += "\n";
                    out += line;
                }
                return out;
            }
            break;
        case FieldType::kFile:
            if (const boost::json::object* o = value.if_object()) {
                if (const boost::json::value* id = o->if_contains("documento"); id && id->is_string())
                    return "archivo " + std::string(id->as_string());
            }
            break;
        default:
            break;
    }
    return PlainAnswer(value);
}

}  // namespace vt::catalog
