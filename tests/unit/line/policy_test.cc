// Unit tests for the one line's policy (src/line/model/policy.h): channel fit, every class
// across channels, fairness, ties, and order independence. Times are minutes after 09:00Z on
// 2026-01-15; only their order matters.
#include "line/model/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace sportello::line {

// gtest's printer hook: the name is fixed by GoogleTest.
void PrintTo(const Decision& d, std::ostream* os) {  // NOLINT(readability-identifier-naming)
  *os << "{" << d.entryId << ", " << channelName(d.channel) << ", " << callKindName(d.kind) << "}";
}

namespace {

using namespace std::chrono_literals;  // NOLINT: 5min

const SysMillis kBase =
    SysMillis(std::chrono::sys_days(std::chrono::year(2026) / std::chrono::January / 15)) + 9h;
const SysMillis kNow = kBase + 60min;  // 10:00Z

SysMillis t(std::chrono::minutes m) {
  return kBase + m;
}

// A paper ticket for service "anag" (office "anagrafe") in the hall of site "centro".
Entry ticket(std::string id, std::chrono::minutes at, bool priority = false) {
  Entry e;
  e.id = std::move(id);
  e.channel = Channel::kTicket;
  e.serviceId = "anag";
  e.officeId = "anagrafe";
  e.siteId = "centro";
  e.priority = priority;
  e.arrivedAt = t(at);
  return e;
}

// A web knock on the door of office "anagrafe".
Entry visit(std::string id, std::chrono::minutes at) {
  Entry e;
  e.id = std::move(id);
  e.channel = Channel::kVisit;
  e.officeId = "anagrafe";
  e.arrivedAt = t(at);
  return e;
}

Entry callback(std::string id, std::chrono::minutes due) {
  Entry e;
  e.id = std::move(id);
  e.channel = Channel::kCallback;
  e.officeId = "anagrafe";
  e.arrivedAt = t(due);
  e.appointmentAt = t(due);
  return e;
}

Entry appointmentTicket(std::string id, std::chrono::minutes issued, std::chrono::minutes at) {
  Entry e = ticket(std::move(id), issued);
  e.appointmentAt = t(at);
  return e;
}

// A counter at "centro" serving "anag", with camera and headset when `remote`.
Desk counter(bool remote, int streak = 0) {
  Desk d;
  d.serviceIds = {"anag"};
  d.officeIds = {"anagrafe"};
  d.siteId = "centro";
  d.remote = remote;
  d.operatorId = "op1";
  d.consecutivePriorityCalls = streak;
  return d;
}

// A desk at home: remote contacts only.
Desk remoteDesk() {
  Desk d;
  d.officeIds = {"anagrafe"};
  d.serviceIds = {"anag"};
  d.remote = true;
  d.operatorId = "op1";
  return d;
}

Decision pick(std::string id, Channel c, CallKind k) {
  return Decision{std::move(id), c, k};
}

// --- channel fit ---

TEST(LinePolicyTest, ARemoteDeskNeverGetsAPaperTicket) {
  std::vector<Entry> q = {ticket("t1", 0min, true), visit("v1", 30min)};
  EXPECT_EQ(chooseNext(q, remoteDesk(), kNow), pick("v1", Channel::kVisit, CallKind::kNormal));
  q = {ticket("t1", 0min)};
  EXPECT_EQ(chooseNext(q, remoteDesk(), kNow), std::nullopt);
}

TEST(LinePolicyTest, ACounterWithoutCameraServesOnlyTheHall) {
  std::vector<Entry> q = {visit("v1", 0min), callback("c1", 1min), ticket("t1", 30min)};
  EXPECT_EQ(chooseNext(q, counter(false), kNow), pick("t1", Channel::kTicket, CallKind::kNormal));
  EXPECT_EQ(chooseNext({visit("v1", 0min)}, counter(false), kNow), std::nullopt);
}

TEST(LinePolicyTest, ATicketOfAnotherSiteOrServiceDoesNotFit) {
  Entry other = ticket("t1", 0min);
  other.siteId = "frazione";
  Entry service = ticket("t2", 0min);
  service.serviceId = "tributi";
  EXPECT_FALSE(fits(other, counter(true)));
  EXPECT_FALSE(fits(service, counter(true)));
  EXPECT_TRUE(fits(ticket("t3", 0min), counter(true)));
}

TEST(LinePolicyTest, VisitsOfOtherOfficesAndReservedForOthersDoNotFit) {
  Entry elsewhere = visit("v1", 0min);
  elsewhere.officeId = "tributi";
  Entry reserved = visit("v2", 0min);
  reserved.reservedFor = "op2";
  Entry mine = visit("v3", 0min);
  mine.reservedFor = "op1";
  EXPECT_FALSE(fits(elsewhere, remoteDesk()));
  EXPECT_FALSE(fits(reserved, remoteDesk()));
  EXPECT_TRUE(fits(mine, remoteDesk()));
  Entry empty = visit("v4", 0min);
  empty.officeId = "";
  Desk blank = remoteDesk();
  blank.officeIds = {""};
  EXPECT_FALSE(fits(empty, blank)) << "an empty office matches nothing";
}

// --- one order across channels ---

TEST(LinePolicyTest, OldestArrivalFirstWhateverTheChannel) {
  std::vector<Entry> q = {ticket("t1", 10min), visit("v1", 5min), ticket("t2", 2min)};
  Desk d = counter(true);
  EXPECT_EQ(chooseNext(q, d, kNow), pick("t2", Channel::kTicket, CallKind::kNormal));
  q.erase(q.begin() + 2);
  EXPECT_EQ(chooseNext(q, d, kNow), pick("v1", Channel::kVisit, CallKind::kNormal));
}

TEST(LinePolicyTest, DueAppointmentsOfAnyChannelGoFirstEarliestAppointmentFirst) {
  Entry video = visit("v-appt", 50min);
  video.appointmentAt = t(58min);
  std::vector<Entry> q = {ticket("t1", 0min, true), visit("v1", 1min),
                          appointmentTicket("t-appt", 40min, 62min), video, callback("cb", 59min)};
  Desk d = counter(true);
  auto order = ordered(q, d, kNow);
  std::vector<std::string> ids;
  for (const auto& o : order) ids.push_back(o.entryId);
  EXPECT_EQ(ids, (std::vector<std::string>{"v-appt", "cb", "t-appt", "t1", "v1"}));
  EXPECT_EQ(order[0].kind, CallKind::kAppointment);
  EXPECT_EQ(order[3].kind, CallKind::kPriority);
  EXPECT_EQ(order[4].kind, CallKind::kNormal);
  EXPECT_EQ(chooseNext(q, d, kNow), pick("v-appt", Channel::kVisit, CallKind::kAppointment));
}

TEST(LinePolicyTest, AnAppointmentNotYetDueWaitsByArrival) {
  std::vector<Entry> q = {appointmentTicket("early", 20min, 90min), visit("v1", 30min)};
  EXPECT_EQ(chooseNext(q, counter(true), kNow), pick("early", Channel::kTicket, CallKind::kNormal));
  q = {appointmentTicket("early", 40min, 90min), visit("v1", 30min)};
  EXPECT_EQ(chooseNext(q, counter(true), kNow), pick("v1", Channel::kVisit, CallKind::kNormal));
  // Within the grace (5 minutes before) it counts as due.
  q = {appointmentTicket("soon", 40min, 65min), visit("v1", 30min)};
  EXPECT_EQ(chooseNext(q, counter(true), kNow),
            pick("soon", Channel::kTicket, CallKind::kAppointment));
}

TEST(LinePolicyTest, PriorityBeforeOlderNormalEntries) {
  std::vector<Entry> q = {visit("v1", 0min), ticket("p1", 30min, true)};
  EXPECT_EQ(chooseNext(q, counter(true), kNow), pick("p1", Channel::kTicket, CallKind::kPriority));
}

// --- fairness ---

TEST(LinePolicyTest, FairnessGivesTheOlderWebKnockItsTurnAfterKPriorityCalls) {
  std::vector<Entry> q = {visit("v1", 0min), ticket("p1", 10min, true), ticket("p2", 11min, true)};
  EXPECT_EQ(chooseNext(q, counter(true, 2), kNow),
            pick("p1", Channel::kTicket, CallKind::kPriority));
  EXPECT_EQ(chooseNext(q, counter(true, 3), kNow),
            pick("v1", Channel::kVisit, CallKind::kFairness));
  PolicyConfig off;
  off.maxConsecutivePriorityCalls = 0;
  EXPECT_EQ(chooseNext(q, counter(true, 9), kNow, off),
            pick("p1", Channel::kTicket, CallKind::kPriority));
}

TEST(LinePolicyTest, FairnessDoesNotJumpANewerNormalEntryAhead) {
  std::vector<Entry> q = {ticket("p1", 0min, true), visit("v1", 20min)};
  EXPECT_EQ(chooseNext(q, counter(true, 5), kNow),
            pick("p1", Channel::kTicket, CallKind::kPriority));
}

TEST(LinePolicyTest, AStreamOfPriorityNeverStarvesTheNormalLine) {
  // A priority ticket arrives every minute; a web knock waits from minute 0.
  Desk d = counter(true);
  std::vector<Entry> q = {visit("v1", 0min)};
  int calls = 0;
  for (int i = 1; i <= 20; ++i)
    q.push_back(ticket("p" + std::to_string(i), std::chrono::minutes(i), true));
  for (;; ++calls) {
    auto next = chooseNext(q, d, kNow);
    ASSERT_TRUE(next);
    d.consecutivePriorityCalls =
        consecutivePriorityCallsAfter(d.consecutivePriorityCalls, next->kind);
    std::erase_if(q, [&](const Entry& e) { return e.id == next->entryId; });
    if (next->entryId == "v1") break;
  }
  EXPECT_EQ(calls, 3) << "served after exactly k = 3 priority calls";
}

// --- ties and determinism ---

TEST(LinePolicyTest, TiesBreakByChannelThenNumberThenId) {
  std::vector<Entry> q = {visit("v1", 5min), ticket("t1", 5min)};
  EXPECT_EQ(chooseNext(q, counter(true), kNow), pick("t1", Channel::kTicket, CallKind::kNormal));
  Entry a = ticket("b", 5min);
  a.number = 2;
  Entry b = ticket("a", 5min);
  b.number = 3;
  EXPECT_EQ(chooseNext({a, b}, counter(true), kNow),
            pick("b", Channel::kTicket, CallKind::kNormal));
  b.number = 2;
  EXPECT_EQ(chooseNext({a, b}, counter(true), kNow),
            pick("a", Channel::kTicket, CallKind::kNormal));
}

TEST(LinePolicyTest, TheSameChoiceWhateverTheInputOrder) {
  std::vector<Entry> q = {ticket("t1", 3min),
                          visit("v1", 3min),
                          callback("cb", 70min),
                          ticket("p1", 8min, true),
                          appointmentTicket("a1", 1min, 61min),
                          visit("v2", 0min)};
  Desk d = counter(true, 1);
  auto expected = chooseNext(q, d, kNow);
  auto expectedOrder = ordered(q, d, kNow);
  ASSERT_TRUE(expected);
  EXPECT_EQ(expected->entryId, "a1");
  std::mt19937 rng(12);
  for (int i = 0; i < 50; ++i) {
    std::shuffle(q.begin(), q.end(), rng);
    EXPECT_EQ(chooseNext(q, d, kNow), expected);
    EXPECT_EQ(ordered(q, d, kNow), expectedOrder);
  }
}

TEST(LinePolicyTest, OrderedListsOnlyWhatFits) {
  std::vector<Entry> q = {ticket("t1", 0min), visit("v1", 1min)};
  auto hall = ordered(q, counter(false), kNow);
  ASSERT_EQ(hall.size(), 1u);
  EXPECT_EQ(hall[0].entryId, "t1");
  auto home = ordered(q, remoteDesk(), kNow);
  ASSERT_EQ(home.size(), 1u);
  EXPECT_EQ(home[0].entryId, "v1");
}

TEST(LinePolicyTest, Names) {
  EXPECT_STREQ(channelName(Channel::kCallback), "callback");
  EXPECT_STREQ(callKindName(CallKind::kFairness), "fairness");
  EXPECT_EQ(consecutivePriorityCallsAfter(2, CallKind::kAppointment), 3);
  EXPECT_EQ(consecutivePriorityCallsAfter(2, CallKind::kFairness), 0);
}

}  // namespace
}  // namespace sportello::line
