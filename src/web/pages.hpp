#pragma once
// The page groups, each registered by its own file.
#include <memory>

#include "page.hpp"

namespace vt::web {

void AddPublicPages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddAccountPages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddFormPages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddOrganizationPages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddMyPages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddCalculatorPages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddBackofficePages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddAdminPages(http::Router& router, const std::shared_ptr<const Site>& site);
void AddSecondFactorPages(http::Router& router, const std::shared_ptr<const Site>& site);

}  // namespace vt::web
