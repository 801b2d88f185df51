// LineService (the one line, docs/LINE.md) through its public functions on the demo Comune: a
// desk opened at a counter that also takes remote contacts, call-next in the policy's order over
// a knock, a paper ticket and an appointment that checked in, the desk closing when its operator
// goes away, and concurrent call-nexts (two desks on one node, and on PostgreSQL two nodes of one
// database) never giving one contact to two desks.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../../support/service_fixture.h"
#include "line/capability.h"
#include "line/service.h"
#include "queue/capability.h"
#include "reception/capability.h"

namespace sportello::unit {
namespace {

class LineServiceTest : public ServiceTest {
 protected:
  line::LineService& desks() { return service<line::LineCapability>(); }

  // Signs in, says "available" (a knock needs an operator on duty) and opens a desk at the
  // counter, taking the remote contacts of its services' offices too.
  staff::StaffContext atCounter(const std::string& user, const std::string& password,
                                const std::string& counter) {
    auto in = login(user, password);
    auto p = run(staff().setPresence(in.ctx, "available"));
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    in.ctx.op.presence = "available";
    line::OpenDeskInput desk;
    desk.counterId = counterId(counter);
    desk.remote = true;
    auto d = run(desks().open(in.ctx, desk));
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return in.ctx;
  }

  // A citizen knocks on the office's door from the web page (video).
  std::string knock(const std::string& office, const std::string& name) {
    reception::KnockInput in;
    in.name = name;
    in.topic = "Carta d'identità";
    in.mode = reception::Mode::kVideo;
    auto r =
        run(service<reception::ReceptionCapability>().knock("esempio", office, in, "198.51.100.7"));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->visit.visit.id : std::string();
  }

  // The id of whatever a call-next took, or "" when nobody fitted.
  static std::string takenId(const line::DeskCall& call) {
    if (call.ticket) return call.ticket->id;
    if (call.visit) return call.visit->id;
    if (call.callback) return call.callback->id;
    return {};
  }
};

TEST_P(LineServiceTest, ADeskAtACounterServesItsServicesAndItsOfficesRemoteContacts) {
  auto in = login(kOperator, kOperatorPassword);
  line::OpenDeskInput desk;
  desk.counterId = counterId("Sportello 1");  // Anagrafe (A), Autentiche (I)
  desk.remote = true;
  SP_ASSERT_OK_AND_ASSIGN(auto d, run(desks().open(in.ctx, desk)));
  EXPECT_EQ(d.counterId, counterId("Sportello 1"));
  EXPECT_EQ(d.counterName, "Sportello 1");
  EXPECT_TRUE(d.remote);
  EXPECT_EQ(d.officeIds, std::vector<std::string>{officeId("anagrafe")});
  EXPECT_EQ(d.serviceIds.size(), 2u);
  SP_ASSERT_OK_AND_ASSIGN(auto mine, run(desks().mine(in.ctx)));
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->id, d.id);

  // A remote desk from home: remote contacts of the operator's offices only, never a ticket.
  line::OpenDeskInput home;
  SP_ASSERT_OK_AND_ASSIGN(auto r, run(desks().open(in.ctx, home)));
  EXPECT_FALSE(r.counterId.has_value());
  EXPECT_TRUE(r.remote);
  EXPECT_EQ(r.officeIds.size(), 2u);  // urp, anagrafe
  machineTicket("A");
  SP_ASSERT_OK_AND_ASSIGN(auto call, run(desks().next(in.ctx)));
  EXPECT_FALSE(call.channel.has_value());
  EXPECT_EQ(takenId(call), "");
  // Opening the second desk closed the first: one desk per operator.
  EXPECT_EQ(count("SELECT COUNT(*) FROM line_desks WHERE operator_id = ? AND closed_at IS NULL",
                  {in.ctx.op.id}),
            1);
}

TEST_P(LineServiceTest, CallNextFollowsThePolicyAcrossAKnockATicketAndAnAppointment) {
  auto ctx = atCounter(kOperator, kOperatorPassword, "Sportello 1");
  auto ticket = machineTicket("A");  // 10:00, class (c)
  clock_.advance(std::chrono::minutes(1));
  std::string visit = knock("anagrafe", "Mario Verdi");  // 10:01, class (c)
  ASSERT_FALSE(visit.empty());
  clock_.advance(std::chrono::minutes(1));
  // 10:02: an appointment for 10:05 checks in: due within the 5 minutes' grace, class (a).
  auto appointment = appointmentTicket("A", SysMillis(clock_.now() + std::chrono::minutes(3)));

  SP_ASSERT_OK_AND_ASSIGN(auto line, run(desks().line(ctx)));
  ASSERT_EQ(line.entries.size(), 3u);
  EXPECT_EQ(line.entries[0].waiting.entry.id, appointment.id);
  EXPECT_EQ(line.entries[0].kind, line::CallKind::kAppointment);
  EXPECT_EQ(line.entries[1].waiting.entry.id, ticket.id);
  EXPECT_EQ(line.entries[1].channel, line::Channel::kTicket);
  ASSERT_TRUE(std::holds_alternative<line::TicketShown>(line.entries[1].waiting.show));
  EXPECT_EQ(std::get<line::TicketShown>(line.entries[1].waiting.show).code, ticket.code);
  EXPECT_EQ(line.entries[2].waiting.entry.id, visit);
  EXPECT_EQ(line.entries[2].channel, line::Channel::kVisit);
  ASSERT_TRUE(std::holds_alternative<line::VisitShown>(line.entries[2].waiting.show));
  EXPECT_EQ(std::get<line::VisitShown>(line.entries[2].waiting.show).name, "Mario Verdi");

  SP_ASSERT_OK_AND_ASSIGN(auto first, run(desks().next(ctx)));
  EXPECT_EQ(first.channel, line::Channel::kTicket);
  EXPECT_EQ(first.kind, line::CallKind::kAppointment);
  EXPECT_EQ(takenId(first), appointment.id);
  SP_ASSERT_OK_AND_ASSIGN(auto second, run(desks().next(ctx)));
  EXPECT_EQ(second.channel, line::Channel::kTicket);
  EXPECT_EQ(second.kind, line::CallKind::kNormal);
  EXPECT_EQ(takenId(second), ticket.id);
  SP_ASSERT_OK_AND_ASSIGN(auto third, run(desks().next(ctx)));
  EXPECT_EQ(third.channel, line::Channel::kVisit);
  EXPECT_EQ(takenId(third), visit);
  ASSERT_TRUE(third.visit.has_value());
  EXPECT_EQ(third.visit->state, reception::VisitState::kAdmitted);
  SP_ASSERT_OK_AND_ASSIGN(auto fourth, run(desks().next(ctx)));
  EXPECT_FALSE(fourth.channel.has_value());

  // Each source recorded the call its own way.
  EXPECT_EQ(text("SELECT state FROM queue_tickets WHERE id = ?", {appointment.id}), "done");
  EXPECT_EQ(text("SELECT state FROM queue_tickets WHERE id = ?", {ticket.id}), "done");
  EXPECT_EQ(text("SELECT state FROM visits WHERE id = ?", {visit}), "admitted");
  EXPECT_EQ(text("SELECT operator_id FROM visits WHERE id = ?", {visit}), ctx.op.id);
}

TEST_P(LineServiceTest, WithoutADeskThereIsNoCallAndNothingChanges) {
  auto in = login(kOperator, kOperatorPassword);
  auto t = machineTicket("A");
  auto r = run(desks().next(in.ctx));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_EQ(r.error().reason, "no_desk");
  EXPECT_EQ(text("SELECT state FROM queue_tickets WHERE id = ?", {t.id}), "waiting");

  // Bad input: an unknown counter, an office the operator does not belong to.
  line::OpenDeskInput bad;
  bad.counterId = "nessuno";
  auto unknown = run(desks().open(in.ctx, bad));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
  EXPECT_EQ(unknown.error().field, "counter_id");
  line::OpenDeskInput tributi;
  tributi.offices = {"tributi"};
  auto forbidden = run(desks().open(in.ctx, tributi));
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.error().code, Errc::kForbidden);
  EXPECT_EQ(forbidden.error().field, "offices");
  EXPECT_EQ(count("SELECT COUNT(*) FROM line_desks"), 0);
}

TEST_P(LineServiceTest, ADeskClosesWhenItsOperatorGoesAway) {
  auto ctx = atCounter(kOperator, kOperatorPassword, "Sportello 1");
  machineTicket("A");
  SP_ASSERT_OK_AND_ASSIGN(auto call, run(desks().next(ctx)));
  EXPECT_EQ(call.channel, line::Channel::kTicket);
  std::string k1 = counterId("Sportello 1");
  EXPECT_EQ(text("SELECT state FROM queue_counters WHERE id = ?", {k1}), "open");

  SP_ASSERT_OK(run(staff().setPresence(ctx, "away")));
  SP_ASSERT_OK_AND_ASSIGN(auto mine, run(desks().mine(ctx)));
  EXPECT_FALSE(mine.has_value());
  EXPECT_EQ(text("SELECT state FROM queue_counters WHERE id = ?", {k1}), "closed");

  // A colleague may now open that counter; when the first signs out of the desk it is theirs.
  auto other = atCounter(kSupervisor, kSupervisorPassword, "Sportello 1");
  SP_ASSERT_OK_AND_ASSIGN(auto theirs, run(desks().mine(other)));
  ASSERT_TRUE(theirs.has_value());
  EXPECT_EQ(theirs->counterId, k1);
  // Deactivated by an admin: the desk closes too.
  SP_ASSERT_OK(run(staff().updateOperator(enteId(), other.op.id, {{"active", false}})));
  SP_ASSERT_OK_AND_ASSIGN(auto gone, run(desks().mine(other)));
  EXPECT_FALSE(gone.has_value());
}

TEST_P(LineServiceTest, TwoDesksCallingAtOnceNeverTakeTheSameEntry) {
  auto a = atCounter(kOperator, kOperatorPassword, "Sportello 1");      // A, I; anagrafe
  auto b = atCounter(kSupervisor, kSupervisorPassword, "Sportello 2");  // A, I, J; anagrafe, urp
  constexpr int kTickets = 10;
  for (int i = 0; i < kTickets; ++i) {
    machineTicket(i % 2 ? "A" : "I");
    clock_.advance(std::chrono::seconds(10));
  }
  knock("anagrafe", "Anna Neri");
  const int entries = kTickets + 1;
  // Both desks call at once, more often than there are entries.
  std::vector<asio::awaitable<Result<line::DeskCall>>> calls;
  std::vector<std::string> who;
  for (int i = 0; i < entries; ++i) {
    calls.push_back(desks().next(a));
    who.push_back(a.op.id);
    calls.push_back(desks().next(b));
    who.push_back(b.op.id);
  }
  auto results = runTogether(std::move(calls));
  std::map<std::string, std::string> takenBy;
  int empty = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error().message;
    std::string id = takenId(results[i].value());
    if (id.empty()) {
      ++empty;
      continue;
    }
    EXPECT_TRUE(takenBy.emplace(id, who[i]).second) << id << " was given to two desks";
  }
  EXPECT_EQ(static_cast<int>(takenBy.size()), entries);
  EXPECT_EQ(empty, static_cast<int>(results.size()) - entries);
  EXPECT_EQ(count("SELECT COUNT(*) FROM queue_tickets WHERE state = 'waiting'"), 0);
  // Each ticket was called by the counter of the desk that got it.
  for (const auto& [id, op] : takenBy) {
    if (count("SELECT COUNT(*) FROM queue_tickets WHERE id = ?", {id}) == 0) continue;
    EXPECT_EQ(text("SELECT counter_id FROM queue_tickets WHERE id = ?", {id}),
              counterId(op == a.op.id ? "Sportello 1" : "Sportello 2"));
  }
}

// PostgreSQL: two nodes of one installation (each its own writer) race for the same entries; a
// lost compare-and-set makes a desk choose again, never a double call. (One SQLite file has one
// writer: the single-node test above is the whole story there.)
using LineTwoNodesTest = LineServiceTest;

TEST_P(LineTwoNodesTest, TwoNodesCallingAtOnceNeverTakeTheSameEntry) {
  SP_ASSERT_OK_AND_ASSIGN(auto otherDb, tdb_->openNode(clock_));
  auto other = std::make_unique<Node>(*otherDb, clock_, cfg_);
  auto a = atCounter(kOperator, kOperatorPassword, "Sportello 1");
  auto b = atCounter(kSupervisor, kSupervisorPassword, "Sportello 2");
  auto& otherDesks = other->service<line::LineCapability>();
  constexpr int kTickets = 12;
  for (int i = 0; i < kTickets; ++i) {
    machineTicket("A");
    clock_.advance(std::chrono::seconds(10));
  }
  std::vector<asio::awaitable<Result<line::DeskCall>>> calls;
  for (int i = 0; i < kTickets; ++i) {
    calls.push_back(desks().next(a));
    calls.push_back(otherDesks.next(b));
  }
  auto results = runTogether(std::move(calls));
  std::set<std::string> taken;
  int got = 0;
  for (const auto& r : results) {
    // A conflict that outlived the writer's retries is an honest "try again", never a double
    // call.
    if (!r.ok()) {
      EXPECT_TRUE(r.error().transactionConflict) << r.error().message;
      continue;
    }
    std::string id = takenId(r.value());
    if (id.empty()) continue;
    ++got;
    EXPECT_TRUE(taken.insert(id).second) << id << " was given to two desks";
  }
  EXPECT_GT(got, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM queue_ticket_history WHERE action = 'called'"), got);
  EXPECT_EQ(count("SELECT COUNT(*) FROM queue_tickets WHERE state = 'waiting'"), kTickets - got);
  other.reset();
  otherDb.reset();
}

INSTANTIATE_TEST_SUITE_P(Backends, LineTwoNodesTest, ::testing::ValuesIn(postgresOnly()),
                         backendParamName);
// Without $SPORTELLO_TEST_PG there is no second node to test (it is not a skipped test: it is
// not instantiated).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LineTwoNodesTest);

INSTANTIATE_TEST_SUITE_P(Backends, LineServiceTest, ::testing::ValuesIn(backends()),
                         backendParamName);

}  // namespace
}  // namespace sportello::unit
