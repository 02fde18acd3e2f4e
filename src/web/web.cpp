#include "vt/web/web.hpp"

#include "pages.hpp"

namespace vt::web {

void AddWebRoutes(http::Router& router, const WebDeps& deps) {
    auto site = std::make_shared<const Site>(deps);
    AddPublicPages(router, site);
    AddAccountPages(router, site);
    AddFormPages(router, site);
    AddMyPages(router, site);
    AddCalculatorPages(router, site);
    AddOrganizationPages(router, site);
    AddBackofficePages(router, site);
    AddAdminPages(router, site);
    AddSecondFactorPages(router, site);
}

}  // namespace vt::web
