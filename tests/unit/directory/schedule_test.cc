// Unit tests for the reception-hours model (src/directory/schedule.h). Instants are written as
// UTC literals; the local times they stand for (Europe/Rome) are given in the comments.
#include "directory/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

// Readable failure messages for instants: 2026-11-23T07:00:00Z instead of a byte dump.
namespace testing::internal {
template <class Duration>
class UniversalPrinter<std::chrono::time_point<std::chrono::system_clock, Duration>> {
 public:
  static void Print(const std::chrono::time_point<std::chrono::system_clock, Duration>& t,
                    std::ostream* os) {
    *os << date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
  }
};
}  // namespace testing::internal

namespace sportello::directory {

void PrintTo(const Interval& iv, std::ostream* os) {
  *os << "[" << date::format("%FT%TZ", iv.start) << ", " << date::format("%FT%TZ", iv.end) << ")";
}

void PrintTo(const MinuteRange& r, std::ostream* os) {
  *os << formatHm(r.startMin) << "–" << formatHm(r.endMin);
}

void PrintTo(const OpenStatus& s, std::ostream* os) {
  *os << (s.open ? "open" : "closed");
  if (s.closesAt) *os << " closesAt " << date::format("%FT%TZ", *s.closesAt);
  if (s.nextOpensAt) *os << " nextOpensAt " << date::format("%FT%TZ", *s.nextOpensAt);
  *os << " validUntil " << date::format("%FT%TZ", s.validUntil);
}

namespace {

using namespace date;                  // NOLINT: calendar literals (2026_y/November/23)
using namespace std::chrono_literals;  // NOLINT: 7h, 30min
using Channel = std::optional<std::string>;

const Channel kGeneral = std::nullopt;
const Channel kChat = std::string("chat");
const Channel kVideo = std::string("video");

constexpr int hm(int h, int m = 0) {
  return h * 60 + m;
}

MinuteRange range(int startMin, int endMin) {
  return MinuteRange{startMin, endMin};
}

WeeklyRule rule(int weekday, MinuteRange r, Channel channel = std::nullopt) {
  return WeeklyRule{weekday, r, std::move(channel)};
}

DatedException closure(year_month_day day, std::string note = {}, Channel channel = std::nullopt) {
  DatedException e;
  e.day = day;
  e.closed = true;
  e.note = std::move(note);
  e.channel = std::move(channel);
  return e;
}

DatedException openOn(year_month_day day, std::vector<MinuteRange> ranges, std::string note = {},
                      Channel channel = std::nullopt) {
  DatedException e;
  e.day = day;
  e.closed = false;
  e.ranges = std::move(ranges);
  e.note = std::move(note);
  e.channel = std::move(channel);
  return e;
}

class ScheduleTest : public ::testing::Test {
 protected:
  static const time_zone* rome() { return locate_zone("Europe/Rome"); }

  static ScheduleSpec emptySpec() {
    ScheduleSpec s;
    s.tz = rome();
    return s;
  }

  // The usual office: Monday to Friday 08:00–19:00.
  static ScheduleSpec office() {
    ScheduleSpec s = emptySpec();
    for (int wd = 1; wd <= 5; ++wd) s.rules.push_back(rule(wd, range(hm(8), hm(19))));
    return s;
  }

  // The office plus chat on Wednesday 14:00–17:00 only (Municipio XII's chat afternoons).
  static ScheduleSpec officeWithChat() {
    ScheduleSpec s = office();
    s.rules.push_back(rule(3, range(hm(14), hm(17)), kChat));
    return s;
  }

  // Every day of the week the same hours.
  static ScheduleSpec daily(MinuteRange r) {
    ScheduleSpec s = emptySpec();
    for (int wd = 1; wd <= 7; ++wd) s.rules.push_back(rule(wd, r));
    return s;
  }

  // A single rule on one weekday.
  static ScheduleSpec only(int weekday, MinuteRange r) {
    ScheduleSpec s = emptySpec();
    s.rules.push_back(rule(weekday, r));
    return s;
  }
};

// ---------------------------------------------------------------- weekly hours

TEST_F(ScheduleTest, OpenDuringWeeklyHoursUntilClosingTime) {
  // Monday 2026-11-23 10:00 CET.
  const OpenStatus st = statusAt(office(), kGeneral, sys_days{2026_y / November / 23} + 9h);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / November / 23} + 18h);  // 19:00 CET
  EXPECT_EQ(st.nextOpensAt, std::nullopt);
  EXPECT_EQ(st.validUntil, sys_days{2026_y / November / 23} + 18h);
}

TEST_F(ScheduleTest, ClosedBeforeOpeningUntilNextOpening) {
  // Monday 07:59 CET.
  const OpenStatus st = statusAt(office(), kGeneral, sys_days{2026_y / November / 23} + 6h + 59min);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.closesAt, std::nullopt);
  EXPECT_EQ(st.nextOpensAt, sys_days{2026_y / November / 23} + 7h);
  EXPECT_EQ(st.validUntil, sys_days{2026_y / November / 23} + 7h);
}

TEST_F(ScheduleTest, IntervalsAreHalfOpen) {
  const ScheduleSpec spec = office();
  const OpenStatus atStart = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 7h);
  EXPECT_TRUE(atStart.open);
  EXPECT_EQ(atStart.closesAt, sys_days{2026_y / November / 23} + 18h);

  const OpenStatus atEnd = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 18h);
  EXPECT_FALSE(atEnd.open);
  EXPECT_EQ(atEnd.nextOpensAt, sys_days{2026_y / November / 24} + 7h);  // Tuesday 08:00

  const OpenStatus lastSecond =
      statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 18h - 1s);
  EXPECT_TRUE(lastSecond.open);
}

TEST_F(ScheduleTest, ClosedAtTheWeekendUntilMonday) {
  const ScheduleSpec spec = office();
  // Friday 2026-11-27 19:30 CET.
  const OpenStatus friday =
      statusAt(spec, kGeneral, sys_days{2026_y / November / 27} + 18h + 30min);
  EXPECT_FALSE(friday.open);
  EXPECT_EQ(friday.nextOpensAt, sys_days{2026_y / November / 30} + 7h);
  // Saturday noon, Sunday 23:00.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / November / 28} + 11h).nextOpensAt,
            sys_days{2026_y / November / 30} + 7h);
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / November / 29} + 22h).nextOpensAt,
            sys_days{2026_y / November / 30} + 7h);
}

TEST_F(ScheduleTest, SplitHoursLunchBreak) {
  ScheduleSpec spec = emptySpec();
  spec.rules.push_back(rule(1, range(hm(14, 30), hm(17))));  // order of rules does not matter
  spec.rules.push_back(rule(1, range(hm(8, 30), hm(12, 30))));
  // Monday 13:00 CET: lunch break.
  const OpenStatus lunch = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 12h);
  EXPECT_FALSE(lunch.open);
  EXPECT_EQ(lunch.nextOpensAt, sys_days{2026_y / November / 23} + 13h + 30min);
  // Monday 09:00 CET: open until 12:30.
  const OpenStatus morning = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 8h);
  EXPECT_TRUE(morning.open);
  EXPECT_EQ(morning.closesAt, sys_days{2026_y / November / 23} + 11h + 30min);

  EXPECT_EQ(
      intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 23},
                       sys_days{2026_y / November / 24}),
      (std::vector<Interval>{
          {sys_days{2026_y / November / 23} + 7h + 30min,
           sys_days{2026_y / November / 23} + 11h + 30min},
          {sys_days{2026_y / November / 23} + 13h + 30min, sys_days{2026_y / November / 23} + 16h},
      }));
}

TEST_F(ScheduleTest, WinterAndSummerUtcOffsets) {
  const ScheduleSpec spec = office();
  // 08:00 local is 07:00Z in November (CET)…
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 23},
                             sys_days{2026_y / November / 24}),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 23} + 7h, sys_days{2026_y / November / 23} + 18h}}));
  // …and 06:00Z in July (CEST).
  EXPECT_EQ(
      intervalsBetween(spec, kGeneral, sys_days{2026_y / July / 6}, sys_days{2026_y / July / 7}),
      (std::vector<Interval>{
          {sys_days{2026_y / July / 6} + 6h, sys_days{2026_y / July / 6} + 17h}}));
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / July / 6} + 5h).nextOpensAt,
            sys_days{2026_y / July / 6} + 6h);
}

TEST_F(ScheduleTest, IntervalsForAWholeWeek) {
  const std::vector<Interval> week = intervalsBetween(
      office(), kGeneral, sys_days{2026_y / November / 23}, sys_days{2026_y / November / 30});
  ASSERT_EQ(week.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    const sys_days day = sys_days{2026_y / November / 23} + days{i};
    EXPECT_EQ(week[i], (Interval{day + 7h, day + 18h})) << "day " << i;
  }
}

// ---------------------------------------------------------------- intervalsBetween

TEST_F(ScheduleTest, IntervalsBetweenEmptyOrReversedWindow) {
  const ScheduleSpec spec = office();
  const Seconds t = sys_days{2026_y / November / 23} + 9h;
  EXPECT_TRUE(intervalsBetween(spec, kGeneral, t, t).empty());
  EXPECT_TRUE(intervalsBetween(spec, kGeneral, t + 1h, t).empty());
}

TEST_F(ScheduleTest, IntervalsBetweenReturnsOverlappingIntervalsUnclipped) {
  // Window 10:00–11:00 CET inside the 08:00–19:00 interval.
  EXPECT_EQ(intervalsBetween(office(), kGeneral, sys_days{2026_y / November / 23} + 9h,
                             sys_days{2026_y / November / 23} + 10h),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 23} + 7h, sys_days{2026_y / November / 23} + 18h}}));
  // A window that only touches the interval's end does not overlap it.
  EXPECT_TRUE(intervalsBetween(office(), kGeneral, sys_days{2026_y / November / 23} + 18h,
                               sys_days{2026_y / November / 23} + 20h)
                  .empty());
  // A window ending exactly at the opening does not overlap either.
  EXPECT_TRUE(intervalsBetween(office(), kGeneral, sys_days{2026_y / November / 23} + 5h,
                               sys_days{2026_y / November / 23} + 7h)
                  .empty());
}

TEST_F(ScheduleTest, TouchingAndOverlappingRulesAreMerged) {
  ScheduleSpec spec = emptySpec();
  spec.rules.push_back(rule(1, range(hm(8), hm(12))));
  spec.rules.push_back(rule(1, range(hm(12), hm(14))));  // touches
  spec.rules.push_back(rule(1, range(hm(13), hm(15))));  // overlaps
  spec.rules.push_back(rule(1, range(hm(16), hm(17))));  // separate
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 23},
                             sys_days{2026_y / November / 24}),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 23} + 7h, sys_days{2026_y / November / 23} + 14h},
                {sys_days{2026_y / November / 23} + 15h, sys_days{2026_y / November / 23} + 16h},
            }));
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 8h);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / November / 23} + 14h);
}

// ---------------------------------------------------------------- crossing midnight

TEST_F(ScheduleTest, IntervalCrossingMidnight) {
  const ScheduleSpec spec = only(5, range(hm(22), hm(2)));  // Friday 22:00–02:00
  // Friday 2026-11-27 23:00 CET.
  const OpenStatus friday = statusAt(spec, kGeneral, sys_days{2026_y / November / 27} + 22h);
  EXPECT_TRUE(friday.open);
  EXPECT_EQ(friday.closesAt, sys_days{2026_y / November / 28} + 1h);  // Saturday 02:00 CET
  // Saturday 01:30 CET: still open, by Friday's rule.
  const OpenStatus saturday = statusAt(spec, kGeneral, sys_days{2026_y / November / 28} + 30min);
  EXPECT_TRUE(saturday.open);
  EXPECT_EQ(saturday.closesAt, sys_days{2026_y / November / 28} + 1h);
  // Saturday 02:00 CET: closed until next Friday 22:00.
  const OpenStatus after = statusAt(spec, kGeneral, sys_days{2026_y / November / 28} + 1h);
  EXPECT_FALSE(after.open);
  EXPECT_EQ(after.nextOpensAt, sys_days{2026_y / December / 4} + 21h);
  // Friday 21:00 CET: opens at 22:00.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / November / 27} + 20h).nextOpensAt,
            sys_days{2026_y / November / 27} + 21h);
}

TEST_F(ScheduleTest, SundayNightWrapsIntoMonday) {
  const ScheduleSpec spec = only(7, range(hm(22), hm(2)));  // Sunday 22:00–02:00
  // Monday 2026-11-30 01:30 CET.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 30} + 30min);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / November / 30} + 1h);
  // A window on Monday morning sees Sunday's interval, unclipped.
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 30},
                             sys_days{2026_y / November / 30} + 12h),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 29} + 21h, sys_days{2026_y / November / 30} + 1h}}));
  // The week view lists the range on Sunday, where it starts; Monday has nothing of its own.
  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / November / 30);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_TRUE(week[0].closed);
  EXPECT_EQ(week[0].day, 2026_y / November / 30);
  // weekOf(2026-11-29) is the previous week, whose Sunday holds the range.
  const std::vector<DayHours> prev = weekOf(spec, kGeneral, 2026_y / November / 29);
  ASSERT_EQ(prev.size(), 7u);
  EXPECT_EQ(prev[6].ranges, (std::vector<MinuteRange>{{hm(22), hm(2)}}));
  EXPECT_FALSE(prev[6].closed);
}

TEST_F(ScheduleTest, TouchingAcrossMidnightMerges) {
  ScheduleSpec spec = emptySpec();
  spec.rules.push_back(rule(1, range(hm(20), 1440)));   // Monday 20:00–24:00
  spec.rules.push_back(rule(2, range(0, hm(3))));       // Tuesday 00:00–03:00
  spec.rules.push_back(rule(7, range(hm(22), hm(2))));  // Sunday 22:00–02:00
  spec.rules.push_back(rule(1, range(hm(2), hm(4))));   // Monday 02:00–04:00
  // Monday 21:00 CET: open until Tuesday 03:00 CET.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 20h);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / November / 24} + 2h);
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 23},
                             sys_days{2026_y / November / 24}),
            (std::vector<Interval>{
                // Sunday 22:00 → Monday 02:00, then Monday 02:00–04:00.
                {sys_days{2026_y / November / 22} + 21h, sys_days{2026_y / November / 23} + 3h},
                {sys_days{2026_y / November / 23} + 19h, sys_days{2026_y / November / 24} + 2h},
            }));
}

TEST_F(ScheduleTest, EndAtMidnightIsTheNextDayStart) {
  const ScheduleSpec spec = only(3, range(hm(18), 1440));  // Wednesday 18:00–24:00
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 25} + 20h);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / November / 25} + 23h);  // Thursday 00:00 CET
}

// ---------------------------------------------------------------- daylight saving time

TEST_F(ScheduleTest, SpringForwardDayIsShorter) {
  // 2026-03-29: at 02:00 CET clocks jump to 03:00 CEST (01:00Z).
  const ScheduleSpec spec = only(7, range(hm(1), hm(4)));
  const std::vector<Interval> iv = intervalsBetween(spec, kGeneral, sys_days{2026_y / March / 28},
                                                    sys_days{2026_y / March / 30});
  ASSERT_EQ(iv.size(), 1u);
  EXPECT_EQ(iv[0],
            (Interval{sys_days{2026_y / March / 29} + 0h, sys_days{2026_y / March / 29} + 2h}));
  EXPECT_EQ(iv[0].end - iv[0].start, 2h);
  // 01:30 CET: open until 04:00 CEST.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / March / 29} + 30min);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / March / 29} + 2h);
}

TEST_F(ScheduleTest, StartInTheSkippedHourMovesToTheTransition) {
  // 02:30 does not exist on 2026-03-29: the interval starts at the jump, 01:00Z.
  const ScheduleSpec spec = only(7, range(hm(2, 30), hm(5)));
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / March / 28},
                             sys_days{2026_y / March / 30}),
            (std::vector<Interval>{
                {sys_days{2026_y / March / 29} + 1h, sys_days{2026_y / March / 29} + 3h}}));
  // Just before the jump (01:59:59 CET) it is closed and opens at the jump.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / March / 29} + 1h - 1s);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.nextOpensAt, sys_days{2026_y / March / 29} + 1h);
}

TEST_F(ScheduleTest, EndInTheSkippedHourMovesToTheTransition) {
  const ScheduleSpec ends = only(7, range(hm(1), hm(2, 30)));
  EXPECT_EQ(intervalsBetween(ends, kGeneral, sys_days{2026_y / March / 28},
                             sys_days{2026_y / March / 30}),
            (std::vector<Interval>{
                {sys_days{2026_y / March / 29} + 0h, sys_days{2026_y / March / 29} + 1h}}));
  // A range wholly inside the skipped hour never happens.
  const ScheduleSpec inside = only(7, range(hm(2), hm(2, 45)));
  EXPECT_TRUE(intervalsBetween(inside, kGeneral, sys_days{2026_y / March / 28},
                               sys_days{2026_y / March / 30})
                  .empty());
  // …but the same rule works on other Sundays (2026-03-22, CET: 01:00Z–01:45Z).
  EXPECT_EQ(intervalsBetween(inside, kGeneral, sys_days{2026_y / March / 22},
                             sys_days{2026_y / March / 23}),
            (std::vector<Interval>{
                {sys_days{2026_y / March / 22} + 1h, sys_days{2026_y / March / 22} + 1h + 45min}}));
}

TEST_F(ScheduleTest, FallBackDayIsLonger) {
  // 2026-10-25: at 03:00 CEST clocks go back to 02:00 CET (01:00Z).
  const ScheduleSpec spec = only(7, range(hm(1), hm(4)));
  const std::vector<Interval> iv = intervalsBetween(spec, kGeneral, sys_days{2026_y / October / 24},
                                                    sys_days{2026_y / October / 26});
  ASSERT_EQ(iv.size(), 1u);
  EXPECT_EQ(iv[0], (Interval{sys_days{2026_y / October / 24} + 23h,
                             sys_days{2026_y / October / 25} + 3h}));
  EXPECT_EQ(iv[0].end - iv[0].start, 4h);
}

TEST_F(ScheduleTest, RepeatedHourStartsEarliestEndsLatest) {
  // 02:30 happens twice on 2026-10-25: 00:30Z (CEST) and 01:30Z (CET).
  const ScheduleSpec starts = only(7, range(hm(2, 30), hm(5)));
  EXPECT_EQ(intervalsBetween(starts, kGeneral, sys_days{2026_y / October / 24},
                             sys_days{2026_y / October / 26}),
            (std::vector<Interval>{
                {sys_days{2026_y / October / 25} + 30min, sys_days{2026_y / October / 25} + 4h}}));
  const ScheduleSpec ends = only(7, range(hm(1), hm(2, 30)));
  EXPECT_EQ(intervalsBetween(ends, kGeneral, sys_days{2026_y / October / 24},
                             sys_days{2026_y / October / 26}),
            (std::vector<Interval>{{sys_days{2026_y / October / 24} + 23h,
                                    sys_days{2026_y / October / 25} + 1h + 30min}}));
  // 02:15 CET (the second time round, 01:15Z): still open until the later 02:30.
  const OpenStatus st = statusAt(ends, kGeneral, sys_days{2026_y / October / 25} + 1h + 15min);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / October / 25} + 1h + 30min);
}

TEST_F(ScheduleTest, WeekAcrossSpringForward) {
  const ScheduleSpec spec = daily(range(hm(9), hm(12)));
  // The local week view does not change with DST.
  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / March / 26);
  ASSERT_EQ(week.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(week[i].day, year_month_day{sys_days{2026_y / March / 23} + days{i}});
    EXPECT_EQ(week[i].weekday, i + 1);
    EXPECT_FALSE(week[i].closed);
    EXPECT_EQ(week[i].ranges, (std::vector<MinuteRange>{{hm(9), hm(12)}}));
  }
  // The instants do: Saturday in CET, Sunday in CEST.
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / March / 28},
                             sys_days{2026_y / March / 30}),
            (std::vector<Interval>{
                {sys_days{2026_y / March / 28} + 8h, sys_days{2026_y / March / 28} + 11h},
                {sys_days{2026_y / March / 29} + 7h, sys_days{2026_y / March / 29} + 10h},
            }));
  // Saturday 13:00 CET: next opening Sunday 09:00 CEST.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / March / 28} + 12h).nextOpensAt,
            sys_days{2026_y / March / 29} + 7h);
  // The office: Friday 27 in CET, Monday 30 in CEST.
  const OpenStatus weekend = statusAt(office(), kGeneral, sys_days{2026_y / March / 28} + 20h);
  EXPECT_FALSE(weekend.open);
  EXPECT_EQ(weekend.nextOpensAt, sys_days{2026_y / March / 30} + 6h);
  const std::vector<DayHours> officeWeek = weekOf(office(), kGeneral, 2026_y / March / 29);
  ASSERT_EQ(officeWeek.size(), 7u);
  EXPECT_EQ(officeWeek[4].ranges, (std::vector<MinuteRange>{{hm(8), hm(19)}}));
  EXPECT_TRUE(officeWeek[5].closed);
  EXPECT_TRUE(officeWeek[6].closed);
}

TEST_F(ScheduleTest, WeekAcrossFallBack) {
  const ScheduleSpec spec = daily(range(hm(9), hm(12)));
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / October / 24},
                             sys_days{2026_y / October / 26}),
            (std::vector<Interval>{
                {sys_days{2026_y / October / 24} + 7h, sys_days{2026_y / October / 24} + 10h},
                {sys_days{2026_y / October / 25} + 8h, sys_days{2026_y / October / 25} + 11h},
            }));
  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / October / 25);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_EQ(week[0].day, 2026_y / October / 19);
  EXPECT_EQ(week[6].day, 2026_y / October / 25);
  EXPECT_EQ(week[6].ranges, (std::vector<MinuteRange>{{hm(9), hm(12)}}));
}

// ---------------------------------------------------------------- dated exceptions

TEST_F(ScheduleTest, ClosureException) {
  ScheduleSpec spec = office();
  spec.exceptions.push_back(closure(2026_y / November / 25, "Chiusura per inventario"));
  // Wednesday 10:00 CET: closed until Thursday 08:00.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 25} + 9h);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.nextOpensAt, sys_days{2026_y / November / 26} + 7h);
  // Tuesday evening already looks past Wednesday.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / November / 24} + 18h + 30min).nextOpensAt,
            sys_days{2026_y / November / 26} + 7h);

  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / November / 25);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_TRUE(week[2].exception);
  EXPECT_TRUE(week[2].closed);
  EXPECT_TRUE(week[2].ranges.empty());
  EXPECT_EQ(week[2].note, "Chiusura per inventario");
  EXPECT_FALSE(week[1].exception);
  EXPECT_EQ(week[1].note, "");
}

TEST_F(ScheduleTest, ExtendedThursdayException) {
  ScheduleSpec spec = office();
  spec.exceptions.push_back(
      openOn(2026_y / November / 26, {range(hm(8), hm(21))}, "Apertura straordinaria"));
  // Thursday 20:00 CET: open until 21:00.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 26} + 19h);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / November / 26} + 20h);
  // The ordinary Thursday after is back to 19:00.
  EXPECT_FALSE(statusAt(spec, kGeneral, sys_days{2026_y / December / 3} + 19h).open);

  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / November / 26);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_TRUE(week[3].exception);
  EXPECT_FALSE(week[3].closed);
  EXPECT_EQ(week[3].ranges, (std::vector<MinuteRange>{{hm(8), hm(21)}}));
  EXPECT_EQ(week[3].note, "Apertura straordinaria");
}

TEST_F(ScheduleTest, ExceptionOpensAWeekendDay) {
  ScheduleSpec spec = office();
  spec.exceptions.push_back(openOn(2026_y / November / 28, {range(hm(9), hm(12))}));
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 28},
                             sys_days{2026_y / November / 29}),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 28} + 8h, sys_days{2026_y / November / 28} + 11h}}));
  // Friday evening: the next opening is the special Saturday.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / November / 27} + 20h).nextOpensAt,
            sys_days{2026_y / November / 28} + 8h);
}

TEST_F(ScheduleTest, SeveralExceptionsOnOneDayAddUp) {
  ScheduleSpec spec = office();
  spec.exceptions.push_back(openOn(2026_y / November / 26, {range(hm(15), hm(16))}, "pomeriggio"));
  spec.exceptions.push_back(openOn(2026_y / November / 26, {range(hm(8), hm(10))}, "mattina"));
  EXPECT_EQ(intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 26},
                             sys_days{2026_y / November / 27}),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 26} + 7h, sys_days{2026_y / November / 26} + 9h},
                {sys_days{2026_y / November / 26} + 14h, sys_days{2026_y / November / 26} + 15h},
            }));
  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / November / 26);
  EXPECT_EQ(week[3].ranges, (std::vector<MinuteRange>{{hm(8), hm(10)}, {hm(15), hm(16)}}));
  EXPECT_EQ(week[3].note, "pomeriggio; mattina");
}

TEST_F(ScheduleTest, ExceptionsWinOverHolidays) {
  // 2026-12-08 (Tuesday) is the Immacolata: closed…
  ScheduleSpec spec = office();
  const OpenStatus holiday = statusAt(spec, kGeneral, sys_days{2026_y / December / 8} + 9h);
  EXPECT_FALSE(holiday.open);
  EXPECT_EQ(holiday.nextOpensAt, sys_days{2026_y / December / 9} + 7h);
  // …unless an exception opens it.
  spec.exceptions.push_back(openOn(2026_y / December / 8, {range(hm(9), hm(12))}, "Elezioni"));
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / December / 8} + 9h);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / December / 8} + 11h);
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / December / 7} + 20h).nextOpensAt,
            sys_days{2026_y / December / 8} + 8h);

  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / December / 8);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_EQ(week[1].holiday, "Immacolata Concezione");
  EXPECT_TRUE(week[1].exception);
  EXPECT_FALSE(week[1].closed);
  EXPECT_EQ(week[1].ranges, (std::vector<MinuteRange>{{hm(9), hm(12)}}));
  EXPECT_EQ(week[1].note, "Elezioni");
}

TEST_F(ScheduleTest, ExceptionOnAnotherDayDoesNotLeak) {
  ScheduleSpec spec = office();
  spec.exceptions.push_back(closure(2027_y / November / 25));  // a year later
  EXPECT_TRUE(statusAt(spec, kGeneral, sys_days{2026_y / November / 25} + 9h).open);
}

// ---------------------------------------------------------------- holidays

TEST_F(ScheduleTest, EasterSunday) {
  EXPECT_EQ(easterSunday(2024), 2024_y / March / 31);
  EXPECT_EQ(easterSunday(2025), 2025_y / April / 20);
  EXPECT_EQ(easterSunday(2026), 2026_y / April / 5);
  EXPECT_EQ(easterSunday(2027), 2027_y / March / 28);
  EXPECT_EQ(easterSunday(2019), 2019_y / April / 21);
  EXPECT_EQ(easterSunday(2000), 2000_y / April / 23);
  EXPECT_EQ(easterSunday(2011), 2011_y / April / 24);
  EXPECT_EQ(easterSunday(2038), 2038_y / April / 25);  // the latest possible date
  EXPECT_EQ(easterSunday(1818), 1818_y / March / 22);  // the earliest possible date
  EXPECT_EQ(easterSunday(2285), 2285_y / March / 22);
  EXPECT_EQ(easterSunday(1943), 1943_y / April / 25);
}

TEST_F(ScheduleTest, EasterMondayAndEaster) {
  EXPECT_EQ(italianHoliday(2024_y / April / 1), "Lunedì dell'Angelo");
  EXPECT_EQ(italianHoliday(2025_y / April / 21), "Lunedì dell'Angelo");
  EXPECT_EQ(italianHoliday(2026_y / April / 6), "Lunedì dell'Angelo");
  EXPECT_EQ(italianHoliday(2026_y / April / 5), "Pasqua");
  EXPECT_EQ(italianHoliday(2024_y / March / 31), "Pasqua");
  EXPECT_EQ(italianHoliday(2026_y / April / 7), "");
  EXPECT_EQ(italianHoliday(2025_y / April / 22), "");
  EXPECT_EQ(italianHoliday(2026_y / April / 13), "");
}

TEST_F(ScheduleTest, FixedNationalHolidays) {
  EXPECT_EQ(italianHoliday(2026_y / January / 1), "Capodanno");
  EXPECT_EQ(italianHoliday(2026_y / January / 6), "Epifania");
  EXPECT_EQ(italianHoliday(2026_y / April / 25), "Festa della Liberazione");
  EXPECT_EQ(italianHoliday(2026_y / May / 1), "Festa del Lavoro");
  EXPECT_EQ(italianHoliday(2026_y / June / 2), "Festa della Repubblica");
  EXPECT_EQ(italianHoliday(2026_y / August / 15), "Ferragosto");
  EXPECT_EQ(italianHoliday(2026_y / November / 1), "Ognissanti");
  EXPECT_EQ(italianHoliday(2026_y / December / 8), "Immacolata Concezione");
  EXPECT_EQ(italianHoliday(2026_y / December / 25), "Natale");
  EXPECT_EQ(italianHoliday(2026_y / December / 26), "Santo Stefano");
  // Not national holidays.
  EXPECT_EQ(italianHoliday(2026_y / December / 24), "");
  EXPECT_EQ(italianHoliday(2026_y / December / 31), "");
  EXPECT_EQ(italianHoliday(2026_y / November / 2), "");
  EXPECT_EQ(italianHoliday(2026_y / June / 29), "");
  EXPECT_EQ(italianHoliday(2026_y / January / 7), "");
  // Easter Monday on 25 April (2011): the civil holiday gives the name.
  EXPECT_EQ(italianHoliday(2011_y / April / 25), "Festa della Liberazione");
  EXPECT_EQ(italianHoliday(year_month_day{2026_y / February / 30}), "");
}

TEST_F(ScheduleTest, SaintFrancisOnlyFrom2026) {
  EXPECT_EQ(italianHoliday(2024_y / October / 4), "");
  EXPECT_EQ(italianHoliday(2025_y / October / 4), "");
  EXPECT_EQ(italianHoliday(2026_y / October / 4), "San Francesco d'Assisi");
  EXPECT_EQ(italianHoliday(2027_y / October / 4), "San Francesco d'Assisi");
  EXPECT_EQ(italianHoliday(2027_y / October / 5), "");
  const ScheduleSpec spec = office();
  // Friday 2024-10-04 10:00 CEST: an ordinary working day.
  EXPECT_TRUE(statusAt(spec, kGeneral, sys_days{2024_y / October / 4} + 8h).open);
  // Monday 2027-10-04 10:00 CEST: closed until Tuesday 08:00 CEST.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2027_y / October / 4} + 8h);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.nextOpensAt, sys_days{2027_y / October / 5} + 6h);
}

TEST_F(ScheduleTest, EasterMondayClosesTheOffice) {
  const ScheduleSpec spec = office();
  // 10:00 CEST on Easter Monday, each year.
  const OpenStatus y2024 = statusAt(spec, kGeneral, sys_days{2024_y / April / 1} + 8h);
  EXPECT_FALSE(y2024.open);
  EXPECT_EQ(y2024.nextOpensAt, sys_days{2024_y / April / 2} + 6h);
  const OpenStatus y2025 = statusAt(spec, kGeneral, sys_days{2025_y / April / 21} + 8h);
  EXPECT_FALSE(y2025.open);
  EXPECT_EQ(y2025.nextOpensAt, sys_days{2025_y / April / 22} + 6h);
  const OpenStatus y2026 = statusAt(spec, kGeneral, sys_days{2026_y / April / 6} + 8h);
  EXPECT_FALSE(y2026.open);
  EXPECT_EQ(y2026.nextOpensAt, sys_days{2026_y / April / 7} + 6h);
  // Friday 2026-04-03 19:30 CEST: the weekend and Easter Monday are skipped.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / April / 3} + 17h + 30min).nextOpensAt,
            sys_days{2026_y / April / 7} + 6h);
}

TEST_F(ScheduleTest, PatronSaintDay) {
  ScheduleSpec spec = office();
  spec.patronDay = September / 29;
  spec.patronName = "San Michele Arcangelo";
  EXPECT_EQ(holidayName(spec, 2026_y / September / 29), "San Michele Arcangelo");
  EXPECT_EQ(holidayName(spec, 2027_y / September / 29), "San Michele Arcangelo");
  EXPECT_EQ(holidayName(spec, 2026_y / September / 28), "");
  // Tuesday 2026-09-29 10:00 CEST: closed until Wednesday 08:00 CEST.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / September / 29} + 8h);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.nextOpensAt, sys_days{2026_y / September / 30} + 6h);
  // Without a name the day still closes, with a generic one.
  spec.patronName.clear();
  EXPECT_EQ(holidayName(spec, 2026_y / September / 29), "Festa del santo patrono");
  EXPECT_FALSE(statusAt(spec, kGeneral, sys_days{2026_y / September / 29} + 8h).open);
  // The week view shows it.
  spec.patronName = "San Michele Arcangelo";
  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / September / 29);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_EQ(week[1].holiday, "San Michele Arcangelo");
  EXPECT_TRUE(week[1].closed);
  EXPECT_FALSE(week[1].exception);
  EXPECT_EQ(week[2].holiday, "");
}

TEST_F(ScheduleTest, NationalNameWinsOverPatronOnTheSameDay) {
  ScheduleSpec spec = emptySpec();
  spec.patronDay = October / 4;
  spec.patronName = "San Francesco, patrono di Assisi";
  EXPECT_EQ(holidayName(spec, 2025_y / October / 4), "San Francesco, patrono di Assisi");
  EXPECT_EQ(holidayName(spec, 2026_y / October / 4), "San Francesco d'Assisi");
  EXPECT_EQ(holidayName(spec, 2026_y / December / 25), "Natale");
}

TEST_F(ScheduleTest, ExtraHoliday) {
  ScheduleSpec spec = office();
  spec.extraHolidays.push_back(Holiday{2026_y / November / 27, "Fiera di Santa Caterina"});
  spec.extraHolidays.push_back(Holiday{2026_y / November / 24, ""});
  EXPECT_EQ(holidayName(spec, 2026_y / November / 27), "Fiera di Santa Caterina");
  EXPECT_EQ(holidayName(spec, 2027_y / November / 27), "");  // dated: that year only
  EXPECT_EQ(holidayName(spec, 2026_y / November / 24), "Festività locale");
  // Thursday 19:30 CET: Friday is the local holiday, so next opening is Monday.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 26} + 18h + 30min);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.nextOpensAt, sys_days{2026_y / November / 30} + 7h);
}

TEST_F(ScheduleTest, HolidayNamesInTheWeekView) {
  const std::vector<DayHours> christmas = weekOf(office(), kGeneral, 2026_y / December / 24);
  ASSERT_EQ(christmas.size(), 7u);
  EXPECT_EQ(christmas[0].day, 2026_y / December / 21);
  EXPECT_EQ(christmas[3].holiday, "");  // Christmas Eve is a working day
  EXPECT_FALSE(christmas[3].closed);
  EXPECT_EQ(christmas[4].holiday, "Natale");
  EXPECT_TRUE(christmas[4].closed);
  EXPECT_TRUE(christmas[4].ranges.empty());
  EXPECT_EQ(christmas[5].holiday, "Santo Stefano");
  // The week of New Year's Eve spans two years.
  const std::vector<DayHours> newYear = weekOf(office(), kGeneral, 2026_y / December / 31);
  ASSERT_EQ(newYear.size(), 7u);
  EXPECT_EQ(newYear[0].day, 2026_y / December / 28);
  EXPECT_EQ(newYear[4].day, 2027_y / January / 1);
  EXPECT_EQ(newYear[4].holiday, "Capodanno");
  EXPECT_TRUE(newYear[4].closed);
  EXPECT_EQ(newYear[6].day, 2027_y / January / 3);
}

// ---------------------------------------------------------------- channels

TEST_F(ScheduleTest, ChatHasItsOwnHours) {
  const ScheduleSpec spec = officeWithChat();
  // Monday 2026-11-23 10:00 CET: the office is open, chat is not (until Wednesday 14:00).
  const OpenStatus chatMonday = statusAt(spec, kChat, sys_days{2026_y / November / 23} + 9h);
  EXPECT_FALSE(chatMonday.open);
  EXPECT_EQ(chatMonday.nextOpensAt, sys_days{2026_y / November / 25} + 13h);
  EXPECT_EQ(chatMonday.validUntil, sys_days{2026_y / November / 25} + 13h);
  // Wednesday 15:00 CET: chat open until 17:00.
  const OpenStatus chatWednesday = statusAt(spec, kChat, sys_days{2026_y / November / 25} + 14h);
  EXPECT_TRUE(chatWednesday.open);
  EXPECT_EQ(chatWednesday.closesAt, sys_days{2026_y / November / 25} + 16h);
  // Wednesday 17:30 CET: chat closed until the next Wednesday, the office still open.
  EXPECT_EQ(statusAt(spec, kChat, sys_days{2026_y / November / 25} + 16h + 30min).nextOpensAt,
            sys_days{2026_y / December / 2} + 13h);
  EXPECT_TRUE(statusAt(spec, kGeneral, sys_days{2026_y / November / 25} + 16h + 30min).open);
}

TEST_F(ScheduleTest, ChannelWithoutOwnRulesFollowsGeneralHours) {
  const ScheduleSpec spec = officeWithChat();
  const OpenStatus video = statusAt(spec, kVideo, sys_days{2026_y / November / 23} + 9h);
  EXPECT_TRUE(video.open);
  EXPECT_EQ(video.closesAt, sys_days{2026_y / November / 23} + 18h);
  const OpenStatus general = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 9h);
  EXPECT_TRUE(general.open);
  EXPECT_EQ(general.closesAt, sys_days{2026_y / November / 23} + 18h);
  EXPECT_EQ(intervalsBetween(spec, kVideo, sys_days{2026_y / November / 23},
                             sys_days{2026_y / November / 30}),
            intervalsBetween(spec, kGeneral, sys_days{2026_y / November / 23},
                             sys_days{2026_y / November / 30}));
}

TEST_F(ScheduleTest, ChannelIntervalsForAWeek) {
  EXPECT_EQ(intervalsBetween(officeWithChat(), kChat, sys_days{2026_y / November / 23},
                             sys_days{2026_y / November / 30}),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 25} + 13h, sys_days{2026_y / November / 25} + 16h}}));
}

TEST_F(ScheduleTest, ChannelException) {
  ScheduleSpec spec = officeWithChat();
  spec.exceptions.push_back(closure(2026_y / November / 25, "Operatore assente", kChat));
  spec.exceptions.push_back(openOn(2026_y / November / 26, {range(hm(10), hm(12))}, "", kChat));
  // Wednesday 15:00 CET: chat closed by its exception, the office open.
  const OpenStatus chat = statusAt(spec, kChat, sys_days{2026_y / November / 25} + 14h);
  EXPECT_FALSE(chat.open);
  EXPECT_EQ(chat.nextOpensAt, sys_days{2026_y / November / 26} + 9h);  // the special Thursday
  EXPECT_TRUE(statusAt(spec, kGeneral, sys_days{2026_y / November / 25} + 14h).open);
  EXPECT_TRUE(statusAt(spec, kVideo, sys_days{2026_y / November / 25} + 14h).open);
  EXPECT_EQ(intervalsBetween(spec, kChat, sys_days{2026_y / November / 23},
                             sys_days{2026_y / December / 7}),
            (std::vector<Interval>{
                {sys_days{2026_y / November / 26} + 9h, sys_days{2026_y / November / 26} + 11h},
                {sys_days{2026_y / December / 2} + 13h, sys_days{2026_y / December / 2} + 16h},
            }));
}

TEST_F(ScheduleTest, ExceptionForAChannelThatFollowsGeneralHours) {
  ScheduleSpec spec = officeWithChat();
  spec.exceptions.push_back(closure(2026_y / November / 24, "", kVideo));
  // Tuesday 10:00 CET: video closed until Wednesday 08:00, the office open.
  const OpenStatus video = statusAt(spec, kVideo, sys_days{2026_y / November / 24} + 9h);
  EXPECT_FALSE(video.open);
  EXPECT_EQ(video.nextOpensAt, sys_days{2026_y / November / 25} + 7h);
  EXPECT_TRUE(statusAt(spec, kGeneral, sys_days{2026_y / November / 24} + 9h).open);
  EXPECT_TRUE(statusAt(spec, "phone", sys_days{2026_y / November / 24} + 9h).open);
  const std::vector<DayHours> videoWeek = weekOf(spec, kVideo, 2026_y / November / 24);
  EXPECT_TRUE(videoWeek[1].exception);
  EXPECT_TRUE(videoWeek[1].closed);
  const std::vector<DayHours> generalWeek = weekOf(spec, kGeneral, 2026_y / November / 24);
  EXPECT_FALSE(generalWeek[1].exception);
  EXPECT_FALSE(generalWeek[1].closed);
}

TEST_F(ScheduleTest, GeneralClosureClosesEveryChannel) {
  ScheduleSpec spec = officeWithChat();
  spec.exceptions.push_back(closure(2026_y / November / 25, "Sciopero"));
  const Seconds wednesday3pm = sys_days{2026_y / November / 25} + 14h;
  EXPECT_FALSE(statusAt(spec, kGeneral, wednesday3pm).open);
  EXPECT_FALSE(statusAt(spec, kVideo, wednesday3pm).open);
  const OpenStatus chat = statusAt(spec, kChat, wednesday3pm);
  EXPECT_FALSE(chat.open);
  EXPECT_EQ(chat.nextOpensAt, sys_days{2026_y / December / 2} + 13h);
  const std::vector<DayHours> chatWeek = weekOf(spec, kChat, 2026_y / November / 25);
  EXPECT_TRUE(chatWeek[2].exception);
  EXPECT_TRUE(chatWeek[2].closed);
  EXPECT_EQ(chatWeek[2].note, "Sciopero");
}

TEST_F(ScheduleTest, GeneralOpeningHoursDoNotOverrideAChannelsOwnRules) {
  ScheduleSpec spec = officeWithChat();
  spec.exceptions.push_back(openOn(2026_y / November / 26, {range(hm(8), hm(21))}));  // Thursday
  spec.exceptions.push_back(openOn(2026_y / November / 28, {range(hm(9), hm(12))}));  // Saturday
  // Thursday 20:00 CET: the office and video are open (extended hours), chat is not.
  const Seconds thursday8pm = sys_days{2026_y / November / 26} + 19h;
  EXPECT_TRUE(statusAt(spec, kGeneral, thursday8pm).open);
  EXPECT_TRUE(statusAt(spec, kVideo, thursday8pm).open);
  EXPECT_FALSE(statusAt(spec, kChat, thursday8pm).open);
  EXPECT_FALSE(statusAt(spec, kChat, sys_days{2026_y / November / 28} + 9h).open);
  EXPECT_TRUE(statusAt(spec, kVideo, sys_days{2026_y / November / 28} + 9h).open);
  // A chat exception on the same day wins over the general one.
  spec.exceptions.push_back(openOn(2026_y / November / 26, {range(hm(18), hm(20))}, "", kChat));
  const OpenStatus chat = statusAt(spec, kChat, thursday8pm - 1h);
  EXPECT_TRUE(chat.open);
  EXPECT_EQ(chat.closesAt, thursday8pm);
}

TEST_F(ScheduleTest, HolidaysCloseChannelsToo) {
  ScheduleSpec spec = officeWithChat();
  spec.extraHolidays.push_back(Holiday{2026_y / November / 25, "Festa locale"});
  EXPECT_FALSE(statusAt(spec, kChat, sys_days{2026_y / November / 25} + 14h).open);
  EXPECT_FALSE(statusAt(spec, kVideo, sys_days{2026_y / November / 25} + 9h).open);
}

TEST_F(ScheduleTest, ChannelWeekView) {
  ScheduleSpec spec = officeWithChat();
  std::vector<DayHours> week = weekOf(spec, kChat, 2026_y / November / 23);
  ASSERT_EQ(week.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    if (i == 2) continue;
    EXPECT_TRUE(week[i].closed) << "day " << i;
    EXPECT_FALSE(week[i].exception) << "day " << i;
  }
  EXPECT_FALSE(week[2].closed);
  EXPECT_EQ(week[2].ranges, (std::vector<MinuteRange>{{hm(14), hm(17)}}));

  spec.exceptions.push_back(
      openOn(2026_y / November / 25, {range(hm(15), hm(18))}, "Orario posticipato", kChat));
  week = weekOf(spec, kChat, 2026_y / November / 23);
  EXPECT_TRUE(week[2].exception);
  EXPECT_EQ(week[2].note, "Orario posticipato");
  EXPECT_EQ(week[2].ranges, (std::vector<MinuteRange>{{hm(15), hm(18)}}));
  // The general week is untouched by the chat exception.
  const std::vector<DayHours> general = weekOf(spec, kGeneral, 2026_y / November / 23);
  EXPECT_FALSE(general[2].exception);
  EXPECT_EQ(general[2].ranges, (std::vector<MinuteRange>{{hm(8), hm(19)}}));
}

TEST_F(ScheduleTest, ChannelsWithOwnHours) {
  EXPECT_TRUE(channelsWithOwnHours(office()).empty());
  EXPECT_EQ(channelsWithOwnHours(officeWithChat()), (std::vector<std::string>{"chat"}));
  ScheduleSpec spec = officeWithChat();
  spec.rules.push_back(rule(1, range(hm(9), hm(10)), "phone"));
  spec.rules.push_back(rule(4, range(hm(14), hm(17)), kChat));
  spec.exceptions.push_back(closure(2026_y / November / 24, "", kVideo));
  spec.exceptions.push_back(closure(2026_y / November / 25, "", kChat));
  spec.exceptions.push_back(closure(2026_y / November / 26));
  EXPECT_EQ(channelsWithOwnHours(spec), (std::vector<std::string>{"chat", "phone", "video"}));
}

// ---------------------------------------------------------------- weekOf

TEST_F(ScheduleTest, WeekOfStartsOnMonday) {
  for (unsigned d = 23; d <= 29; ++d) {
    const std::vector<DayHours> week = weekOf(office(), kGeneral, 2026_y / November / day{d});
    ASSERT_EQ(week.size(), 7u) << d;
    EXPECT_EQ(week[0].day, 2026_y / November / 23) << d;
    EXPECT_EQ(week[6].day, 2026_y / November / 29) << d;
  }
  const std::vector<DayHours> week = weekOf(office(), kGeneral, 2026_y / November / 29);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(week[i].weekday, i + 1);
    EXPECT_EQ(week[i].holiday, "");
    EXPECT_FALSE(week[i].exception);
    EXPECT_EQ(week[i].closed, i >= 5);
    if (i < 5) {
      EXPECT_EQ(week[i].ranges, (std::vector<MinuteRange>{{hm(8), hm(19)}}));
    }
  }
}

TEST_F(ScheduleTest, WeekOfSortsAndMergesRanges) {
  ScheduleSpec spec = emptySpec();
  spec.rules.push_back(rule(1, range(hm(22), hm(2))));
  spec.rules.push_back(rule(1, range(hm(14), hm(18))));
  spec.rules.push_back(rule(1, range(hm(8), hm(12))));
  spec.rules.push_back(rule(1, range(hm(11), hm(13))));
  spec.rules.push_back(rule(1, range(hm(14), hm(18))));  // duplicate
  const std::vector<DayHours> week = weekOf(spec, kGeneral, 2026_y / November / 23);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_EQ(week[0].ranges,
            (std::vector<MinuteRange>{{hm(8), hm(13)}, {hm(14), hm(18)}, {hm(22), hm(2)}}));
}

TEST_F(ScheduleTest, WeekOfInvalidDayIsEmpty) {
  EXPECT_TRUE(weekOf(office(), kGeneral, year_month_day{2026_y / February / 30}).empty());
}

// ---------------------------------------------------------------- statusAt horizon

TEST_F(ScheduleTest, NoHoursAtAll) {
  const Seconds now = sys_days{2026_y / November / 23} + 9h;
  const OpenStatus st = statusAt(emptySpec(), kGeneral, now);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.closesAt, std::nullopt);
  EXPECT_EQ(st.nextOpensAt, std::nullopt);
  EXPECT_EQ(st.validUntil, sys_days{2027_y / January / 22} + 9h);  // now + 60 days
  EXPECT_TRUE(intervalsBetween(emptySpec(), kGeneral, now, now + days{30}).empty());
}

TEST_F(ScheduleTest, NextOpeningLooksAheadSixtyDays) {
  const Seconds now = sys_days{2026_y / November / 23} + 9h;  // Monday 10:00 CET
  ScheduleSpec spec = emptySpec();
  // 58 days later, 10:00–11:00 CET.
  spec.exceptions.push_back(openOn(2027_y / January / 20, {range(hm(10), hm(11))}));
  EXPECT_EQ(statusAt(spec, kGeneral, now).nextOpensAt, sys_days{2027_y / January / 20} + 9h);

  // Exactly 60 days later: still within the look-ahead.
  spec.exceptions[0].day = 2027_y / January / 22;
  OpenStatus st = statusAt(spec, kGeneral, now);
  EXPECT_EQ(st.nextOpensAt, sys_days{2027_y / January / 22} + 9h);
  EXPECT_EQ(st.validUntil, sys_days{2027_y / January / 22} + 9h);

  // One minute too far.
  spec.exceptions[0].ranges[0].startMin = hm(10) + 1;  // 10:01
  st = statusAt(spec, kGeneral, now);
  EXPECT_EQ(st.nextOpensAt, std::nullopt);
  EXPECT_EQ(st.validUntil, sys_days{2027_y / January / 22} + 9h);
}

TEST_F(ScheduleTest, AlwaysOpenHasNoClosingTime) {
  const ScheduleSpec spec = daily(range(0, 1440));
  // Monday 2026-02-02 10:00 CET: no holiday in the next 60 days.
  const Seconds now = sys_days{2026_y / February / 2} + 9h;
  const OpenStatus st = statusAt(spec, kGeneral, now);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, std::nullopt);
  EXPECT_EQ(st.validUntil, sys_days{2026_y / April / 3} + 9h);  // now + 60 days
  // Across a DST change too (2025-10-26), and there was no 4 October holiday in 2025.
  const OpenStatus autumn = statusAt(spec, kGeneral, sys_days{2025_y / September / 1} + 8h);
  EXPECT_TRUE(autumn.open);
  EXPECT_EQ(autumn.closesAt, std::nullopt);
  EXPECT_EQ(autumn.validUntil, sys_days{2025_y / October / 31} + 8h);
  // Holidays still close a round-the-clock schedule: from Monday 2026-11-23 it runs until
  // the Immacolata (8 December 00:00 CET).
  const OpenStatus november = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 9h);
  EXPECT_TRUE(november.open);
  EXPECT_EQ(november.closesAt, sys_days{2026_y / December / 7} + 23h);
  // …and reopens at 9 December 00:00 CET.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / December / 8} + 9h).nextOpensAt,
            sys_days{2026_y / December / 8} + 23h);
}

TEST_F(ScheduleTest, LongOpenStretchClosesWhereItEnds) {
  ScheduleSpec spec = emptySpec();
  for (int wd = 1; wd <= 3; ++wd) spec.rules.push_back(rule(wd, range(0, 1440)));
  // Monday 10:00 CET: open until Thursday 00:00 CET.
  const OpenStatus st = statusAt(spec, kGeneral, sys_days{2026_y / November / 23} + 9h);
  EXPECT_TRUE(st.open);
  EXPECT_EQ(st.closesAt, sys_days{2026_y / November / 25} + 23h);
  EXPECT_EQ(st.validUntil, sys_days{2026_y / November / 25} + 23h);
  // Sunday 12:00 CET: opens Monday 00:00 CET.
  EXPECT_EQ(statusAt(spec, kGeneral, sys_days{2026_y / November / 29} + 11h).nextOpensAt,
            sys_days{2026_y / November / 29} + 23h);
}

TEST_F(ScheduleTest, MissingTimeZoneIsClosedNotACrash) {
  ScheduleSpec spec = office();
  spec.tz = nullptr;
  const Seconds now = sys_days{2026_y / November / 23} + 9h;
  const OpenStatus st = statusAt(spec, kGeneral, now);
  EXPECT_FALSE(st.open);
  EXPECT_EQ(st.nextOpensAt, std::nullopt);
  EXPECT_EQ(st.validUntil, now + days{60});
  EXPECT_TRUE(intervalsBetween(spec, kGeneral, now, now + days{7}).empty());
}

// statusAt must agree with intervalsBetween at every instant: walk 2026 in steps that land on
// every minute of the hour, through both DST changes, holidays and exceptions.
TEST_F(ScheduleTest, StatusAgreesWithIntervalsThroughoutAYear) {
  ScheduleSpec spec = officeWithChat();
  spec.rules.push_back(rule(2, range(hm(20), hm(1))));  // Tuesday evening line
  spec.rules.push_back(rule(7, range(hm(1), hm(4))));   // Sunday nights, through DST changes
  spec.rules.push_back(rule(7, range(hm(2, 30), hm(3, 30)), kChat));
  spec.rules.push_back(rule(6, range(hm(22), 1440), kChat));
  spec.exceptions.push_back(closure(2026_y / May / 13));
  spec.exceptions.push_back(openOn(2026_y / August / 15, {range(hm(9), hm(12))}));
  spec.exceptions.push_back(closure(2026_y / July / 1, "", kChat));
  spec.patronDay = June / 29;
  spec.patronName = "Santi Pietro e Paolo";
  const Seconds first = sys_days{2026_y / January / 1};
  const Seconds last = sys_days{2027_y / January / 1};
  for (const Channel& channel : {kGeneral, kChat, kVideo}) {
    const std::vector<Interval> all =
        intervalsBetween(spec, channel, first - days{2}, last + days{62});
    ASSERT_FALSE(all.empty());
    for (Seconds t = first; t < last; t += 53min) {
      const OpenStatus st = statusAt(spec, channel, t);
      const Seconds horizon = t + days{60};
      // The first interval that ends after t.
      const auto it = std::upper_bound(all.begin(), all.end(), t,
                                       [](Seconds v, const Interval& iv) { return v < iv.end; });
      ASSERT_NE(it, all.end());
      const bool open = it->start <= t;
      ASSERT_EQ(st.open, open) << (channel ? *channel : "general") << " at "
                               << date::format("%FT%TZ", t);
      if (open) {
        EXPECT_EQ(st.closesAt, it->end) << date::format("%FT%TZ", t);
        EXPECT_EQ(st.validUntil, it->end);
      } else {
        const std::optional<Seconds> next =
            it->start <= horizon ? std::optional<Seconds>(it->start) : std::nullopt;
        EXPECT_EQ(st.nextOpensAt, next) << date::format("%FT%TZ", t);
        EXPECT_EQ(st.validUntil, next.value_or(horizon));
      }
    }
  }
}

// ---------------------------------------------------------------- parseHm / formatHm

TEST(ScheduleHmTest, ParsesValidTimes) {
  const std::pair<const char*, int> cases[] = {
      {"08:30", 510},  {"8:30", 510},   {"00:00", 0},   {"0:00", 0},   {"00:01", 1},
      {"23:59", 1439}, {"24:00", 1440}, {"12:00", 720}, {"9:05", 545}, {"19:00", 1140},
  };
  for (const auto& [text, minutes] : cases) {
    const Result<int> r = parseHm(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r.value(), minutes) << text;
  }
}

TEST(ScheduleHmTest, RejectsEverythingElse) {
  for (const char* text :
       {"",       "8",      "08",    "830",   "0830",  "08:3",  "8:5",   "08:60",  "08:99", "24:01",
        "24:30",  "25:00",  "99:00", "-1:00", "-8:30", "+8:30", " 8:30", "08:30 ", "08.30", "08h30",
        "008:30", "08:300", "ab:cd", "08:3a", "0a:30", "1:2:3", ":30",   "08:",    "８:30"}) {
    const Result<int> r = parseHm(text);
    ASSERT_FALSE(r.ok()) << "'" << text << "'";
    EXPECT_EQ(r.error().code, Errc::kInvalid) << text;
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(ScheduleHmTest, FormatsTimes) {
  EXPECT_EQ(formatHm(0), "00:00");
  EXPECT_EQ(formatHm(1), "00:01");
  EXPECT_EQ(formatHm(510), "08:30");
  EXPECT_EQ(formatHm(545), "09:05");
  EXPECT_EQ(formatHm(1439), "23:59");
  EXPECT_EQ(formatHm(1440), "24:00");
  // Out of range values are clamped rather than printed as nonsense.
  EXPECT_EQ(formatHm(-5), "00:00");
  EXPECT_EQ(formatHm(2000), "24:00");
}

TEST(ScheduleHmTest, RoundTripsEveryMinute) {
  for (int m = 0; m <= 1440; ++m) {
    const Result<int> r = parseHm(formatHm(m));
    ASSERT_TRUE(r.ok()) << m;
    EXPECT_EQ(r.value(), m);
  }
}

// ---------------------------------------------------------------- validate

class ScheduleValidateTest : public ScheduleTest {
 protected:
  static void expectInvalid(const ScheduleSpec& spec, const std::string& field) {
    const Status s = validate(spec);
    ASSERT_FALSE(s.ok()) << field;
    EXPECT_EQ(s.error().code, Errc::kInvalid);
    EXPECT_EQ(s.error().field, field);
    EXPECT_FALSE(s.error().message.empty());
  }
};

TEST_F(ScheduleValidateTest, AcceptsAGoodSpec) {
  ScheduleSpec spec = officeWithChat();
  spec.rules.push_back(rule(7, range(hm(22), hm(2))));  // crosses midnight
  spec.rules.push_back(rule(6, range(0, 1440)));        // the whole day
  for (std::string_view c : kScheduleChannels) {
    spec.rules.push_back(rule(6, range(hm(9), hm(10)), std::string(c)));
  }
  spec.exceptions.push_back(closure(2026_y / November / 25, "Chiusura"));
  spec.exceptions.push_back(openOn(2026_y / November / 26, {range(hm(8), hm(21))}, "", kVideo));
  DatedException closedWithJunk = closure(2026_y / November / 27);
  closedWithJunk.ranges = {range(-3, 5000)};  // ignored when closed
  spec.exceptions.push_back(closedWithJunk);
  spec.extraHolidays.push_back(Holiday{2026_y / November / 27, "Fiera"});
  spec.patronDay = February / 29;
  spec.patronName = "San Romano";
  EXPECT_TRUE(validate(spec).ok());
  EXPECT_TRUE(validate(emptySpec()).ok());
}

TEST_F(ScheduleValidateTest, RequiresATimeZone) {
  ScheduleSpec spec = office();
  spec.tz = nullptr;
  expectInvalid(spec, "tz");
}

TEST_F(ScheduleValidateTest, RejectsBadWeekdays) {
  ScheduleSpec spec = office();
  spec.rules.push_back(rule(0, range(hm(8), hm(9))));
  expectInvalid(spec, "rules[5].weekday");
  spec.rules.back().weekday = 8;
  expectInvalid(spec, "rules[5].weekday");
}

TEST_F(ScheduleValidateTest, RejectsRangesOutOfBounds) {
  ScheduleSpec spec = office();
  spec.rules[2].range = range(hm(8), 1441);
  expectInvalid(spec, "rules[2].end");
  spec.rules[2].range = range(hm(8), 0);
  expectInvalid(spec, "rules[2].end");
  spec.rules[2].range = range(1440, hm(2));
  expectInvalid(spec, "rules[2].start");
  spec.rules[2].range = range(-1, hm(2));
  expectInvalid(spec, "rules[2].start");
  spec.rules[2].range = range(hm(9), hm(9));
  expectInvalid(spec, "rules[2].end");
  spec.rules[2].range = range(hm(9), hm(8));  // crossing midnight: fine
  EXPECT_TRUE(validate(spec).ok());
}

TEST_F(ScheduleValidateTest, RejectsBadExceptions) {
  ScheduleSpec spec = office();
  spec.exceptions.push_back(closure(2026_y / November / 25));
  spec.exceptions.push_back(openOn(2026_y / November / 26, {}));
  expectInvalid(spec, "exceptions[1].ranges");
  spec.exceptions[1].ranges = {range(hm(8), hm(12)), range(hm(14), hm(14))};
  expectInvalid(spec, "exceptions[1].ranges[1].end");
  spec.exceptions[1].ranges = {range(1500, hm(12))};
  expectInvalid(spec, "exceptions[1].ranges[0].start");
  spec.exceptions[1].ranges = {range(hm(8), hm(12))};
  EXPECT_TRUE(validate(spec).ok());
  spec.exceptions[1].day = year_month_day{2026_y / February / 30};
  expectInvalid(spec, "exceptions[1].day");
}

TEST_F(ScheduleValidateTest, RejectsUnknownChannels) {
  ScheduleSpec spec = office();
  spec.rules[0].channel = "fax";
  expectInvalid(spec, "rules[0].channel");
  spec.rules[0].channel = "";
  expectInvalid(spec, "rules[0].channel");
  spec.rules[0].channel = "Chat";  // channels are lower case
  expectInvalid(spec, "rules[0].channel");
  spec.rules[0].channel = "walk_in";
  EXPECT_TRUE(validate(spec).ok());
  spec.exceptions.push_back(closure(2026_y / November / 25, "", std::string("telegram")));
  expectInvalid(spec, "exceptions[0].channel");
}

TEST_F(ScheduleValidateTest, RejectsBadHolidayDates) {
  ScheduleSpec spec = office();
  spec.extraHolidays.push_back(Holiday{2026_y / November / 27, "Fiera"});
  spec.extraHolidays.push_back(Holiday{year_month_day{2026_y / April / 31}, "?"});
  expectInvalid(spec, "extraHolidays[1].day");
  spec.extraHolidays.pop_back();
  spec.patronDay = month_day{February / 30};
  expectInvalid(spec, "patronDay");
}

TEST_F(ScheduleValidateTest, MessagesAreItalian) {
  ScheduleSpec spec = office();
  spec.rules[2].range = range(hm(9), hm(9));
  const Status s = validate(spec);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("orario non valido"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace sportello::directory
