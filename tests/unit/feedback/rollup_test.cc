#include "feedback/model/rollup.h"

#include <gtest/gtest.h>

namespace sportello::feedback {
namespace {

const date::time_zone* rome() {
  return date::locate_zone("Europe/Rome");
}

// 2026-03-29 02:00 CET → 03:00 CEST (23 hours); 2026-10-25 03:00 CEST → 02:00 CET (25 hours).
constexpr int64_t kMar29Utc = 1'774'742'400'000;  // 2026-03-29T00:00:00Z
constexpr int64_t kOct25Utc = 1'792'886'400'000;  // 2026-10-25T00:00:00Z

TEST(RollupHour, FloorsToTheHourAlsoBefore1970) {
  EXPECT_EQ(hourStart(kMar29Utc + 59 * 60'000), kMar29Utc);
  EXPECT_EQ(hourStart(kMar29Utc + kHourMs), kMar29Utc + kHourMs);
  EXPECT_EQ(hourStart(-1), -kHourMs);
}

TEST(RollupPeriod, DstDaysHave23And25Hours) {
  auto spring = periodOf("2026-03-29", "2026-03-29", rome());
  ASSERT_TRUE(spring.ok());
  EXPECT_EQ(spring->first, kMar29Utc - kHourMs);  // local midnight = 23:00Z the day before
  EXPECT_EQ(spring->second - spring->first, 23 * kHourMs);
  auto autumn = periodOf("2026-10-25", "2026-10-25", rome());
  ASSERT_TRUE(autumn.ok());
  EXPECT_EQ(autumn->first, kOct25Utc - 2 * kHourMs);  // CEST: midnight = 22:00Z
  EXPECT_EQ(autumn->second - autumn->first, 25 * kHourMs);
  auto week = periodOf("2026-10-19", "2026-10-25", rome());
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(week->second - week->first, (7 * 24 + 1) * kHourMs);
}

TEST(RollupPeriod, EdgesBelongToTheirLocalDay) {
  auto day = periodOf("2026-11-25", "2026-11-25", rome());
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(localDay(day->first, rome()), "2026-11-25");       // 00:00 local
  EXPECT_EQ(localDay(day->second - 1, rome()), "2026-11-25");  // 23:59:59.999 local
  EXPECT_EQ(localDay(day->second, rome()), "2026-11-26");      // next midnight: the next day
  EXPECT_EQ(localDay(day->first - 1, rome()), "2026-11-24");
  // Every hour of the 25-hour day is that day; hours are whole in Rome, so an hour never
  // straddles two local days.
  auto autumn = periodOf("2026-10-25", "2026-10-25", rome());
  for (int64_t h = autumn->first; h < autumn->second; h += kHourMs) {
    EXPECT_EQ(localDay(h, rome()), "2026-10-25");
    EXPECT_EQ(hourStart(h), h);
  }
}

TEST(RollupPeriod, BadPeriodsAreRefused) {
  EXPECT_EQ(periodOf("2026-13-01", "2026-12-01", rome()).error().field, "from");
  EXPECT_EQ(periodOf("2026-02-29", "2026-03-01", rome()).error().field, "from");  // not a leap year
  EXPECT_EQ(periodOf("2026-11-25", "25/11/2026", rome()).error().field, "to");
  EXPECT_EQ(periodOf("2026-11-25", "2026-11-24", rome()).error().field, "to");
  EXPECT_TRUE(periodOf("2026-01-01", "2027-01-01", rome()).ok());  // 366 days
  EXPECT_EQ(periodOf("2026-01-01", "2027-01-02", rome()).error().field, "to");
}

TEST(RollupCounts, OneRatingAndTheirSum) {
  auto a = Counts::of(Score::kNegative, {"waiting_time", "technical"});
  EXPECT_EQ(a.negative, 1);
  EXPECT_EQ(a.reasons[0], 1);
  EXPECT_EQ(a.reasons[5], 1);
  auto b = Counts::of(Score::kPositive, {});
  b += a;
  b += Counts::of(Score::kNeutral, {"waiting_time"});
  EXPECT_EQ(b.total(), 3);
  EXPECT_EQ(b.positive, 1);
  EXPECT_EQ(b.neutral, 1);
  EXPECT_EQ(b.reasons[0], 2);
}

}  // namespace
}  // namespace sportello::feedback
