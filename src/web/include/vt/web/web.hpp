#pragma once
/// The pages people use: server-rendered HTML in plain Spanish that works without
/// JavaScript on a cheap phone. Pages call the same domain services as the JSON API and
/// the same identity policy decides what each person may see and do.
///
/// Conventions every page follows (see src/web/page.hpp):
///   - Templates are Mustache files in src/web/templates, embedded in the binary; values
///     are HTML-escaped unless a template deliberately uses {{{triple}}} for HTML that a
///     template rendered.
///   - Every form carries a CSRF token: the session's for logged-in people, a
///     double-submit cookie for anonymous ones.
///   - A form with errors is shown again with status 422, an error summary that links
///     to each field, and everything the person typed; a form that succeeds redirects
///     (303) to a page that can be reloaded safely.
///   - A page that needs a login sends anonymous visitors to /cuenta/ingresar and back.
#include <string>

#include "vt/cases/cases.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/core/calendar.hpp"
#include "vt/core/clock.hpp"
#include "vt/documents/documents.hpp"
#include "vt/http/http.hpp"
#include "vt/identity/api.hpp"

namespace vt::web {

/// What the pages need. Every member must outlive the router.
struct WebDeps {
    const core::Clock& clock;
    const catalog::Registry& registry;
    identity::IdentityService& identity;
    const identity::Authenticator& authenticator;
    cases::CaseService& cases;
    /// Uploads, issued documents and their verification; null where the server has no
    /// document service (then forms refuse files with a clear message).
    documents::DocumentService* documents = nullptr;
    /// Días hábiles left before a deadline, shown in the officials' inbox; without it
    /// the inbox shows the dates only.
    const core::WorkingCalendar* calendar = nullptr;
};

/// Registers every page and the static assets (/static/...).
void AddWebRoutes(http::Router& router, const WebDeps& deps);

/// The stylesheet's file name under /static/: "estilo.<hash of its bytes>.css", so that
/// browsers may keep it forever and still fetch a new one the moment it changes.
std::string StylesheetFile();

}  // namespace vt::web
