#pragma once
// `ventanilla audit verify`: recomputes the audit tree from the database and checks every
// covered row against its latest entry.
#include <iosfwd>
#include <vector>

#include "vt/app/config.hpp"
#include "vt/audit/verify.hpp"

namespace vt::app {

/// Every table whose rows the audit log vouches for, one entry per module that audits
/// changes of a table. A module that starts auditing a table adds its coverage here.
std::vector<audit::CoveredTable> AuditedTables();

/// Verifies the configured database (read-only; a running server may keep serving) and
/// prints the summary and one tab-separated line per problem (table, key, problem,
/// detail) to `out`. Returns 0 when there is no problem, 1 when there is any or the
/// database cannot be read (the reason goes to `err`).
int VerifyAudit(const Config& config, std::ostream& out, std::ostream& err);

}  // namespace vt::app
