// The authorization matrix: every action × every kind of actor and role × every relation
// between actor and object, checked against a table written here by hand from the rules
// (not derived from policy.cpp). A cell the policy allows and the table denies is a leak;
// the test demands zero leaks and zero unexpected denials.
#include "vt/identity/policy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace vt::identity {
namespace {

using Kind = core::Actor::Kind;

// Rows: who acts. Officials belong to office "X"; representatives and owners act for
// organization "A".
struct Row {
    const char* name;
    core::Actor actor;
};

std::vector<Row> Rows() {
    auto official = [](const char* id, const char* role) {
        return core::Actor{Kind::kOfficial, id, {}, "X", {role}};
    };
    return {
        {"anonimo", core::Actor::Anonymous()},
        {"ciudadano", {Kind::kCitizen, "c1", {}, {}, {}}},
        {"representante", {Kind::kCitizen, "c2", "A", {}, {"representante"}}},
        {"propietario", {Kind::kCitizen, "c3", "A", {}, {"propietario"}}},
        {"recepcion", official("f1", "recepcion")},
        {"analista", official("f2", "analista")},
        {"inspector", official("f3", "inspector")},
        {"jefe", official("f4", "jefe")},
        {"firma", official("f5", "firma")},
        {"administrador", {Kind::kAdministrator, "a1", {}, {}, {}}},
        {"maquina", {Kind::kSystem, "api:t1", {}, {}, {"seguimiento", "expedientes:leer"}}},
        {"maquina-sin-alcances", {Kind::kSystem, "api:t2", {}, {}, {}}},
        {"sistema", core::Actor::System()},
    };
}

// Columns: the object, relative to the actor. "self" is the actor's own id.
constexpr int kColumns = 9;
const char* const kColumnNames[kColumns] = {"propio",    "ajeno",    "propio-org",
                                            "ajeno-org", "otra-org", "otra-oficina",
                                            "sin-dueno", "interno",  "anonimo-ok"};

Resource Column(int c, const core::Actor& a) {
    const std::string self = a.id;
    const std::string other = "otra-persona";
    Resource r;
    r.office = "X";
    r.roles = {"analista"};  // the workflow step at hand needs an analyst
    r.owner = (c == 0 || c == 2 || c == 7) ? self : (c == 6 || c == 8) ? std::string() : other;
    r.organization = (c == 2 || c == 3) ? std::string("A")
                     : c == 4           ? std::string("B")
                                        : std::string();
    if (c == 5) r.office = "Y";
    r.internal = c == 7;
    r.anonymous_allowed = c == 8;
    return r;
}

// The expected decisions: one string per row (in the order of Rows()), one character per
// column (in the order above): 'A' allow, '.' deny.
const std::map<Action, std::vector<std::string>> kExpected = {
    {Action::kCatalogView,
     {"AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA",
      "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", ".........", ".........", "AAAAAAAAA"}},
    {Action::kTrackingView,
     {"AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA",
      "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", ".........", "AAAAAAAAA"}},
    {Action::kCalculatorUse,
     {"AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA",
      "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", ".........", ".........", "AAAAAAAAA"}},
    // Anonymous: only trámites open to anonymous filings. Citizens: for themselves, and for
    // the organization they act for. Officials: for themselves, internal trámites included.
    {Action::kCaseFile,
     {"........A", "A........", "A.A......", "A.A......", "A......A.", "A......A.", "A......A.",
      "A......A.", "A......A.", ".........", ".........", ".........", "AAAAAAAAA"}},
    // At a window: reception staff, for another person, not for an organization, not
    // internal trámites; any office's window.
    {Action::kCaseFileOnBehalf,
     {".........", ".........", ".........", ".........", ".A...A...", ".........", ".........",
      ".........", ".........", ".........", ".........", ".........", "AAAAAAAAA"}},
    // Citizens: their own; representatives also their organization's; officials: their
    // office's; administrators: none.
    {Action::kCaseView,
     {".........", "A.A....A.", "A.AA...A.", "A.AA...A.", "AAAAA.AAA", "AAAAA.AAA", "AAAAA.AAA",
      "AAAAA.AAA", "AAAAA.AAA", ".........", "AAAAAAAAA", ".........", "AAAAAAAAA"}},
    // Officials of the office holding a role the step requires (here: analista).
    {Action::kCaseTransition,
     {".........", ".........", ".........", ".........", ".........", "AAAAA.AAA", ".........",
      ".........", ".........", ".........", ".........", ".........", "AAAAAAAAA"}},
    // Heads and reception of the office.
    {Action::kCaseAssign,
     {".........", ".........", ".........", ".........", "AAAAA.AAA", ".........", ".........",
      "AAAAA.AAA", ".........", ".........", ".........", ".........", "AAAAAAAAA"}},
    {Action::kInboxView,
     {".........", ".........", ".........", ".........", "AAAAA.AAA", "AAAAA.AAA", "AAAAA.AAA",
      "AAAAA.AAA", "AAAAA.AAA", ".........", ".........", ".........", "AAAAAAAAA"}},
    {Action::kReportView,
     {".........", ".........", ".........", ".........", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA",
      "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", ".........", ".........", "AAAAAAAAA"}},
    {Action::kDraftManage,
     {".........", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.",
      "A.A....A.", "A.A....A.", ".........", ".........", ".........", "AAAAAAAAA"}},
    {Action::kAccountManage,
     {".........", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.",
      "A.A....A.", "A.A....A.", "A.A....A.", ".........", ".........", "AAAAAAAAA"}},
    {Action::kOrganizationCreate,
     {".........", "AAAAAAAAA", "AAAAAAAAA", "AAAAAAAAA", ".........", ".........", ".........",
      ".........", ".........", ".........", ".........", ".........", "AAAAAAAAA"}},
    {Action::kOrganizationView,
     {".........", ".........", "..AA.....", "..AA.....", ".........", ".........", ".........",
      ".........", ".........", ".........", ".........", ".........", "AAAAAAAAA"}},
    {Action::kOrganizationManage,
     {".........", ".........", ".........", "..AA.....", ".........", ".........", ".........",
      ".........", ".........", ".........", ".........", ".........", "AAAAAAAAA"}},
    {Action::kAdminManage,
     {".........", ".........", ".........", ".........", ".........", ".........", ".........",
      ".........", ".........", "AAAAAAAAA", ".........", ".........", "AAAAAAAAA"}},
    // Citizens and officials upload files as their own; machine clients that file.
    {Action::kFileUpload,
     {".........", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.", "A.A....A.",
      "A.A....A.", "A.A....A.", ".........", ".........", ".........", "AAAAAAAAA"}},
    // The uploader; representatives of the organization of a case that references the file;
    // officials of that case's office.
    {Action::kFileView,
     {".........", "A.A....A.", "A.AA...A.", "A.AA...A.", "AAAAA.AAA", "AAAAA.AAA", "AAAAA.AAA",
      "AAAAA.AAA", "AAAAA.AAA", ".........", "AAAAAAAAA", ".........", "AAAAAAAAA"}},
    // Only the signing role of the case's office; never a machine client.
    {Action::kDocumentIssue,
     {".........", ".........", ".........", ".........", ".........", ".........", ".........",
      ".........", "AAAAA.AAA", ".........", ".........", ".........", "AAAAAAAAA"}},
    // The signing role and the head of the case's office.
    {Action::kDocumentRevoke,
     {".........", ".........", ".........", ".........", ".........", ".........", ".........",
      "AAAAA.AAA", "AAAAA.AAA", ".........", ".........", ".........", "AAAAAAAAA"}},
    // The office that keeps the registry of firm sanctions: its chiefs and analysts.
    {Action::kSanctionRecord,
     {".........", ".........", ".........", ".........", ".........", "AAAAA.AAA", ".........",
      "AAAAA.AAA", ".........", ".........", ".........", ".........", "AAAAAAAAA"}},
};

TEST(PolicyMatrix, EveryCellMatchesTheTableWithZeroLeaks) {
    const auto rows = Rows();
    int cells = 0, leaks = 0, denials = 0;
    for (Action action : AllActions()) {
        auto it = kExpected.find(action);
        ASSERT_NE(it, kExpected.end())
            << "no expected row for " << ActionName(action) << ": add the action to the table";
        ASSERT_EQ(it->second.size(), rows.size()) << ActionName(action);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            ASSERT_EQ(it->second[r].size(), static_cast<std::size_t>(kColumns))
                << ActionName(action) << " " << rows[r].name;
            for (int c = 0; c < kColumns; ++c) {
                ++cells;
                bool expected = it->second[r][c] == 'A';
                bool allowed =
                    Decide(rows[r].actor, action, Column(c, rows[r].actor)) == Decision::kAllow;
                if (allowed && !expected) ++leaks;
                if (!allowed && expected) ++denials;
                EXPECT_EQ(allowed, expected)
                    << ActionName(action) << " × " << rows[r].name << " × " << kColumnNames[c]
                    << (allowed ? ": LEAK" : ": wrongly denied");
            }
        }
    }
    EXPECT_EQ(kExpected.size(), AllActions().size());
    EXPECT_EQ(cells, static_cast<int>(AllActions().size() * rows.size() * kColumns));
    EXPECT_EQ(leaks, 0);
    EXPECT_EQ(denials, 0);
}

TEST(PolicyMatrix, ActionsHaveUniqueNamesAndMachineScopesAreKnown) {
    std::set<std::string_view> names;
    for (Action a : AllActions()) EXPECT_TRUE(names.insert(ActionName(a)).second) << ActionName(a);
    auto scopes = KnownScopes();
    EXPECT_EQ(scopes, (std::vector<std::string_view>{
                          "calculadora", "catalogo", "expedientes:leer", "expedientes:presentar",
                          "expedientes:tramitar", "informes", "seguimiento"}));
}

TEST(PolicyMatrix, ApplicantsTakeOnlyTheStepsLeftToThem) {
    core::Actor owner{Kind::kCitizen, "c1", {}, {}, {}};
    core::Actor representative{Kind::kCitizen, "c2", "A", {}, {"representante"}};
    core::Actor other{Kind::kCitizen, "c3", {}, {}, {}};
    core::Actor official{Kind::kOfficial, "f1", {}, "X", {"analista"}};
    Resource step{.owner = "c1", .organization = "A", .office = "X", .roles = {"solicitante"}};
    EXPECT_EQ(Decide(owner, Action::kCaseTransition, step), Decision::kAllow);
    EXPECT_EQ(Decide(representative, Action::kCaseTransition, step), Decision::kAllow);
    EXPECT_EQ(Decide(other, Action::kCaseTransition, step), Decision::kDeny);
    EXPECT_EQ(Decide(official, Action::kCaseTransition, step), Decision::kDeny);
    EXPECT_EQ(Decide(core::Actor::Anonymous(), Action::kCaseTransition, step), Decision::kDeny);
    Resource officials_step = step;
    officials_step.roles = {"analista"};
    EXPECT_EQ(Decide(owner, Action::kCaseTransition, officials_step), Decision::kDeny);
}

TEST(PolicyMatrix, IdentitiesThatAreEmptyNeverMatch) {
    // An actor without id, office or organization must not match objects without them.
    core::Actor blank_citizen{Kind::kCitizen, "", {}, {}, {}};
    core::Actor blank_official{Kind::kOfficial, "f", {}, "", {"analista", "jefe", "recepcion"}};
    Resource nothing;
    for (Action a : {Action::kCaseView, Action::kDraftManage, Action::kAccountManage,
                     Action::kOrganizationView, Action::kOrganizationManage}) {
        EXPECT_EQ(Decide(blank_citizen, a, nothing), Decision::kDeny) << ActionName(a);
    }
    for (Action a :
         {Action::kCaseView, Action::kCaseTransition, Action::kCaseAssign, Action::kInboxView}) {
        EXPECT_EQ(Decide(blank_official, a, Resource{.roles = {"analista"}}), Decision::kDeny)
            << ActionName(a);
    }
}

TEST(PolicyMatrix, AuthorizeTellsLoginFromForbidden) {
    auto anon = Authorize(core::Actor::Anonymous(), Action::kAdminManage, {});
    ASSERT_FALSE(anon.ok());
    EXPECT_EQ(anon.error().kind(), ErrorKind::kUnauthenticated);
    auto citizen =
        Authorize(core::Actor{Kind::kCitizen, "c", {}, {}, {}}, Action::kAdminManage, {});
    ASSERT_FALSE(citizen.ok());
    EXPECT_EQ(citizen.error().kind(), ErrorKind::kForbidden);
    EXPECT_TRUE(Authorize(core::Actor::System(), Action::kAdminManage, {}).ok());
}

}  // namespace
}  // namespace vt::identity
