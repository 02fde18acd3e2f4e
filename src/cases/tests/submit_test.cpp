// Filing a trámite: validation, numbering, tracking code, deadlines, idempotency, audit.
#include "vt/cases/cases.hpp"

#include <thread>

#include "tests/case_fixture.hpp"

namespace vt::cases {
namespace {

using testing::At;
using testing::CaseTest;
using testing::Citizen;
using testing::Official;

class SubmitTest : public CaseTest {};

TEST_P(SubmitTest, FilesWithNumberCodeDeadlinesAndAudit) {
    auto c = File(Citizen("ciudadano-1"));
    ASSERT_OK(c);
    EXPECT_EQ(c->number, "MTPS-2026-000001");
    EXPECT_EQ(c->state, "presentada");
    EXPECT_EQ(c->office, "UIP");
    EXPECT_EQ(c->applicant, "ciudadano-1");
    EXPECT_EQ(c->filed_on, "2026-11-25");
    // 10 días hábiles from Wednesday 25 Nov 2026: 26, 27, 30 Nov, 1–4, 7–9 Dec.
    EXPECT_EQ(c->due_on, "2026-12-09");
    EXPECT_EQ(c->state_due_on, "2026-11-27");
    ASSERT_EQ(c->events.size(), 1u);
    EXPECT_EQ(c->events[0].kind, "presentacion");
    EXPECT_EQ(c->tracking_code.size(), 14u);

    auto second = File(Citizen("ciudadano-2"));
    ASSERT_OK(second);
    EXPECT_EQ(second->number, "MTPS-2026-000002");
    EXPECT_NE(second->tracking_code, c->tracking_code);

    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query("SELECT entry FROM audit_log WHERE object_id = $1", {store::Value{c->number}}));
        EXPECT_EQ(rows.size(), 1u);
        EXPECT_NE(rows[0].Text(0).find("\"action\":\"case.filed\""), std::string::npos);
        EXPECT_NE(rows[0].Text(0).find(CaseRowHash(*c)), std::string::npos);
        return Ok();
    }));
}

TEST_P(SubmitTest, InvalidAnswersReturnEveryFieldAndWriteNothing) {
    auto c = File(Citizen("c"), "", boost::json::object{{"informacion", "corto"}, {"correo", "x@"}, {"otro", 1}});
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(c.error().fields().size(), 3u);
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT count(*) FROM cases"));
        EXPECT_EQ(r.Int(0), 0);
        return Ok();
    }));
}

TEST_P(SubmitTest, RetryWithSameKeyReturnsTheSameCase) {
    auto first = File(Citizen("c"), "clave-123");
    ASSERT_OK(first);
    auto again = File(Citizen("c"), "clave-123");
    ASSERT_OK(again);
    EXPECT_EQ(again->number, first->number);
    // Another person may use the same key for their own filing.
    auto other = File(Citizen("d"), "clave-123");
    ASSERT_OK(other);
    EXPECT_NE(other->number, first->number);
    // The same key with a different request is refused.
    auto reused = File(Citizen("c"), "clave-123", testing::CaseTest::Answers("Otra información completamente distinta."));
    ASSERT_FALSE(reused.ok());
    EXPECT_EQ(reused.error().code(), "idempotency-key-reused");
}

TEST_P(SubmitTest, ConcurrentRetriesCreateOneCase) {
    std::vector<std::thread> threads;
    std::vector<std::string> numbers(8);
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto c = File(Citizen("c"), "misma-clave");
            if (c.ok()) numbers[i] = c->number;
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& n : numbers) EXPECT_EQ(n, numbers[0]);
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT count(*) FROM cases"));
        EXPECT_EQ(r.Int(0), 1);
        return Ok();
    }));
}

TEST_P(SubmitTest, AnonymousFilingOnlyWhereAllowed) {
    auto anon = File(core::Actor::Anonymous());
    ASSERT_OK(anon);
    EXPECT_FALSE(anon->applicant.has_value());
    SubmitRequest r;
    r.tramite_id = "soporte-tecnico";
    r.answers = boost::json::object{{"problema", "La impresora no funciona"}};
    auto internal = service_->Submit(Citizen("c"), r);
    ASSERT_FALSE(internal.ok());
    EXPECT_EQ(internal.error().kind(), ErrorKind::kForbidden);
    EXPECT_OK(service_->Submit(Official("o", "DTI", {"analista"}), r));
}

TEST_P(SubmitTest, OfficialFilesOnBehalfOfACitizen) {
    SubmitRequest r;
    r.tramite_id = "solicitud-informacion";
    r.answers = Answers();
    r.on_behalf_of = "ciudadana-9";
    auto c = service_->Submit(Official("ventanilla-1", "DGE", {"recepcion"}), r);
    ASSERT_OK(c);
    EXPECT_EQ(c->applicant, "ciudadana-9");
    EXPECT_EQ(c->filed_by, "ventanilla-1");
    EXPECT_OK(service_->Get(Citizen("ciudadana-9"), c->number));  // the citizen owns it
    auto refused = service_->Submit(Citizen("x"), r);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind(), ErrorKind::kForbidden);
}

TEST_P(SubmitTest, WeekendFilingCountsFromNextWorkingDay) {
    clock_ = core::FrozenClock(At(2026, 11, 28));  // Saturday
    auto c = File(Citizen("c"));
    ASSERT_OK(c);
    EXPECT_EQ(c->filed_on, "2026-11-30");
    EXPECT_EQ(c->due_on, "2026-12-14");
}

TEST_P(SubmitTest, DeadlineCrossesSemanaSantaAndYearEnd) {
    clock_ = core::FrozenClock(At(2026, 3, 27));  // Friday before Holy Week
    auto c = File(Citizen("c"));
    ASSERT_OK(c);
    // 30, 31 Mar, 1 Apr, [2–3 Apr Jueves y Viernes Santo], 6–10, 13, 14 Apr.
    EXPECT_EQ(c->due_on, "2026-04-14");

    clock_ = core::FrozenClock(At(2026, 12, 18));
    auto d = File(Citizen("c"));
    ASSERT_OK(d);
    // 21, 22, 23, 24 (half day counts), [25], 28, 29, 30, 31 (half day), [1 Jan], 4, 5 Jan.
    EXPECT_EQ(d->due_on, "2027-01-05");
    EXPECT_EQ(d->number, "MTPS-2026-000002");

    clock_ = core::FrozenClock(At(2027, 1, 4));
    auto e = File(Citizen("c"));
    ASSERT_OK(e);
    EXPECT_EQ(e->number, "MTPS-2027-000001");  // numbering restarts each year
}

TEST_P(SubmitTest, UnknownOrInPersonTramiteIsRefused) {
    SubmitRequest r;
    r.tramite_id = "no-existe";
    auto c = service_->Submit(Citizen("c"), r);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind(), ErrorKind::kNotFound);
}

TEST_P(SubmitTest, DraftsAreSavedResumedAndDeletedOnFiling) {
    auto d = service_->SaveDraft(Citizen("c"), "solicitud-informacion", boost::json::object{{"informacion", "a medias"}},
                                 std::nullopt);
    ASSERT_OK(d);
    auto again = service_->SaveDraft(Citizen("c"), "solicitud-informacion", Answers(), d->id);
    ASSERT_OK(again);
    EXPECT_EQ(again->id, d->id);
    auto got = service_->GetDraft(Citizen("c"), d->id);
    ASSERT_OK(got);
    EXPECT_EQ(got->answers, Answers());
    EXPECT_FALSE(service_->GetDraft(Citizen("otra"), d->id).ok());
    EXPECT_FALSE(service_->SaveDraft(Citizen("otra"), "solicitud-informacion", Answers(), d->id).ok());

    SubmitRequest r;
    r.tramite_id = "solicitud-informacion";
    r.answers = got->answers;
    r.draft_id = d->id;
    ASSERT_OK(service_->Submit(Citizen("c"), r));
    auto drafts = service_->ListDrafts(Citizen("c"));
    ASSERT_OK(drafts);
    EXPECT_TRUE(drafts->empty());
}

VT_CASE_TEST_ENGINES(SubmitTest);

}  // namespace
}  // namespace vt::cases
