// Unit tests for the call-next policy (src/queue/model/call_policy.h). Times are minutes after
// 09:00Z on 2026-01-15; only their order matters.
#include "queue/model/call_policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace sportello::queue {

// gtest's printer hook: the name is fixed by GoogleTest.
void PrintTo(const CallDecision& d, std::ostream* os) {  // NOLINT(readability-identifier-naming)
  *os << "{" << d.ticketId << ", " << callKindName(d.kind) << "}";
}

namespace {

using namespace std::chrono_literals;  // NOLINT: 5min

const SysMillis kBase =
    SysMillis(std::chrono::sys_days(std::chrono::year(2026) / std::chrono::January / 15)) + 9h;

SysMillis t(std::chrono::milliseconds offset) {
  return kBase + offset;
}

Ticket normal(std::string id, std::string service, int number, SysMillis issuedAt) {
  Ticket tk;
  tk.id = std::move(id);
  tk.serviceId = std::move(service);
  tk.number = number;
  tk.issuedAt = issuedAt;
  return tk;
}

Ticket priority(std::string id, std::string service, int number, SysMillis issuedAt,
                PriorityReason reason = PriorityReason::kPregnancy) {
  Ticket tk = normal(std::move(id), std::move(service), number, issuedAt);
  tk.priority = reason;
  return tk;
}

Ticket appointment(std::string id, std::string service, int number, SysMillis issuedAt,
                   std::optional<SysMillis> appointmentAt) {
  Ticket tk = normal(std::move(id), std::move(service), number, issuedAt);
  tk.priority = PriorityReason::kAppointment;
  tk.appointmentAt = appointmentAt;
  return tk;
}

CounterView counter(std::vector<std::string> services, int consecutive = 0) {
  return CounterView{std::move(services), consecutive};
}

CallDecision call(std::string id, CallKind kind) {
  return CallDecision{std::move(id), kind};
}

const SysMillis kNow = t(60min);  // 10:00Z

// --- nothing to call ---

TEST(CallPolicyTest, EmptyQueue) {
  EXPECT_EQ(chooseNext({}, counter({"A", "B"}), kNow), std::nullopt);
}

TEST(CallPolicyTest, CounterServingNothing) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)), priority("p1", "A", 2, t(1min))};
  EXPECT_EQ(chooseNext(q, counter({}), kNow), std::nullopt);
}

TEST(CallPolicyTest, OnlyTicketsOfOtherServices) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)), priority("p1", "B", 1, t(1min)),
                           appointment("a1", "B", 2, t(2min), t(50min))};
  EXPECT_EQ(chooseNext(q, counter({"C"}), kNow), std::nullopt);
}

// --- (c) normal order ---

TEST(CallPolicyTest, OldestTicketAcrossTheCountersServices) {
  std::vector<Ticket> q = {normal("a5", "A", 5, t(20min)), normal("b2", "B", 2, t(10min)),
                           normal("c1", "C", 1, t(1min)),  // older, but not served here
                           normal("a6", "A", 6, t(30min))};
  EXPECT_EQ(chooseNext(q, counter({"A", "B"}), kNow), call("b2", CallKind::kNormal));
}

TEST(CallPolicyTest, EqualTimestampsBreakByNumberThenServiceThenId) {
  std::vector<Ticket> q = {normal("x", "B", 7, t(5min)), normal("y", "A", 9, t(5min))};
  EXPECT_EQ(chooseNext(q, counter({"A", "B"}), kNow)->ticketId, "x");  // number 7 < 9
  q = {normal("x", "B", 7, t(5min)), normal("y", "A", 7, t(5min))};
  EXPECT_EQ(chooseNext(q, counter({"A", "B"}), kNow)->ticketId, "y");  // service A < B
  q = {normal("z", "A", 7, t(5min)), normal("y", "A", 7, t(5min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow)->ticketId, "y");  // id y < z
}

TEST(CallPolicyTest, DuplicateServiceIdsAreHarmless) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(3min)), normal("n2", "B", 1, t(1min))};
  EXPECT_EQ(chooseNext(q, counter({"A", "A", "B", "B"}), kNow), call("n2", CallKind::kNormal));
}

// --- (b) priority ---

TEST(CallPolicyTest, PriorityBeforeOlderNormal) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)), priority("p1", "A", 9, t(40min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("p1", CallKind::kPriority));
}

TEST(CallPolicyTest, PriorityReasonsRankEquallyOldestFirst) {
  std::vector<Ticket> q = {priority("preg", "A", 3, t(12min), PriorityReason::kPregnancy),
                           priority("dis", "B", 2, t(11min), PriorityReason::kDisability),
                           priority("age", "A", 4, t(10min), PriorityReason::kAge)};
  EXPECT_EQ(chooseNext(q, counter({"A", "B"}), kNow), call("age", CallKind::kPriority));
}

TEST(CallPolicyTest, PriorityOfAnUnservedServiceIsIgnored) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)), priority("p1", "B", 9, t(40min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("n1", CallKind::kNormal));
}

// --- (a) appointments ---

TEST(CallPolicyTest, DueAppointmentBeforePriority) {
  std::vector<Ticket> q = {priority("p1", "A", 1, t(0min)),
                           appointment("ap", "A", 2, t(45min), t(60min)),
                           normal("n1", "A", 3, t(1min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("ap", CallKind::kAppointment));
}

TEST(CallPolicyTest, AppointmentDueWithinTheGraceIncludingTheEdge) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)),
                           appointment("ap", "A", 2, t(50min), kNow + 5min)};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("ap", CallKind::kAppointment));
}

TEST(CallPolicyTest, AppointmentNotYetDueWaitsLikeANormalTicket) {
  // Due one millisecond after the grace: it is a normal ticket, behind the older walk-in…
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)),
                           appointment("ap", "A", 2, t(50min), kNow + 5min + 1ms)};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("n1", CallKind::kNormal));
  // …and behind priority tickets…
  q.push_back(priority("p1", "A", 3, t(55min)));
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("p1", CallKind::kPriority));
  // …but ahead of walk-ins who arrived after it.
  q = {normal("n2", "A", 4, t(52min)), appointment("ap", "A", 2, t(50min), kNow + 30min)};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("ap", CallKind::kNormal));
  // Once the clock reaches the grace window it jumps the line.
  q = {normal("n1", "A", 1, t(0min)), appointment("ap", "A", 2, t(50min), kNow + 30min)};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow + 25min), call("ap", CallKind::kAppointment));
}

TEST(CallPolicyTest, LateAppointmentIsStillDue) {
  std::vector<Ticket> q = {priority("p1", "A", 1, t(0min)),
                           appointment("ap", "A", 2, t(58min), kNow - 40min)};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("ap", CallKind::kAppointment));
}

TEST(CallPolicyTest, EarliestAppointmentFirstThenIssuedAt) {
  std::vector<Ticket> q = {appointment("a1030", "A", 1, t(10min), kNow + 3min),
                           appointment("a0945", "B", 2, t(40min), kNow - 15min),
                           appointment("a0945b", "A", 3, t(30min), kNow - 15min)};
  EXPECT_EQ(chooseNext(q, counter({"A", "B"}), kNow), call("a0945b", CallKind::kAppointment));
}

TEST(CallPolicyTest, AppointmentWithoutATimeIsANormalTicket) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)),
                           appointment("ap", "A", 2, t(10min), std::nullopt)};
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow), call("n1", CallKind::kNormal));
}

TEST(CallPolicyTest, CustomGrace) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)),
                           appointment("ap", "A", 2, t(50min), kNow + 1min)};
  CallPolicyConfig noGrace;
  noGrace.appointmentGrace = 0ms;
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow, noGrace), call("n1", CallKind::kNormal));
  CallPolicyConfig wide;
  wide.appointmentGrace = 10min;
  EXPECT_EQ(chooseNext(q, counter({"A"}), kNow, wide), call("ap", CallKind::kAppointment));
}

// --- fairness guard ---

TEST(CallPolicyTest, FairnessAfterThreePriorityCallsTakesTheOlderNormal) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)), priority("p1", "A", 2, t(20min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}, 2), kNow), call("p1", CallKind::kPriority));
  EXPECT_EQ(chooseNext(q, counter({"A"}, 3), kNow), call("n1", CallKind::kFairness));
  EXPECT_EQ(chooseNext(q, counter({"A"}, 7), kNow), call("n1", CallKind::kFairness));
}

TEST(CallPolicyTest, FairnessNeedsTheNormalToHaveWaitedStrictlyLonger) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(20min)), priority("p1", "A", 2, t(10min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}, 3), kNow), call("p1", CallKind::kPriority));
  q = {normal("n1", "A", 1, t(10min)), priority("p1", "A", 2, t(10min))};  // equal
  EXPECT_EQ(chooseNext(q, counter({"A"}, 3), kNow), call("p1", CallKind::kPriority));
}

TEST(CallPolicyTest, FairnessComparesWithTheOldestOfAppointmentsAndPriorities) {
  // The due appointment was issued before the normal ticket: no fairness call.
  std::vector<Ticket> q = {appointment("ap", "A", 1, t(5min), kNow), normal("n1", "A", 2, t(10min)),
                           priority("p1", "A", 3, t(30min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}, 3), kNow), call("ap", CallKind::kAppointment));
  // Every priority-class ticket is younger: fairness.
  q = {appointment("ap", "A", 1, t(15min), kNow), normal("n1", "A", 2, t(10min)),
       priority("p1", "A", 3, t(30min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}, 3), kNow), call("n1", CallKind::kFairness));
}

TEST(CallPolicyTest, FairnessIgnoresUnservedAndNotDueTickets) {
  // The old normal ticket belongs to a service the counter doesn't serve.
  std::vector<Ticket> q = {normal("nB", "B", 1, t(0min)), normal("nA", "A", 2, t(25min)),
                           priority("p1", "A", 3, t(20min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}, 3), kNow), call("p1", CallKind::kPriority));
  // A not-yet-due appointment counts as the normal candidate.
  q = {appointment("ap", "A", 1, t(0min), kNow + 1h), priority("p1", "A", 3, t(20min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}, 3), kNow), call("ap", CallKind::kFairness));
}

TEST(CallPolicyTest, NoPriorityWaitingIsANormalCallNotAFairnessCall) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min))};
  EXPECT_EQ(chooseNext(q, counter({"A"}, 5), kNow), call("n1", CallKind::kNormal));
}

TEST(CallPolicyTest, FairnessLimitIsConfigurableAndCanBeDisabled) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)), priority("p1", "A", 2, t(20min))};
  CallPolicyConfig one;
  one.maxConsecutivePriorityCalls = 1;
  EXPECT_EQ(chooseNext(q, counter({"A"}, 0), kNow, one), call("p1", CallKind::kPriority));
  EXPECT_EQ(chooseNext(q, counter({"A"}, 1), kNow, one), call("n1", CallKind::kFairness));
  CallPolicyConfig off;
  off.maxConsecutivePriorityCalls = 0;
  EXPECT_EQ(chooseNext(q, counter({"A"}, 100), kNow, off), call("p1", CallKind::kPriority));
}

TEST(CallPolicyTest, ConsecutiveCountUpdate) {
  EXPECT_EQ(consecutivePriorityCallsAfter(0, CallKind::kPriority), 1);
  EXPECT_EQ(consecutivePriorityCallsAfter(2, CallKind::kAppointment), 3);
  EXPECT_EQ(consecutivePriorityCallsAfter(-4, CallKind::kPriority), 1);
  EXPECT_EQ(consecutivePriorityCallsAfter(3, CallKind::kNormal), 0);
  EXPECT_EQ(consecutivePriorityCallsAfter(3, CallKind::kFairness), 0);
  EXPECT_STREQ(callKindName(CallKind::kAppointment), "appointment");
  EXPECT_STREQ(callKindName(CallKind::kPriority), "priority");
  EXPECT_STREQ(callKindName(CallKind::kNormal), "normal");
  EXPECT_STREQ(callKindName(CallKind::kFairness), "fairness");
}

// Draining a queue at one counter: 7 priority tickets and 2 older normal ones.
TEST(CallPolicyTest, DrainingInterleavesANormalCallEveryThreePriorityCalls) {
  std::vector<Ticket> q = {normal("n1", "A", 1, t(0min)), normal("n2", "B", 1, t(1min))};
  for (int i = 1; i <= 7; ++i) {
    q.push_back(priority("p" + std::to_string(i), "A", 10 + i, t(std::chrono::minutes(10 + i))));
  }
  CounterView c = counter({"A", "B"});
  std::vector<std::string> order;
  while (auto d = chooseNext(q, c, kNow)) {
    order.push_back(d->ticketId + ":" + callKindName(d->kind));
    c.consecutivePriorityCalls = consecutivePriorityCallsAfter(c.consecutivePriorityCalls, d->kind);
    std::erase_if(q, [&](const Ticket& tk) { return tk.id == d->ticketId; });
  }
  EXPECT_EQ(order, (std::vector<std::string>{"p1:priority", "p2:priority", "p3:priority",
                                             "n1:fairness", "p4:priority", "p5:priority",
                                             "p6:priority", "n2:fairness", "p7:priority"}));
}

TEST(CallPolicyTest, ResultDoesNotDependOnInputOrder) {
  std::vector<Ticket> q = {normal("n1", "A", 4, t(5min)),
                           normal("n2", "B", 4, t(5min)),
                           priority("p1", "A", 5, t(7min)),
                           priority("p2", "B", 5, t(7min)),
                           appointment("a1", "A", 6, t(8min), kNow + 2min),
                           appointment("a2", "B", 6, t(8min), kNow + 2min)};
  std::sort(q.begin(), q.end(), [](const Ticket& a, const Ticket& b) { return a.id < b.id; });
  do {
    EXPECT_EQ(chooseNext(q, counter({"A", "B"}), kNow), call("a1", CallKind::kAppointment));
    EXPECT_EQ(chooseNext(q, counter({"B"}), kNow), call("a2", CallKind::kAppointment));
  } while (std::next_permutation(q.begin(), q.end(),
                                 [](const Ticket& a, const Ticket& b) { return a.id < b.id; }));
}

// --- randomized properties ---

// An independent statement of the policy: sort the candidates by (class, key) and take the
// first, then apply the fairness guard.
std::optional<CallDecision> reference(const std::vector<Ticket>& q, const CounterView& c,
                                      SysMillis now, const CallPolicyConfig& cfg) {
  std::vector<Ticket> cands;
  for (const Ticket& tk : q) {
    if (std::count(c.serviceIds.begin(), c.serviceIds.end(), tk.serviceId) > 0) {
      cands.push_back(tk);
    }
  }
  if (cands.empty()) return std::nullopt;
  auto rank = [&](const Ticket& tk) {
    if (tk.priority == PriorityReason::kAppointment && tk.appointmentAt &&
        *tk.appointmentAt <= now + cfg.appointmentGrace) {
      return 0;
    }
    if (tk.priority == PriorityReason::kNone || tk.priority == PriorityReason::kAppointment) {
      return 2;
    }
    return 1;
  };
  auto key = [&](const Ticket& tk) {
    return std::make_tuple(rank(tk), rank(tk) == 0 ? *tk.appointmentAt : SysMillis{}, tk.issuedAt,
                           tk.number, tk.serviceId, tk.id);
  };
  std::sort(cands.begin(), cands.end(),
            [&](const Ticket& a, const Ticket& b) { return key(a) < key(b); });
  const Ticket& best = cands.front();
  std::optional<SysMillis> oldestPrio, oldestNormal;
  const Ticket* normalBest = nullptr;
  for (const Ticket& tk : cands) {
    if (rank(tk) < 2) {
      if (!oldestPrio || tk.issuedAt < *oldestPrio) oldestPrio = tk.issuedAt;
    } else if (!normalBest) {
      normalBest = &tk;  // cands is sorted, so the first rank-2 ticket is the oldest
    }
  }
  if (normalBest && oldestPrio && cfg.maxConsecutivePriorityCalls > 0 &&
      c.consecutivePriorityCalls >= cfg.maxConsecutivePriorityCalls &&
      normalBest->issuedAt < *oldestPrio) {
    return CallDecision{normalBest->id, CallKind::kFairness};
  }
  const CallKind kinds[] = {CallKind::kAppointment, CallKind::kPriority, CallKind::kNormal};
  return CallDecision{best.id, kinds[rank(best)]};
}

TEST(CallPolicyPropertyTest, ChosenTicketIsWaitingAndServedByTheCounter) {
  std::mt19937 rng(20260115);
  const std::vector<std::string> services = {"A", "B", "C", "D", "E"};
  const PriorityReason reasons[] = {PriorityReason::kNone,       PriorityReason::kNone,
                                    PriorityReason::kNone,       PriorityReason::kPregnancy,
                                    PriorityReason::kAge,        PriorityReason::kDisability,
                                    PriorityReason::kAppointment};
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int chosen = 0;
  for (int iter = 0; iter < 5000; ++iter) {
    std::vector<Ticket> q;
    const int n = uniform(0, 25);
    for (int i = 0; i < n; ++i) {
      Ticket tk;
      tk.id = "t" + std::to_string(i);
      tk.serviceId = services[uniform(0, 4)];
      tk.number = uniform(1, 1200);
      // A few distinct minutes so that equal timestamps are common.
      tk.issuedAt = t(std::chrono::minutes(uniform(0, 8)));
      tk.priority = reasons[uniform(0, 6)];
      if (tk.priority == PriorityReason::kAppointment && uniform(0, 5) > 0) {
        tk.appointmentAt = t(std::chrono::minutes(uniform(40, 80)));
      }
      q.push_back(tk);
    }
    CounterView c;
    for (const std::string& s : services) {
      if (uniform(0, 2) == 0) c.serviceIds.push_back(s);
    }
    c.consecutivePriorityCalls = uniform(0, 5);
    CallPolicyConfig cfg;
    cfg.maxConsecutivePriorityCalls = uniform(0, 4);

    std::optional<CallDecision> d = chooseNext(q, c, kNow, cfg);
    const bool anyServed = std::any_of(q.begin(), q.end(), [&](const Ticket& tk) {
      return std::count(c.serviceIds.begin(), c.serviceIds.end(), tk.serviceId) > 0;
    });
    ASSERT_EQ(d.has_value(), anyServed) << "iteration " << iter;
    if (d) {
      ++chosen;
      auto it =
          std::find_if(q.begin(), q.end(), [&](const Ticket& tk) { return tk.id == d->ticketId; });
      ASSERT_NE(it, q.end()) << "iteration " << iter << ": not a waiting ticket";
      EXPECT_GT(std::count(c.serviceIds.begin(), c.serviceIds.end(), it->serviceId), 0)
          << "iteration " << iter << ": service not served by the counter";
    }
    ASSERT_EQ(d, reference(q, c, kNow, cfg)) << "iteration " << iter;
    // Deterministic whatever the input order.
    std::shuffle(q.begin(), q.end(), rng);
    ASSERT_EQ(chooseNext(q, c, kNow, cfg), d) << "iteration " << iter;
  }
  EXPECT_GT(chosen, 1000);  // the generator exercises real choices, not only empty queues
}

}  // namespace
}  // namespace sportello::queue
