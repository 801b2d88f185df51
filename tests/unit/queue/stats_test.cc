// Unit tests for the queue statistics (src/queue/model/stats.h).
#include "queue/model/stats.h"

#include <gtest/gtest.h>

namespace sportello::queue {
namespace {

constexpr int64_t kS = 1000;
// 2026-11-25T08:00:00Z = 09:00 in Rome (CET, UTC+1).
constexpr int64_t kNineRome = 1795593600LL * kS;

const date::time_zone* rome() {
  return date::locate_zone("Europe/Rome");
}

TicketFacts done(std::string service, std::string counter, int64_t issued, int64_t waitS,
                 int64_t serviceS) {
  TicketFacts t;
  t.serviceId = std::move(service);
  t.counterId = std::move(counter);
  t.state = "done";
  t.issuedAt = issued;
  t.calledAt = issued + waitS * kS;
  t.startedAt = *t.calledAt + 10 * kS;
  t.endedAt = *t.startedAt + serviceS * kS;
  return t;
}

TEST(DurationStatsTest, EmptyHasNoValues) {
  auto d = durationStats({});
  EXPECT_EQ(d.count, 0);
  EXPECT_FALSE(d.meanS);
  EXPECT_FALSE(d.medianS);
  EXPECT_FALSE(d.p90S);
}

TEST(DurationStatsTest, MeanMedianAndNearestRankP90) {
  // 1 … 10: mean 5.5, median 5.5, p90 = the 9th value.
  auto d = durationStats({10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  EXPECT_EQ(d.count, 10);
  EXPECT_DOUBLE_EQ(*d.meanS, 5.5);
  EXPECT_DOUBLE_EQ(*d.medianS, 5.5);
  EXPECT_DOUBLE_EQ(*d.p90S, 9);
  // Odd count: the middle value; p90 of 3 values is the largest (ceil(2.7) = 3).
  auto o = durationStats({30, 10, 20});
  EXPECT_DOUBLE_EQ(*o.medianS, 20);
  EXPECT_DOUBLE_EQ(*o.p90S, 30);
  // One sample: all equal to it.
  auto one = durationStats({42});
  EXPECT_DOUBLE_EQ(*one.meanS, 42);
  EXPECT_DOUBLE_EQ(*one.medianS, 42);
  EXPECT_DOUBLE_EQ(*one.p90S, 42);
}

TEST(DurationStatsTest, NegativeValuesAreIgnored) {
  auto d = durationStats({-5, 10, 20});
  EXPECT_EQ(d.count, 2);
  EXPECT_DOUBLE_EQ(*d.meanS, 15);
}

TEST(QueueStatsTest, CountsByOutcomePerServiceAndCounter) {
  std::vector<TicketFacts> ts;
  ts.push_back(done("A", "k1", kNineRome, 60, 300));
  ts.push_back(done("A", "k2", kNineRome + 60 * kS, 120, 100));
  TicketFacts noShow;
  noShow.serviceId = "A";
  noShow.counterId = "k1";
  noShow.state = "no_show";
  noShow.issuedAt = kNineRome + 120 * kS;
  noShow.calledAt = noShow.issuedAt + 30 * kS;
  noShow.endedAt = *noShow.calledAt + 60 * kS;
  ts.push_back(noShow);
  TicketFacts cancelled;
  cancelled.serviceId = "C";
  cancelled.state = "cancelled";
  cancelled.issuedAt = kNineRome + 3600 * kS;
  cancelled.endedAt = cancelled.issuedAt + 5 * kS;
  ts.push_back(cancelled);
  TicketFacts waiting;
  waiting.serviceId = "C";
  waiting.state = "waiting";
  waiting.issuedAt = kNineRome + 3700 * kS;
  ts.push_back(waiting);

  auto s = computeQueueStats(ts, rome());
  EXPECT_EQ(s.total.issued, 5);
  EXPECT_EQ(s.total.served, 2);
  EXPECT_EQ(s.total.noShows, 1);
  EXPECT_EQ(s.total.cancelled, 1);
  EXPECT_EQ(s.total.open, 1);

  ASSERT_EQ(s.byService.size(), 2u);
  const auto& a = s.byService.at("A");
  EXPECT_EQ(a.issued, 3);
  EXPECT_EQ(a.served, 2);
  EXPECT_EQ(a.noShows, 1);
  // Waits 60, 120, 30 (the no-show was called too); services 300, 100 (done only).
  EXPECT_EQ(a.waiting.count, 3);
  EXPECT_DOUBLE_EQ(*a.waiting.meanS, 70);
  EXPECT_DOUBLE_EQ(*a.waiting.medianS, 60);
  EXPECT_DOUBLE_EQ(*a.waiting.p90S, 120);
  EXPECT_EQ(a.service.count, 2);
  EXPECT_DOUBLE_EQ(*a.service.meanS, 200);
  EXPECT_DOUBLE_EQ(*a.service.medianS, 200);
  const auto& c = s.byService.at("C");
  EXPECT_EQ(c.issued, 2);
  EXPECT_EQ(c.cancelled, 1);
  EXPECT_EQ(c.open, 1);
  EXPECT_EQ(c.waiting.count, 0);
  EXPECT_FALSE(c.waiting.meanS);

  // Counters: only tickets they called; the never-called ones belong to none.
  ASSERT_EQ(s.byCounter.size(), 2u);
  EXPECT_EQ(s.byCounter.at("k1").issued, 2);
  EXPECT_EQ(s.byCounter.at("k1").served, 1);
  EXPECT_EQ(s.byCounter.at("k1").noShows, 1);
  EXPECT_EQ(s.byCounter.at("k2").served, 1);
  EXPECT_DOUBLE_EQ(*s.byCounter.at("k2").service.meanS, 100);
}

TEST(QueueStatsTest, TicketsPerHourAreLocalHoursOfTheEnte) {
  std::vector<TicketFacts> ts;
  // 09:00 and 09:59:59 Rome → hour 9; 10:00 Rome → hour 10; 23:30 UTC = 00:30 Rome → hour 0.
  ts.push_back(done("A", "k1", kNineRome, 1, 1));
  ts.push_back(done("A", "k1", kNineRome + 3599 * kS, 1, 1));
  ts.push_back(done("A", "k1", kNineRome + 3600 * kS, 1, 1));
  ts.push_back(done("A", "k1", kNineRome + (15 * 3600 + 1800) * kS, 1, 1));
  auto s = computeQueueStats(ts, rome());
  EXPECT_EQ(s.total.perHour[9], 2);
  EXPECT_EQ(s.total.perHour[10], 1);
  EXPECT_EQ(s.total.perHour[0], 1);
  EXPECT_EQ(s.total.perHour[8], 0);  // 08:00 UTC is not hour 8 in Rome
  int64_t sum = 0;
  for (auto n : s.total.perHour) sum += n;
  EXPECT_EQ(sum, 4);
}

TEST(QueueStatsTest, SummerTimeShiftsTheLocalHour) {
  // 2026-07-01T07:30:00Z = 09:30 in Rome (CEST, UTC+2).
  constexpr int64_t summer = 1782891000LL * kS;
  auto s = computeQueueStats({done("A", "k1", summer, 1, 1)}, rome());
  EXPECT_EQ(s.total.perHour[9], 1);
}

TEST(QueueStatsTest, EmptyPeriod) {
  auto s = computeQueueStats({}, rome());
  EXPECT_EQ(s.total.issued, 0);
  EXPECT_TRUE(s.byService.empty());
  EXPECT_TRUE(s.byCounter.empty());
  EXPECT_FALSE(s.total.waiting.medianS);
}

}  // namespace
}  // namespace sportello::queue
