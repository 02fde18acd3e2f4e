#pragma once
// The view of one form control for the "campo" template: label, help, error, the value
// typed, and the kind of control. Account forms build them by hand; trámite forms build
// them from the definition's fields (form_pages.cpp).
#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

namespace vt::web {

struct FieldView {
    std::string id;     ///< Form name; the element id is "f-<id>", the wrapper "campo-<id>".
    std::string label;
    /// "texto", "texto_largo", "correo", "telefono", "contrasena", "numero", "fecha",
    /// "seleccion" (radios when few options, a list otherwise), "casillas", "si_no",
    /// "archivo", "oculto".
    std::string kind = "texto";
    std::string value;
    std::vector<std::string> values;  ///< For "casillas".
    std::string help;
    std::string error;
    std::string autocomplete;
    std::string input_mode;  ///< "numeric", "decimal", ...
    bool required = false;
    bool short_input = false;
    std::vector<std::pair<std::string, std::string>> options;  ///< value, label
    std::string accept;  ///< For "archivo".
    std::string prefix;  ///< Shown before the input ("Q").

    boost::json::object ToJson() const;
};

}  // namespace vt::web
