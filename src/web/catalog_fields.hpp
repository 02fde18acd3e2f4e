#pragma once
// Forms built from a trámite definition's fields (catalog::Field): the controls to show
// and the typed answers read back from what a browser posts. Used for the inputs of
// workflow transitions; any form made of catalog fields can use it.
#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "field_view.hpp"
#include "page.hpp"
#include "vt/catalog/catalog.hpp"

namespace vt::web {

/// The controls of `fields`, in order. Each control's form name is `prefix` + the field's
/// id, so several forms on one page keep distinct names and element ids. Values are the
/// ones typed in `form`; `errors` (keyed by form name) puts a message beside a control.
/// Repeatable groups ("grupo") have no control here and are left out.
std::vector<FieldView> CatalogFieldViews(const std::vector<catalog::Field>& fields, const Form& form,
                                         std::string_view prefix,
                                         const std::map<std::string, std::string>& errors);

/// What a posted form says about `fields`.
struct FormAnswers {
    /// JSON typed as catalog::ValidateAnswers expects: "entero" as an integer, "dinero"
    /// typed in quetzales ("1,234.50") as centavos, "si_no" as a boolean, "seleccion_multiple"
    /// as a list, "lugar" from a municipio code, "archivo" from an upload id. Empty inputs,
    /// and inputs of fields whose visible_si condition the other answers do not meet, are
    /// left out (a page without scripts shows every field).
    boost::json::object answers;
    /// Inputs that could not be read (a number that is not one), keyed by form name.
    std::map<std::string, std::string> errors;
};

/// Reads the answers to `fields` from `form` (names as in CatalogFieldViews).
FormAnswers AnswersFromForm(const std::vector<catalog::Field>& fields, const Form& form,
                            std::string_view prefix);

}  // namespace vt::web
