// QueueService on the demo's town hall: a ticket is issued (through queue::numberAndStore, the
// one way every ticket is numbered — QueueService::issue authorises a Caller and is left to the
// integration tests), called to a counter by the call policy, done, and the day closing expires
// what an earlier day left waiting. Bad input is refused and changes nothing.
#include <gtest/gtest.h>

#include "../../support/service_fixture.h"
#include "queue/capability.h"
#include "queue/service.h"

namespace sportello::unit {
namespace {

class QueueServiceTest : public ServiceTest {
 protected:
  queue::QueueService& queue() { return service<queue::QueueCapability>(); }
  queue::TicketActor asStaff(const staff::StaffContext& ctx, const queue::StoredTicket& t) {
    return queue::TicketActor{false, ctx, t};
  }
  std::string state(const std::string& ticketId) {
    return text("SELECT state FROM queue_tickets WHERE id = ?", {ticketId});
  }
};

TEST_P(QueueServiceTest, TicketsAreNumberedPerServiceAndDay) {
  auto a1 = machineTicket("A");
  auto a2 = machineTicket("A");
  auto i1 = machineTicket("I");
  EXPECT_EQ(a1.code, "A001");
  EXPECT_EQ(a2.code, "A002");
  EXPECT_EQ(i1.code, "I001");
  EXPECT_EQ(a1.day, "2026-11-23");
  SP_ASSERT_OK_AND_ASSIGN(auto q, run(queue().siteQueue("esempio", siteId())));
  int64_t waitingA = -1;
  for (const auto& s : q.services) {
    if (s.prefix == "A") waitingA = s.waiting;
  }
  EXPECT_EQ(waitingA, 2);
}

TEST_P(QueueServiceTest, IssueCallDone) {
  auto in = login(kOperator, kOperatorPassword);
  auto a1 = machineTicket("A");
  clock_.advance(std::chrono::minutes(1));
  auto a2 = machineTicket("A");
  std::string k1 = counterId("Sportello 1");

  SP_ASSERT_OK_AND_ASSIGN(auto first, run(queue().callNext(in.ctx, k1)));
  ASSERT_TRUE(first.ticket.has_value());
  EXPECT_EQ(first.ticket->id, a1.id);  // the oldest first
  EXPECT_EQ(first.ticket->state, queue::TicketState::kCalled);
  EXPECT_EQ(first.ticket->counterName, "Sportello 1");
  EXPECT_EQ(first.kind, queue::CallKind::kNormal);
  EXPECT_EQ(first.counter.state, queue::CounterState::kOpen);

  // The counter serves it and marks it done; staff see its history in the answer.
  SP_ASSERT_OK_AND_ASSIGN(auto serving, run(queue().act(asStaff(in.ctx, a1), "start")));
  EXPECT_EQ(serving.ticket.state, queue::TicketState::kServing);
  EXPECT_EQ(state(a1.id), "serving");
  ASSERT_TRUE(serving.history.has_value());
  std::vector<std::string> actions;
  for (const auto& h : *serving.history) actions.push_back(h.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"issued", "called", "started"}));
  EXPECT_EQ(serving.history->back().counterName, "Sportello 1");
  EXPECT_FALSE(serving.ahead.has_value());  // only while waiting
  SP_ASSERT_OK_AND_ASSIGN(auto done, run(queue().act(asStaff(in.ctx, a1), "done")));
  EXPECT_EQ(done.ticket.state, queue::TicketState::kDone);
  EXPECT_EQ(state(a1.id), "done");
  EXPECT_EQ(count("SELECT COUNT(*) FROM queue_ticket_history WHERE ticket_id = ?", {a1.id}), 4);
  // Done is final.
  auto again = run(queue().act(asStaff(in.ctx, a1), "done"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::kConflict);

  // The next call takes the second; with nobody left, the counter stays open and gets nothing.
  SP_ASSERT_OK_AND_ASSIGN(auto second, run(queue().callNext(in.ctx, k1)));
  ASSERT_TRUE(second.ticket.has_value());
  EXPECT_EQ(second.ticket->id, a2.id);
  SP_ASSERT_OK_AND_ASSIGN(auto none, run(queue().callNext(in.ctx, k1)));
  EXPECT_FALSE(none.ticket.has_value());
  EXPECT_FALSE(none.kind.has_value());
  EXPECT_EQ(state(a2.id), "done");  // the ticket it was handling is done before the next call
}

TEST_P(QueueServiceTest, ACounterCallsOnlyItsServicesAndPriorityFirst) {
  auto in = login(kOperator, kOperatorPassword);
  auto c1 = machineTicket("C");  // Ecologia: not served at Sportello 1
  clock_.advance(std::chrono::minutes(1));
  auto a1 = machineTicket("A");
  clock_.advance(std::chrono::minutes(1));
  auto p = machineTicket("I", queue::PriorityReason::kPregnancy);
  std::string k1 = counterId("Sportello 1");
  SP_ASSERT_OK_AND_ASSIGN(auto first, run(queue().callNext(in.ctx, k1)));
  ASSERT_TRUE(first.ticket.has_value());
  EXPECT_EQ(first.ticket->id, p.id);
  EXPECT_EQ(first.kind, queue::CallKind::kPriority);
  SP_ASSERT_OK_AND_ASSIGN(auto second, run(queue().callNext(in.ctx, k1)));
  ASSERT_TRUE(second.ticket.has_value());
  EXPECT_EQ(second.ticket->id, a1.id);
  SP_ASSERT_OK_AND_ASSIGN(auto third, run(queue().callNext(in.ctx, k1)));
  EXPECT_FALSE(third.ticket.has_value());
  EXPECT_EQ(state(c1.id), "waiting");
}

TEST_P(QueueServiceTest, ClosingTheDayExpiresWhatAnEarlierDayLeftWaiting) {
  auto in = login(kOperator, kOperatorPassword);
  auto called = machineTicket("A");
  clock_.advance(std::chrono::minutes(1));
  auto waiting = machineTicket("A");
  clock_.advance(std::chrono::minutes(1));
  auto other = machineTicket("I");
  std::string k1 = counterId("Sportello 1");
  SP_ASSERT_OK_AND_ASSIGN(auto first, run(queue().callNext(in.ctx, k1)));
  ASSERT_TRUE(first.ticket.has_value());
  EXPECT_EQ(first.ticket->id, called.id);
  // Nothing to close while the day lasts.
  SP_ASSERT_OK_AND_ASSIGN(int64_t today, run(queue().closeDays()));
  EXPECT_EQ(today, 0);

  // 23:59:59 in Rome is still the same day; midnight is the next one (UTC+1 in November).
  clock_.set(at("2026-11-23T22:59:59Z"));
  SP_ASSERT_OK_AND_ASSIGN(int64_t late, run(queue().closeDays()));
  EXPECT_EQ(late, 0);
  clock_.set(at("2026-11-23T23:00:00Z"));
  SP_ASSERT_OK_AND_ASSIGN(int64_t closed, run(queue().closeDays()));
  EXPECT_EQ(closed, 3);  // the called one, and the two still waiting
  EXPECT_EQ(state(called.id), "expired");
  EXPECT_EQ(state(waiting.id), "expired");
  EXPECT_EQ(state(other.id), "expired");
  EXPECT_EQ(count("SELECT COUNT(*) FROM queue_ticket_history WHERE action = 'expired'"), 3);
  // Idempotent: a second run (another node, the next 30 s tick) finds nothing.
  SP_ASSERT_OK_AND_ASSIGN(int64_t again, run(queue().closeDays()));
  EXPECT_EQ(again, 0);

  // The new day numbers from 1 again, and yesterday's tickets are never called.
  clock_.set(at("2026-11-24T08:00:00Z"));
  auto fresh = machineTicket("A");
  EXPECT_EQ(fresh.code, "A001");
  EXPECT_EQ(fresh.day, "2026-11-24");
  SP_ASSERT_OK_AND_ASSIGN(auto call, run(queue().callNext(in.ctx, k1)));
  ASSERT_TRUE(call.ticket.has_value());
  EXPECT_EQ(call.ticket->id, fresh.id);
}

TEST_P(QueueServiceTest, ACallNextThatFindsYesterdaysTicketExpiresItInstead) {
  auto in = login(kOperator, kOperatorPassword);
  auto old = machineTicket("A");
  // The sweep has not run yet this morning; the call closes the day itself.
  clock_.set(at("2026-11-24T08:00:00Z"));
  SP_ASSERT_OK_AND_ASSIGN(auto call, run(queue().callNext(in.ctx, counterId("Sportello 1"))));
  EXPECT_FALSE(call.ticket.has_value());
  EXPECT_EQ(state(old.id), "expired");
}

TEST_P(QueueServiceTest, BadInputIsRefusedAndChangesNothing) {
  auto in = login(kOperator, kOperatorPassword);
  auto a1 = machineTicket("A");
  auto unknown = run(queue().act(asStaff(in.ctx, a1), "vola"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Errc::kInvalid);
  EXPECT_EQ(unknown.error().field, "action");
  // Not called yet: it cannot be done.
  auto early = run(queue().act(asStaff(in.ctx, a1), "done"));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, Errc::kConflict);
  EXPECT_EQ(state(a1.id), "waiting");
  EXPECT_EQ(count("SELECT COUNT(*) FROM queue_ticket_history WHERE ticket_id = ?", {a1.id}), 1);

  // A counter of another ente, or none at all.
  auto collina = run(staff().login("collina", "admin", "collina-demo-2026", "192.0.2.30", ""));
  ASSERT_TRUE(collina.ok()) << collina.error().message;
  for (std::string k : {std::string("nessuno"), counterId("Sportello 1")}) {
    auto r = run(queue().callNext(collina->ctx, k));
    ASSERT_FALSE(r.ok()) << k;
    EXPECT_EQ(r.error().code, Errc::kNotFound) << k;
  }
  EXPECT_EQ(state(a1.id), "waiting");
  EXPECT_EQ(text("SELECT state FROM queue_counters WHERE id = ?", {counterId("Sportello 1")}),
            "closed");
}

INSTANTIATE_TEST_SUITE_P(Backends, QueueServiceTest, ::testing::ValuesIn(backends()),
                         backendParamName);

}  // namespace
}  // namespace sportello::unit
