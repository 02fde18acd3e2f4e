#pragma once
// Filling a document's template text: {{placeholders}} replaced by answers written as
// people read them.
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "vt/catalog/catalog.hpp"
#include "vt/core/date.hpp"
#include "vt/core/result.hpp"

namespace vt::documents {

/// Resolves a placeholder name to its text; nullopt when the name is unknown.
using PlaceholderLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// `text` with every "{{name}}" (spaces inside the braces ignored) replaced by
/// lookup(name). A "{{" without a closing "}}" is kept as written.
/// Errors: kInvalid code "template-placeholder-unknown" naming the first unknown name.
[[nodiscard]] Result<std::string> FillTemplate(std::string_view text,
                                               const PlaceholderLookup& lookup);

/// "25 de noviembre de 2026". REQUIRES: d.ok().
std::string SpanishLongDate(core::Date d);

/// An answer as it reads on a document, by its field's type (`field` may be null: then by
/// its JSON type): dates in words, amounts in quetzales, option labels, "Sí"/"No",
/// municipio and departamento names, lists joined with commas.
std::string DisplayValue(const catalog::Field* field, const boost::json::value& value);

}  // namespace vt::documents
