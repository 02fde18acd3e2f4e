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



}  // namespace vt::documents
