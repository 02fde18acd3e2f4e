#pragma once
// Mustache rendering of the embedded templates (src/web/templates/*.mustache). The
// template engine's header is large, so only render.cpp includes it; pages build their
// views as JSON objects.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::web {

/// Renders template `name` (its file name without ".mustache") with `view`. Values are
/// HTML-escaped unless written {{{so}}}; false, null, empty strings and empty arrays skip
/// a section. Every template is also a partial: {{>campo}}.
/// REQUIRES: CheckTemplates() is ok (Render of a missing or broken template returns an
/// empty string).
std::string Render(std::string_view name, const boost::json::object& view);

/// Parses every embedded template once. Errors: kInternal naming the broken template.
[[nodiscard]] Status CheckTemplates();

/// The embedded static asset `file` ("estilo.css"), or empty.
std::string_view StaticAsset(std::string_view file);

}  // namespace vt::web
