#pragma once
// What every page handler shares: who is asking, the CSRF token its forms carry, the
// layout, form bodies, redirects and error pages. See the conventions in vt/web/web.hpp.
#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vt/core/result.hpp"
#include "vt/http/http.hpp"
#include "vt/identity/api.hpp"
#include "vt/web/web.hpp"

namespace vt::web {

/// The fields of an application/x-www-form-urlencoded body (or of a query string), in
/// order; a name may repeat (checkboxes).
class Form {
public:
    static Form Parse(std::string_view urlencoded);

    /// The first value of `name`, or empty.
    std::string Get(std::string_view name) const;
    std::vector<std::string> GetAll(std::string_view name) const;
    bool Has(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
    void Add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

/// One request as a page sees it.
struct Visit {
    const http::Request& request;
    identity::Authentication auth;
    /// The token this response's forms carry.
    std::string csrf;
    /// Anonymous visitors get their CSRF token in a cookie the first time.
    bool new_csrf_cookie = false;

    const core::Actor& actor() const { return auth.actor; }
    bool anonymous() const { return auth.actor.kind == core::Actor::Kind::kAnonymous; }
};

/// A page to render: the body template, its view, and layout details.
struct PageSpec {
    std::string template_name;
    std::string title;  ///< Without the site name.
    boost::json::object view;
    int status = 200;
    /// Marks the main navigation entry of the section the page belongs to.
    std::string section;
};

/// The helpers page handlers use; one per server, shared by all handlers (thread-safe).
class Site {
public:
    explicit Site(const WebDeps& deps);

    const WebDeps& deps() const { return deps_; }

    /// Who is asking. A bad API token or a stale cookie is treated as anonymous: pages are
    /// for browsers, which send cookies only.
    Visit Begin(const http::Request& request) const;

    /// Checks a state-changing request's CSRF token: the session's for logged-in visitors,
    /// the double-submit cookie for anonymous ones. `form` is the parsed body.
    bool CsrfValid(const Visit& visit, const Form& form) const;

    /// The full HTML page: layout, navigation for the visitor, and the body template.
    http::Response Page(const Visit& visit, PageSpec spec) const;

    /// 303 See Other to `location` (a path on this site).
    http::Response Redirect(const Visit& visit, std::string location) const;

    /// Anonymous visitors to a page that needs a login go to the login page and come back.
    http::Response LoginRedirect(const Visit& visit) const;

    /// A page explaining an error in plain Spanish, with the status of its kind.
    http::Response ErrorPage(const Visit& visit, const Error& error) const;

    /// A page for a form whose CSRF token is missing or stale (403).
    http::Response CsrfPage(const Visit& visit) const;

    /// The path of the stylesheet (content-hashed, cached forever).
    const std::string& stylesheet() const { return stylesheet_path_; }

private:
    WebDeps deps_;
    std::string stylesheet_path_;
};

/// The error summary and per-field messages of a form: `fields` maps field ids to messages;
/// `order` lists field ids (and labels) in the order of the form, so the summary follows it.
/// Returns {"errores": [{"campo","mensaje","enlace"}...]} entries for the view.
boost::json::array ErrorSummary(const std::map<std::string, std::string>& fields,
                                const std::vector<std::pair<std::string, std::string>>& order);

/// Marks the entries of an error summary for the {{>errores}} partial, which opens the box
/// at the entry with "primero" and closes it at the one with "ultimo". Every entry gets
/// both keys, true or false: a missing key would make Mustache look it up in the page's
/// own view (a form step has its own "primero") and open the box again.
void MarkSummaryEnds(boost::json::array& summary);

/// "2026-11-25" -> "25 de noviembre de 2026"; other text unchanged.
std::string LongDate(std::string_view iso_date);

/// The instant of an RFC 3339 UTC time as stored ("2026-11-25T18:04:05Z"), to the second.
std::optional<std::chrono::sys_seconds> ParseUtc(std::string_view rfc3339);

/// "2026-11-25T18:04:05Z" -> "25 de noviembre de 2026, 12:04", in Guatemala (UTC−06:00
/// all year); other text unchanged.
std::string LongDateTime(std::string_view rfc3339);

/// Q1,234.50 from centavos.
std::string Quetzales(std::int64_t centavos);

/// A safe place to return to after login: a local path, never another site.
std::string SafeReturnPath(std::string_view candidate);

/// Percent-encodes `s` for a query string value.
std::string UrlEncode(std::string_view s);

}  // namespace vt::web
