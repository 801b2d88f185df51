#include "core/clock.h"

#include <gtest/gtest.h>

namespace sportello {
namespace {

TEST(ClockTest, IsoRoundTrip) {
  auto t = parseIso("2026-11-23T09:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(formatIso(t.value()), "2026-11-23T09:00:00Z");
  auto u = parseIso("2026-11-23T10:00:00+01:00");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value(), t.value());
  auto ms = parseIso("2026-11-23T09:00:00.250Z");
  ASSERT_TRUE(ms.ok());
  EXPECT_EQ(formatIso(ms.value()), "2026-11-23T09:00:00.250Z");
}

TEST(ClockTest, RejectsGarbage) {
  EXPECT_FALSE(parseIso("yesterday").ok());
  EXPECT_FALSE(parseIso("2026-11-23").ok());
  EXPECT_FALSE(parseIso("2026-11-23T09:00:00Zjunk").ok());
}

TEST(ClockTest, OffsetClockStartsAtTheGivenInstant) {
  auto start = parseIso("2030-01-01T00:00:00Z").value();
  OffsetClock c(start);
  auto d = c.now() - start;
  EXPECT_GE(d.count(), 0);
  EXPECT_LT(d.count(), 1000);
}

TEST(ClockTest, ManualClockAdvances) {
  ManualClock c(parseIso("2026-03-29T00:30:00Z").value());
  c.advance(std::chrono::hours(1));
  EXPECT_EQ(formatIso(c.now()), "2026-03-29T01:30:00Z");
}

}  // namespace
}  // namespace sportello
