// Working a case: the transition permission matrix, conflicts, assignment, visibility,
// tracking, the inbox and the SLA report.
#include "vt/cases/cases.hpp"

#include <atomic>
#include <thread>

#include "tests/case_fixture.hpp"

namespace vt::cases {
namespace {

using testing::At;
using testing::CaseTest;
using testing::Citizen;
using testing::Official;

class WorkCaseTest : public CaseTest {};

// Every transition × every role × own office or another: who may take it.
TEST_P(WorkCaseTest, TransitionPermissionMatrix) {
    struct Cell {
        std::string transition;
        std::string role;
        bool own_office;
        bool allowed;
    };
    std::vector<Cell> cells;
    const std::map<std::string, std::string> allowed_role = {
        {"admitir", "recepcion"}, {"rechazar", "jefe"}, {"resolver", "analista"}};
    for (const auto& [transition, role_ok] : allowed_role) {
        for (std::string role : {"recepcion", "analista", "inspector", "jefe", "firma"}) {
            for (bool own : {true, false}) cells.push_back({transition, role, own, own && role == role_ok});
        }
    }
    for (const Cell& cell : cells) {
        auto c = File(Citizen("c"));
        ASSERT_OK(c);
        // Bring the case to a state the transition starts from.
        if (cell.transition == "resolver") ASSERT_OK(Take(Official("r", "UIP", {"recepcion"}), c->number, "admitir"));
        boost::json::object inputs;
        if (cell.transition == "rechazar") inputs["motivo"] = "La solicitud no es de información pública.";
        if (cell.transition == "resolver") inputs["respuesta"] = "Se adjunta el presupuesto solicitado.";
        auto who = Official("o", cell.own_office ? "UIP" : "IGT", {cell.role});
        auto r = Take(who, c->number, cell.transition, inputs);
        std::string what = cell.transition + " by " + cell.role + (cell.own_office ? " (own office)" : " (other office)");
        if (cell.allowed) {
            EXPECT_TRUE(r.ok()) << what << ": " << r.error().ToString();
        } else {
            ASSERT_FALSE(r.ok()) << what;
            // Another office's official cannot even see the case.
            EXPECT_EQ(r.error().kind(), cell.own_office ? ErrorKind::kForbidden : ErrorKind::kNotFound) << what;
        }
    }
    // Citizens never take transitions, not even on their own case.
    auto c = File(Citizen("c"));
    ASSERT_OK(c);
    auto r = Take(Citizen("c"), c->number, "admitir");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kForbidden);
}

TEST_P(WorkCaseTest, TransitionRecordsActorCommentInputsAndClosesAtEnd) {
    auto c = File(Citizen("c"));
    ASSERT_OK(c);
    ASSERT_OK(Take(Official("r", "UIP", {"recepcion"}), c->number, "admitir"));
    clock_.Advance(std::chrono::hours(24));
    TransitionRequest t;
    t.transition = "resolver";
    t.comment = "Respondida por correo.";
    t.inputs = boost::json::object{{"respuesta", "El presupuesto está en el portal de transparencia."}};
    auto done = service_->Transition(Official("a", "UIP", {"analista"}), c->number, t);
    ASSERT_OK(done);
    EXPECT_EQ(done->state, "resuelta");
    EXPECT_EQ(done->closed_on, "2026-11-26");
    EXPECT_EQ(done->deadline, DeadlineStatus::kClosed);
    EXPECT_EQ(done->revision, 3);
    ASSERT_EQ(done->events.size(), 3u);
    const CaseEvent& e = done->events.back();
    EXPECT_EQ(e.actor, "a");
    EXPECT_EQ(e.actor_role, "analista");
    EXPECT_EQ(e.comment, "Respondida por correo.");
    EXPECT_EQ(e.inputs.at("respuesta").as_string(), "El presupuesto está en el portal de transparencia.");
    // A closed case takes no more transitions.
    auto again = Take(Official("j", "UIP", {"jefe"}), c->number, "rechazar", boost::json::object{{"motivo", "Motivo largo"}});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), "transition-not-allowed");
}

TEST_P(WorkCaseTest, RequiredInputsAreValidated) {
    auto c = File(Citizen("c"));
    ASSERT_OK(c);
    auto r = Take(Official("j", "UIP", {"jefe"}), c->number, "rechazar");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(r.error().fields().at("motivo"), "Este dato es obligatorio.");
}

TEST_P(WorkCaseTest, StaleRevisionIsAConflictThatNamesTheCurrentState) {
    auto c = File(Citizen("c"));
    ASSERT_OK(c);
    ASSERT_OK(Take(Official("r", "UIP", {"recepcion"}), c->number, "admitir", {}, 1));
    auto late = Take(Official("j", "UIP", {"jefe"}), c->number, "rechazar",
                     boost::json::object{{"motivo", "Duplicada con otra solicitud."}}, 1);
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code(), "stale-revision");
    EXPECT_NE(late.error().message().find("En trámite"), std::string::npos) << late.error().message();
}

TEST_P(WorkCaseTest, TwoOfficialsAtOnceOneWins) {
    for (int round = 0; round < 5; ++round) {
        auto c = File(Citizen("c"));
        ASSERT_OK(c);
        std::atomic<int> ok{0}, conflict{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&, i] {
                auto who = i % 2 ? Official("j" + std::to_string(i), "UIP", {"jefe"})
                                 : Official("r" + std::to_string(i), "UIP", {"recepcion"});
                auto r = i % 2 ? Take(who, c->number, "rechazar", boost::json::object{{"motivo", "Fuera de competencia."}}, 1)
                               : Take(who, c->number, "admitir", {}, 1);
                if (r.ok()) ++ok;
                else if (r.error().kind() == ErrorKind::kConflict) ++conflict;
            });
        }
        for (auto& t : threads) t.join();
        EXPECT_EQ(ok.load(), 1);
        EXPECT_EQ(conflict.load(), 3);
        auto now = service_->Get(Official("r", "UIP", {"recepcion"}), c->number);
        ASSERT_OK(now);
        EXPECT_EQ(now->revision, 2);
        EXPECT_EQ(now->events.size(), 2u);
    }
}

TEST_P(WorkCaseTest, NobodySeesAnotherCitizensCase) {
    auto c = File(Citizen("duena"));
    ASSERT_OK(c);
    EXPECT_OK(service_->Get(Citizen("duena"), c->number));
    EXPECT_OK(service_->Get(Official("x", "UIP", {"analista"}), c->number));
    for (const core::Actor& other : {Citizen("vecina"), Official("x", "IGT", {"jefe"}), core::Actor::Anonymous()}) {
        auto r = service_->Get(other, c->number);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound);
        EXPECT_EQ(r.error().message(), "No existe el expediente " + c->number + ".");  // same as a missing one
    }
    auto mine = service_->MyCases(Citizen("vecina"));
    ASSERT_OK(mine);
    EXPECT_TRUE(mine->empty());
}

TEST_P(WorkCaseTest, RoundRobinAssignmentWithinTheOffice) {
    std::vector<std::string> assigned;
    for (int i = 0; i < 4; ++i) {
        auto c = File(Citizen("c"));
        ASSERT_OK(c);
        auto a = service_->Assign(Official("j", "UIP", {"jefe"}), c->number, "");
        ASSERT_OK(a);
        assigned.push_back(*a->assignee);
    }
    EXPECT_EQ(assigned, (std::vector<std::string>{"ana", "beto", "carla", "ana"}));
    auto c = File(Citizen("c"));
    ASSERT_OK(c);
    EXPECT_OK(service_->Assign(Official("j", "UIP", {"jefe"}), c->number, "carla"));
    EXPECT_FALSE(service_->Assign(Official("j", "UIP", {"jefe"}), c->number, "intruso").ok());
    EXPECT_FALSE(service_->Assign(Official("a", "UIP", {"analista"}), c->number, "ana").ok());
}

TEST_P(WorkCaseTest, PublicTrackingShowsStateAndDatesOnly) {
    auto c = File(Citizen("c"), "", boost::json::object{{"informacion", "Datos personales de mi expediente laboral."},
                                                         {"correo", "persona@correo.gt"}});
    ASSERT_OK(c);
    ASSERT_OK(Take(Official("r", "UIP", {"recepcion"}), c->number, "admitir"));
    std::string code = c->tracking_code;
    std::string messy;
    for (char ch : code) {
        if (ch != '-') messy.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    }
    auto t = service_->Track(messy);
    ASSERT_OK(t);
    EXPECT_EQ(t->tramite_name, "Solicitud de información pública");
    EXPECT_EQ(t->state_name, "En trámite");
    EXPECT_EQ(t->filed_on, "2026-11-25");
    ASSERT_EQ(t->history.size(), 2u);
    EXPECT_EQ(t->history[1].state_name, "En trámite");
    EXPECT_FALSE(service_->Track("0000-0000-0000").ok());
    EXPECT_FALSE(service_->Track("no es un código").ok());
}

TEST_P(WorkCaseTest, InboxSortsByDeadlineAndFlagsOverdue) {
    clock_ = core::FrozenClock(At(2026, 11, 2));
    auto old = File(Citizen("c"));  // state deadline 2 días hábiles: 4 Nov
    ASSERT_OK(old);
    clock_ = core::FrozenClock(At(2026, 11, 20));
    auto recent = File(Citizen("c"));  // due 24 Nov
    ASSERT_OK(recent);
    clock_ = core::FrozenClock(At(2026, 11, 23));
    auto fresh = File(Citizen("c"));  // due 25 Nov
    ASSERT_OK(fresh);
    auto inbox = service_->Inbox(Official("r", "UIP", {"recepcion"}), {});
    ASSERT_OK(inbox);
    ASSERT_EQ(inbox->size(), 3u);
    EXPECT_EQ((*inbox)[0].number, old->number);
    EXPECT_EQ((*inbox)[0].deadline, DeadlineStatus::kOverdue);
    EXPECT_EQ((*inbox)[1].number, recent->number);
    EXPECT_EQ((*inbox)[1].deadline, DeadlineStatus::kDueSoon);
    EXPECT_EQ((*inbox)[2].number, fresh->number);
    InboxFilter overdue;
    overdue.only_overdue = true;
    auto late = service_->Inbox(Official("r", "UIP", {"recepcion"}), overdue);
    ASSERT_OK(late);
    EXPECT_EQ(late->size(), 1u);
    EXPECT_TRUE(service_->Inbox(Official("x", "IGT", {"jefe"}), {})->empty());
    EXPECT_FALSE(service_->Inbox(Citizen("c"), {}).ok());
}

TEST_P(WorkCaseTest, SlaReportPerTramiteAndOffice) {
    auto j = Official("j", "UIP", {"jefe", "recepcion", "analista"});
    clock_ = core::FrozenClock(At(2026, 11, 2));
    auto a = File(Citizen("c"));
    auto b = File(Citizen("c"));
    auto late = File(Citizen("c"));
    ASSERT_TRUE(a.ok() && b.ok() && late.ok());
    clock_ = core::FrozenClock(At(2026, 11, 5));  // 3 días hábiles later
    ASSERT_OK(Take(j, a->number, "rechazar", boost::json::object{{"motivo", "No es información pública."}}));
    clock_ = core::FrozenClock(At(2026, 11, 20));  // 14 días hábiles: after the 10-day deadline
    ASSERT_OK(Take(j, b->number, "rechazar", boost::json::object{{"motivo", "No es información pública."}}));
    auto report = service_->Report(j, "2026-11-01", "2026-11-30");
    ASSERT_OK(report);
    ASSERT_EQ(report->by_tramite.size(), 1u);
    const SlaRow& row = report->by_tramite[0];
    EXPECT_EQ(row.filed, 3);
    EXPECT_EQ(row.resolved, 2);
    EXPECT_EQ(row.open_overdue, 1);
    EXPECT_EQ(*row.median_working_days, 3);
    EXPECT_EQ(*row.p90_working_days, 14);
    EXPECT_DOUBLE_EQ(*row.within_sla_share, 0.5);
    ASSERT_EQ(report->by_office.size(), 1u);
    EXPECT_EQ(report->by_office[0].key, "UIP");
    EXPECT_FALSE(service_->Report(Citizen("c"), "2026-11-01", "2026-11-30").ok());
    EXPECT_FALSE(service_->Report(j, "2026-11-30", "2026-11-01").ok());
}

VT_CASE_TEST_ENGINES(WorkCaseTest);

}  // namespace
}  // namespace vt::cases
