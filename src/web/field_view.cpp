#include "field_view.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace vt::web {

namespace json = boost::json;

json::object FieldView::ToJson() const {
    json::object o{{"id", id},           {"nombre", id},           {"etiqueta", label}, {"valor", value},
                   {"ayuda", help},      {"error", error},    {"autocompletar", autocomplete},
                   {"modo", input_mode}, {"obligatorio", required},
                   {"corto", short_input}, {"aceptar", accept}, {"prefijo", prefix}};
    std::string k = kind;
    // Few options read best as radio buttons; long lists as a drop-down.
    if (k == "seleccion" && options.size() > 6) k = "lista";
    o["es_" + k] = true;
    std::string describedby;
    if (!help.empty()) describedby += "ayuda-" + id;
    if (!error.empty()) describedby += (describedby.empty() ? "" : " ") + std::string("error-") + id;
    o["descrito_por"] = describedby;
    if (kind == "si_no") {
        o["si"] = value == "si";
        o["no"] = value == "no";
    }
    json::array opts;
    int n = 0;
    for (const auto& [v, l] : options) {
        bool chosen = kind == "casillas" ? std::find(values.begin(), values.end(), v) != values.end() : v == value;
        json::object opt{{"valor", v}, {"etiqueta", l}, {"n", ++n}};
        if (chosen) opt["elegida"] = true;
        opts.push_back(std::move(opt));
    }
    o["opciones"] = std::move(opts);
    return o;
}

}  // namespace vt::web
