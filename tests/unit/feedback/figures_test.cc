#include "feedback/model/figures.h"

#include <gtest/gtest.h>

namespace sportello::feedback {
namespace {

const date::time_zone* rome() {
  return date::locate_zone("Europe/Rome");
}

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kMar29Utc = 1'774'742'400'000;  // 2026-03-29T00:00:00Z (01:00 CET)
constexpr int64_t kOct25Utc = 1'792'886'400'000;  // 2026-10-25T00:00:00Z (02:00 CEST)

TEST(FiguresBucket, EdgesBelongToTheUpperBucket) {
  EXPECT_EQ(bucketOf(-5000), 0u);
  EXPECT_EQ(bucketOf(0), 0u);
  EXPECT_EQ(bucketOf(29'999), 0u);
  EXPECT_EQ(bucketOf(30'000), 1u);
  EXPECT_EQ(bucketOf(299'999), 4u);
  EXPECT_EQ(bucketOf(300'000), 5u);
  EXPECT_EQ(bucketOf(7'199'999), kBuckets - 2);
  EXPECT_EQ(bucketOf(7'200'000), kBuckets - 1);
  EXPECT_EQ(bucketOf(100 * kHour), kBuckets - 1);
}

TEST(FiguresQuantile, InterpolatesInsideTheBucket) {
  Histogram h{};
  EXPECT_FALSE(quantileS(h, 0.5));
  h[0] = 10;  // ten durations under 30 s
  EXPECT_DOUBLE_EQ(*quantileS(h, 0.5), 15.0);
  EXPECT_DOUBLE_EQ(*quantileS(h, 0.9), 27.0);
  // Half in [0, 30), half in [300, 450): the median is the first of the upper half.
  h[5] = 10;
  EXPECT_DOUBLE_EQ(*quantileS(h, 0.5), 300.0);
  EXPECT_DOUBLE_EQ(*quantileS(h, 0.9), 300.0 + 150.0 * 0.8);
}

TEST(FiguresQuantile, OpenLastBucketAnswersItsLowerEdge) {
  Histogram h{};
  h[kBuckets - 1] = 3;
  EXPECT_DOUBLE_EQ(*quantileS(h, 0.5), 7200.0);
  EXPECT_DOUBLE_EQ(*quantileS(h, 0.9), 7200.0);
}

TEST(FiguresQuantile, SummedHistogramsGiveTheQuantileOfTheUnion) {
  // Two days' cells added: the p90 is read from the sum, not averaged.
  ContactCounts a, b;
  for (int i = 0; i < 9; ++i) ++a.wait[bucketOf(10'000)];
  ++b.wait[bucketOf(1000'000)];  // 1000 s: bucket [900, 1200)
  a += b;
  EXPECT_DOUBLE_EQ(*quantileS(a.wait, 0.5), 30.0 * (5.0 / 9.0));
  EXPECT_DOUBLE_EQ(*quantileS(a.wait, 0.9), 900.0);
}

TEST(FiguresSlot, SpringDstDayHasNoHourTwo) {
  // 2026-03-29: 00:59Z is 01:59 CET, 01:00Z is 03:00 CEST.
  auto before = localSlot(kMar29Utc + 59 * 60'000, rome());
  EXPECT_EQ(before.day, "2026-03-29");
  EXPECT_EQ(before.hour, 1);
  auto after = localSlot(kMar29Utc + kHour, rome());
  EXPECT_EQ(after.day, "2026-03-29");
  EXPECT_EQ(after.hour, 3);
  // The day started at 23:00Z the day before.
  EXPECT_EQ(localSlot(kMar29Utc - kHour, rome()).day, "2026-03-29");
  EXPECT_EQ(localSlot(kMar29Utc - kHour - 1, rome()).day, "2026-03-28");
}

TEST(FiguresSlot, AutumnDstDayCountsBothHourTwosInHourTwo) {
  // 2026-10-25: 00:30Z is 02:30 CEST, 01:30Z is 02:30 CET.
  auto first = localSlot(kOct25Utc + kHour / 2, rome());
  auto second = localSlot(kOct25Utc + kHour + kHour / 2, rome());
  EXPECT_EQ(first.day, "2026-10-25");
  EXPECT_EQ(second.day, "2026-10-25");
  EXPECT_EQ(first.hour, 2);
  EXPECT_EQ(second.hour, 2);
  // 25 hours: local midnight at 22:00Z on the 24th, the next one at 23:00Z on the 25th.
  EXPECT_EQ(localSlot(kOct25Utc - 2 * kHour, rome()).day, "2026-10-25");
  EXPECT_EQ(localSlot(kOct25Utc - 2 * kHour - 1, rome()).day, "2026-10-24");
  auto last = localSlot(kOct25Utc + 23 * kHour - 1, rome());
  EXPECT_EQ(last.day, "2026-10-25");
  EXPECT_EQ(last.hour, 23);
  EXPECT_EQ(localSlot(kOct25Utc + 23 * kHour, rome()).day, "2026-10-26");
}

TEST(FiguresSlot, YearEdgesInLocalTime) {
  // 2026-12-31T23:30Z is already 2027-01-01 00:30 in Rome.
  constexpr int64_t kJan1Utc = 1'798'761'600'000;  // 2027-01-01T00:00:00Z
  auto s = localSlot(kJan1Utc - kHour / 2, rome());
  EXPECT_EQ(s.day, "2027-01-01");
  EXPECT_EQ(s.hour, 0);
  EXPECT_EQ(localSlot(kJan1Utc - kHour - 1, rome()).day, "2026-12-31");
}

TEST(FiguresCounts, AddUp) {
  ContactCounts a, b;
  a.contacts = 2;
  a.fcrEligible = 2;
  a.fcrYes = 1;
  a.byHour[9] = 2;
  b.contacts = 1;
  b.noShow = 1;
  b.byHour[9] = 1;
  b.service[3] = 1;
  a += b;
  EXPECT_EQ(a.contacts, 3);
  EXPECT_EQ(a.noShow, 1);
  EXPECT_EQ(a.fcrYes, 1);
  EXPECT_EQ(a.byHour[9], 3);
  EXPECT_EQ(a.service[3], 1);
}

}  // namespace
}  // namespace sportello::feedback
