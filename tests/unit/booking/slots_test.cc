// Unit tests for the appointment slot model (src/booking/model/slots.h). Instants are written
// as UTC literals; the local times they stand for (Europe/Rome) are given in the comments.
#include "booking/model/slots.h"

#include <gtest/gtest.h>

#include <numeric>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

// Readable failure messages for instants: 2026-11-23T07:30:00Z instead of a byte dump.
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

namespace sportello::booking {

void PrintTo(const Slot& s, std::ostream* os) {
  *os << date::format("%F", date::sys_days{s.day}) << " " << s.start << " ["
      << date::format("%FT%TZ", s.startUtc) << ", " << date::format("%FT%TZ", s.endUtc) << ") free "
      << s.free << "/" << s.capacity;
}

namespace {

using namespace date;                  // NOLINT: calendar literals (2026_y/November/23)
using namespace std::chrono_literals;  // NOLINT: 24h, 30min
using directory::MinuteRange;

constexpr int hm(int h, int m = 0) {
  return h * 60 + m;
}

// "2026-11-23T07:30:00Z" → instant; fails the test on a malformed literal.
Seconds utc(const char* iso) {
  std::istringstream in{iso};
  Seconds t;
  in >> date::parse("%FT%TZ", t);
  EXPECT_FALSE(in.fail()) << iso;
  return t;
}

std::vector<std::string> starts(const std::vector<Slot>& slots) {
  std::vector<std::string> out;
  out.reserve(slots.size());
  for (const Slot& s : slots) out.push_back(s.start);
  return out;
}

class SlotsTest : public ::testing::Test {
 protected:
  // Monday to Friday 08:30–12:30, 30-minute slots, two counters, 24 h notice, 60 days ahead.
  static WorkingPlan plan() {
    WorkingPlan p;
    p.tz = date::locate_zone("Europe/Rome");
    for (int wd = 1; wd <= 5; ++wd) p.periods.push_back({wd, {hm(8, 30), hm(12, 30)}});
    p.slotMinutes = 30;
    p.capacity = 2;
    p.minNotice = 24h;
    p.maxDaysAhead = 60;
    return p;
  }

  // Far enough before the days under test that the window never cuts them.
  static Seconds longBefore(year_month_day day) { return sys_days{day} - days{2}; }

  static std::vector<Slot> slotsOf(const WorkingPlan& p, year_month_day day,
                                   const BookedCounts& booked = {}) {
    auto r = slotsBetween(p, day, day, longBefore(day), booked);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().field + ": " + r.error().message);
    return r.ok() ? r.value() : std::vector<Slot>{};
  }
};

// --- generation ---------------------------------------------------------------------------

TEST_F(SlotsTest, WeekdayHasBackToBackSlotsWithExactInstants) {
  const auto slots = slotsOf(plan(), 2026_y / November / 23);  // Monday, CET (UTC+1)
  ASSERT_EQ(slots.size(), 8u);
  EXPECT_EQ(starts(slots), (std::vector<std::string>{"08:30", "09:00", "09:30", "10:00", "10:30",
                                                     "11:00", "11:30", "12:00"}));
  EXPECT_EQ(slots[0].day, 2026_y / November / 23);
  EXPECT_EQ(slots[0].startMin, hm(8, 30));
  EXPECT_EQ(slots[0].startUtc, utc("2026-11-23T07:30:00Z"));
  EXPECT_EQ(slots[0].endUtc, utc("2026-11-23T08:00:00Z"));
  EXPECT_EQ(slots[7].startUtc, utc("2026-11-23T11:00:00Z"));  // 12:00
  EXPECT_EQ(slots[7].endUtc, utc("2026-11-23T11:30:00Z"));    // 12:30, the period's end
  for (const Slot& s : slots) {
    EXPECT_EQ(s.capacity, 2);
    EXPECT_EQ(s.free, 2);
  }
}

TEST_F(SlotsTest, SummerDayUsesSummerOffset) {
  const auto slots = slotsOf(plan(), 2026_y / June / 15);  // Monday, CEST (UTC+2)
  ASSERT_EQ(slots.size(), 8u);
  EXPECT_EQ(slots[0].startUtc, utc("2026-06-15T06:30:00Z"));
  EXPECT_EQ(slots[0].endUtc, utc("2026-06-15T07:00:00Z"));
}

TEST_F(SlotsTest, WeekendWithoutPeriodsHasNoSlots) {
  EXPECT_TRUE(slotsOf(plan(), 2026_y / November / 28).empty());  // Saturday
  EXPECT_TRUE(slotsOf(plan(), 2026_y / November / 29).empty());  // Sunday
}

TEST_F(SlotsTest, LastPartialSlotIsDropped) {
  WorkingPlan p = plan();
  p.periods = {{1, {hm(9), hm(10, 40)}}};
  const auto slots = slotsOf(p, 2026_y / November / 23);
  // 10:30–11:00 would end after 10:40.
  EXPECT_EQ(starts(slots), (std::vector<std::string>{"09:00", "09:30", "10:00"}));
  EXPECT_EQ(slots.back().endUtc, utc("2026-11-23T09:30:00Z"));  // 10:30

  p = plan();
  p.slotMinutes = 45;  // 240 minutes: five slots and 15 minutes left over
  const auto longer = slotsOf(p, 2026_y / November / 23);
  EXPECT_EQ(starts(longer),
            (std::vector<std::string>{"08:30", "09:15", "10:00", "10:45", "11:30"}));
  EXPECT_EQ(longer.back().endUtc, utc("2026-11-23T11:15:00Z"));  // 12:15

  p.periods = {{1, {hm(9), hm(9, 40)}}};  // shorter than one slot
  EXPECT_TRUE(slotsOf(p, 2026_y / November / 23).empty());
}

TEST_F(SlotsTest, PeriodEndingAtMidnight) {
  WorkingPlan p = plan();
  p.periods = {{1, {hm(23), 1440}}};
  const auto slots = slotsOf(p, 2026_y / November / 23);
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[1].start, "23:30");
  EXPECT_EQ(slots[1].day, 2026_y / November / 23);
  EXPECT_EQ(slots[1].startUtc, utc("2026-11-23T22:30:00Z"));
  EXPECT_EQ(slots[1].endUtc, utc("2026-11-23T23:00:00Z"));  // 24:00 local
}

TEST_F(SlotsTest, TwoPeriodsADayAndOverlappingPeriodsMerged) {
  WorkingPlan p = plan();
  p.periods = {{1, {hm(15), hm(16)}}, {1, {hm(8, 30), hm(10)}}, {1, {hm(9, 30), hm(11)}}};
  const auto slots = slotsOf(p, 2026_y / November / 23);
  // 08:30–11:00 once (no duplicated 09:30 slot), then the afternoon.
  EXPECT_EQ(starts(slots), (std::vector<std::string>{"08:30", "09:00", "09:30", "10:00", "10:30",
                                                     "15:00", "15:30"}));
  EXPECT_EQ(slots[5].startUtc, utc("2026-11-23T14:00:00Z"));
}

// --- breaks -------------------------------------------------------------------------------

TEST_F(SlotsTest, BreakIsRemovedAndSlotsRestartAtItsEnd) {
  WorkingPlan p = plan();
  p.breaks = {{1, {hm(10, 30), hm(10, 45)}}};  // Mondays only
  const auto monday = slotsOf(p, 2026_y / November / 23);
  // 10:30 overlaps the break; 12:15–12:45 would end after 12:30.
  EXPECT_EQ(starts(monday), (std::vector<std::string>{"08:30", "09:00", "09:30", "10:00", "10:45",
                                                      "11:15", "11:45"}));
  EXPECT_EQ(monday[3].endUtc, utc("2026-11-23T09:30:00Z"));    // 10:00–10:30, before the break
  EXPECT_EQ(monday[4].startUtc, utc("2026-11-23T09:45:00Z"));  // 10:45
  for (const Slot& s : monday) {
    const bool overlapsBreak =
        s.startUtc < utc("2026-11-23T09:45:00Z") && s.endUtc > utc("2026-11-23T09:30:00Z");
    EXPECT_FALSE(overlapsBreak) << s.start;
  }
  // Tuesday has no break.
  EXPECT_EQ(slotsOf(p, 2026_y / November / 24).size(), 8u);
}

TEST_F(SlotsTest, LunchBreakSplitsALongPeriod) {
  WorkingPlan p = plan();
  p.periods = {{3, {hm(9), hm(17)}}};
  p.breaks = {{3, {hm(13), hm(14)}}, {3, {hm(12, 50), hm(13, 10)}}};  // overlapping breaks
  p.slotMinutes = 60;
  const auto slots = slotsOf(p, 2026_y / November / 25);  // Wednesday
  // 09–12:50 gives 09, 10, 11 (12:00–13:00 overlaps the break); 14–17 gives 14, 15, 16.
  EXPECT_EQ(starts(slots),
            (std::vector<std::string>{"09:00", "10:00", "11:00", "14:00", "15:00", "16:00"}));
}

TEST_F(SlotsTest, BreakCoveringThePeriodLeavesNoSlots) {
  WorkingPlan p = plan();
  p.breaks = {{1, {hm(8), hm(13)}}};
  EXPECT_TRUE(slotsOf(p, 2026_y / November / 23).empty());
}

// --- exceptions and holidays --------------------------------------------------------------

TEST_F(SlotsTest, ClosedExceptionClosesTheDay) {
  WorkingPlan p = plan();
  p.exceptions = {{2026_y / November / 23, true, {}, "Assemblea del personale"}};
  EXPECT_TRUE(slotsOf(p, 2026_y / November / 23).empty());
  EXPECT_EQ(slotsOf(p, 2026_y / November / 24).size(), 8u);
}

TEST_F(SlotsTest, ExtendedDayExceptionReplacesPeriodsAndBreaks) {
  WorkingPlan p = plan();
  p.breaks = {{4, {hm(10), hm(11)}}};  // the weekly Thursday break
  p.exceptions = {{2026_y / November / 26,
                   false,
                   {{hm(8, 30), hm(12, 30)}, {hm(14), hm(17)}},
                   "Apertura straordinaria"}};
  const auto slots = slotsOf(p, 2026_y / November / 26);  // Thursday
  ASSERT_EQ(slots.size(), 14u);  // 8 in the morning (no break) + 6 in the afternoon
  EXPECT_EQ(slots[3].start, "10:00");
  EXPECT_EQ(slots[8].start, "14:00");
  EXPECT_EQ(slots[8].startUtc, utc("2026-11-26T13:00:00Z"));
  EXPECT_EQ(slots.back().start, "16:30");
  EXPECT_EQ(slots.back().endUtc, utc("2026-11-26T16:00:00Z"));  // 17:00
  // The following Thursday keeps its weekly break.
  EXPECT_EQ(slotsOf(p, 2026_y / December / 3).size(), 6u);
}

TEST_F(SlotsTest, ExceptionOpensAWeekendDay) {
  WorkingPlan p = plan();
  p.exceptions = {{2026_y / November / 28, false, {{hm(9), hm(10)}}, "Sabato elettorale"}};
  const auto slots = slotsOf(p, 2026_y / November / 28);
  EXPECT_EQ(starts(slots), (std::vector<std::string>{"09:00", "09:30"}));
}

TEST_F(SlotsTest, EasterMondayIsAHoliday) {
  EXPECT_TRUE(slotsOf(plan(), 2026_y / April / 6).empty());      // Lunedì dell'Angelo
  EXPECT_EQ(slotsOf(plan(), 2026_y / April / 7).size(), 8u);     // Tuesday after
  EXPECT_EQ(slotsOf(plan(), 2026_y / March / 30).size(), 8u);    // the Monday before
  EXPECT_TRUE(slotsOf(plan(), 2026_y / December / 8).empty());   // Immacolata, a Tuesday
  EXPECT_TRUE(slotsOf(plan(), 2026_y / December / 25).empty());  // Natale, a Friday
}

TEST_F(SlotsTest, PatronDayAndExtraHolidaysClose) {
  WorkingPlan p = plan();
  p.patronDay = September / 29;
  p.patronName = "San Michele Arcangelo";
  p.extraHolidays = {{2026_y / November / 24, "Chiusura ponte"}};
  EXPECT_TRUE(slotsOf(p, 2026_y / September / 29).empty());  // Tuesday
  EXPECT_TRUE(slotsOf(p, 2026_y / November / 24).empty());
  EXPECT_EQ(slotsOf(p, 2026_y / November / 25).size(), 8u);
  EXPECT_EQ(slotsOf(plan(), 2026_y / September / 29).size(), 8u);  // no patron day set
}

TEST_F(SlotsTest, ExceptionWinsOverHoliday) {
  WorkingPlan p = plan();
  p.exceptions = {{2026_y / April / 6, false, {{hm(9), hm(10)}}, "Apertura straordinaria"}};
  const auto slots = slotsOf(p, 2026_y / April / 6);  // Easter Monday, CEST
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0].startUtc, utc("2026-04-06T07:00:00Z"));
}

// --- daylight saving time -----------------------------------------------------------------

class DstTest : public SlotsTest {
 protected:
  // Sundays 01:00–04:00, 30-minute slots: the hours in which the clocks change.
  static WorkingPlan night() {
    WorkingPlan p = plan();
    p.periods = {{7, {hm(1), hm(4)}}};
    return p;
  }
};

TEST_F(DstTest, SpringForwardSkipsSlotsInTheMissingHour) {
  const auto slots = slotsOf(night(), 2026_y / March / 29);  // 02:00 CET → 03:00 CEST
  ASSERT_EQ(starts(slots), (std::vector<std::string>{"01:00", "01:30", "03:00", "03:30"}));
  EXPECT_EQ(slots[0].startUtc, utc("2026-03-29T00:00:00Z"));  // 01:00 CET
  EXPECT_EQ(slots[1].startUtc, utc("2026-03-29T00:30:00Z"));  // 01:30 CET
  EXPECT_EQ(slots[1].endUtc, utc("2026-03-29T01:00:00Z"));    // 02:00 CET = 03:00 CEST
  EXPECT_EQ(slots[2].startUtc, utc("2026-03-29T01:00:00Z"));  // 03:00 CEST
  EXPECT_EQ(slots[3].startUtc, utc("2026-03-29T01:30:00Z"));  // 03:30 CEST
  EXPECT_EQ(slots[3].endUtc, utc("2026-03-29T02:00:00Z"));    // 04:00 CEST

  const auto missing = findSlot(night(), 2026_y / March / 29, "02:30");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().field, "start");
}

TEST_F(DstTest, SlotEndingAtTheSpringTransitionIsKept) {
  WorkingPlan p = night();
  p.slotMinutes = 60;
  const auto slots = slotsOf(p, 2026_y / March / 29);
  // 01:00–02:00 is fine; 02:00 does not exist; 03:00–04:00.
  ASSERT_EQ(starts(slots), (std::vector<std::string>{"01:00", "03:00"}));
  EXPECT_EQ(slots[0].endUtc, utc("2026-03-29T01:00:00Z"));
  EXPECT_EQ(slots[1].startUtc, utc("2026-03-29T01:00:00Z"));
}

TEST_F(DstTest, SlotShortenedByTheMissingHourIsSkipped) {
  WorkingPlan p = night();
  p.slotMinutes = 45;
  const auto slots = slotsOf(p, 2026_y / March / 29);
  // 01:45–02:30 would last 15 real minutes; 02:30 does not exist.
  ASSERT_EQ(starts(slots), (std::vector<std::string>{"01:00", "03:15"}));
  EXPECT_EQ(slots[0].startUtc, utc("2026-03-29T00:00:00Z"));
  EXPECT_EQ(slots[0].endUtc, utc("2026-03-29T00:45:00Z"));
  EXPECT_EQ(slots[1].startUtc, utc("2026-03-29T01:15:00Z"));  // 03:15 CEST
  EXPECT_EQ(slots[1].endUtc, utc("2026-03-29T02:00:00Z"));    // 04:00 CEST
  EXPECT_EQ(findSlot(p, 2026_y / March / 29, "01:45").error().code, Errc::kNotFound);
}

TEST_F(DstTest, FallBackGeneratesTheRepeatedHourOnceAtFirstOccurrence) {
  const auto slots = slotsOf(night(), 2026_y / October / 25);  // 03:00 CEST → 02:00 CET
  ASSERT_EQ(starts(slots),
            (std::vector<std::string>{"01:00", "01:30", "02:00", "02:30", "03:00", "03:30"}));
  EXPECT_EQ(slots[0].day, 2026_y / October / 25);
  EXPECT_EQ(slots[0].startUtc, utc("2026-10-24T23:00:00Z"));  // 01:00 CEST, UTC day before
  EXPECT_EQ(slots[2].startUtc, utc("2026-10-25T00:00:00Z"));  // 02:00 CEST (first)
  EXPECT_EQ(slots[2].endUtc, utc("2026-10-25T00:30:00Z"));
  EXPECT_EQ(slots[3].startUtc, utc("2026-10-25T00:30:00Z"));  // 02:30 CEST (first)
  EXPECT_EQ(slots[3].endUtc, utc("2026-10-25T02:00:00Z"));    // 03:00 CET: spans the repeat
  EXPECT_EQ(slots[4].startUtc, utc("2026-10-25T02:00:00Z"));  // 03:00 CET
  EXPECT_EQ(slots[5].endUtc, utc("2026-10-25T03:00:00Z"));    // 04:00 CET
  for (size_t i = 1; i < slots.size(); ++i) {
    EXPECT_EQ(slots[i - 1].endUtc, slots[i].startUtc) << "slots tile, no overlap";
  }

  const auto repeated = findSlot(night(), 2026_y / October / 25, "02:30");
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(repeated->startUtc, utc("2026-10-25T00:30:00Z"));
}

TEST_F(DstTest, DaysAroundTheChangesUseTheirOwnOffset) {
  // Saturday 28 March still CET; Monday 26 October already CET.
  WorkingPlan p = plan();
  p.periods.push_back({6, {hm(8, 30), hm(9)}});
  EXPECT_EQ(slotsOf(p, 2026_y / March / 28).front().startUtc, utc("2026-03-28T07:30:00Z"));
  EXPECT_EQ(slotsOf(p, 2026_y / March / 30).front().startUtc, utc("2026-03-30T06:30:00Z"));
  EXPECT_EQ(slotsOf(p, 2026_y / October / 24).front().startUtc, utc("2026-10-24T06:30:00Z"));
  EXPECT_EQ(slotsOf(p, 2026_y / October / 26).front().startUtc, utc("2026-10-26T07:30:00Z"));
}

// --- booking window -----------------------------------------------------------------------

TEST_F(SlotsTest, SlotExactlyAtMinimumNoticeIsIncluded) {
  const Seconds now = utc("2026-11-23T07:30:00Z");  // Monday 08:30
  auto r = slotsBetween(plan(), 2026_y / November / 23, 2026_y / November / 24, now, {});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  EXPECT_EQ(r->front().day, 2026_y / November / 24);
  EXPECT_EQ(r->front().startUtc, utc("2026-11-24T07:30:00Z"));  // exactly now + 24 h
  EXPECT_EQ(r->size(), 8u);

  // One second later the 08:30 slot is too soon.
  r = slotsBetween(plan(), 2026_y / November / 23, 2026_y / November / 24, now + 1s, {});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  EXPECT_EQ(r->front().startUtc, utc("2026-11-24T08:00:00Z"));
  EXPECT_EQ(r->size(), 7u);
}

TEST_F(SlotsTest, SlotExactlyAtMaximumDaysAheadIsIncluded) {
  const Seconds now = utc("2026-11-23T07:30:00Z");  // + 60 days = Friday 2027-01-22 08:30
  auto r = slotsBetween(plan(), 2027_y / January / 21, 2027_y / January / 25, now, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 9u);  // Thursday 21 in full + Friday 22 at 08:30 only
  EXPECT_EQ(r->back().day, 2027_y / January / 22);
  EXPECT_EQ(r->back().startUtc, utc("2027-01-22T07:30:00Z"));

  r = slotsBetween(plan(), 2027_y / January / 21, 2027_y / January / 25, now - 1s, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 8u);
  EXPECT_EQ(r->back().startUtc, utc("2027-01-21T11:00:00Z"));
}

TEST_F(SlotsTest, ZeroNoticeAllowsASlotStartingNow) {
  WorkingPlan p = plan();
  p.minNotice = 0min;
  auto r = slotsBetween(p, 2026_y / November / 23, 2026_y / November / 23,
                        utc("2026-11-23T09:00:00Z"), {});  // 10:00
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(starts(*r), (std::vector<std::string>{"10:00", "10:30", "11:00", "11:30", "12:00"}));
}

TEST_F(SlotsTest, InWindowEdges) {
  const WorkingPlan p = plan();
  const Seconds now = utc("2026-11-23T07:30:00Z");
  EXPECT_FALSE(inWindow(p, utc("2026-11-24T07:29:59Z"), now));
  EXPECT_TRUE(inWindow(p, utc("2026-11-24T07:30:00Z"), now));
  EXPECT_TRUE(inWindow(p, utc("2027-01-22T07:30:00Z"), now));
  EXPECT_FALSE(inWindow(p, utc("2027-01-22T07:30:01Z"), now));
}

TEST_F(SlotsTest, SlotsSpanSeveralDaysInOrderAndStopAtToDay) {
  auto r = slotsBetween(plan(), 2026_y / November / 27, 2026_y / November / 30,
                        utc("2026-11-20T00:00:00Z"), {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 16u);  // Friday and Monday
  EXPECT_EQ(r->front().day, 2026_y / November / 27);
  EXPECT_EQ(r->back().day, 2026_y / November / 30);
  EXPECT_EQ(r->back().startUtc, utc("2026-11-30T11:00:00Z"));
  for (size_t i = 1; i < r->size(); ++i) EXPECT_LT((*r)[i - 1].startUtc, (*r)[i].startUtc);
}

// --- capacity and bookings ----------------------------------------------------------------

TEST_F(SlotsTest, FreePlacesAreCapacityMinusBooked) {
  const BookedCounts booked{
      {utc("2026-11-23T07:30:00Z"), 1},  // 08:30: one left
      {utc("2026-11-23T08:00:00Z"), 2},  // 09:00: full
      {utc("2026-11-23T08:30:00Z"), 5},  // 09:30: overbooked after a capacity cut
      {utc("2026-11-23T08:15:00Z"), 1},  // not a slot start: ignored
  };
  const auto slots = slotsOf(plan(), 2026_y / November / 23, booked);
  ASSERT_EQ(slots.size(), 8u);
  EXPECT_EQ(slots[0].free, 1);
  EXPECT_EQ(slots[1].free, 0);
  EXPECT_EQ(slots[2].free, 0);
  EXPECT_EQ(slots[3].free, 2);
  for (const Slot& s : slots) EXPECT_EQ(s.capacity, 2);
}

// --- month view ---------------------------------------------------------------------------

TEST_F(SlotsTest, MonthAvailabilityTotals) {
  const BookedCounts booked{{utc("2026-11-23T07:30:00Z"), 2}, {utc("2026-11-23T10:00:00Z"), 1}};
  auto r = monthAvailability(plan(), 2026, 11, utc("2026-10-31T12:00:00Z"), booked);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 30u);
  EXPECT_EQ((*r)[0].day, 2026_y / November / 1);
  EXPECT_EQ((*r)[0], (DayAvailability{2026_y / November / 1, 0, 0, 0}));    // Sunday
  EXPECT_EQ((*r)[1], (DayAvailability{2026_y / November / 2, 8, 16, 16}));  // Monday
  EXPECT_EQ((*r)[22], (DayAvailability{2026_y / November / 23, 8, 16, 13}));
  EXPECT_EQ((*r)[27].slots, 0);  // Saturday 28
  const int free = std::accumulate(r->begin(), r->end(), 0,
                                   [](int a, const DayAvailability& d) { return a + d.free; });
  const int places = std::accumulate(r->begin(), r->end(), 0,
                                     [](int a, const DayAvailability& d) { return a + d.places; });
  EXPECT_EQ(places, 21 * 16);  // 21 working days
  EXPECT_EQ(free, 21 * 16 - 3);
}

TEST_F(SlotsTest, MonthAvailabilityFollowsTheWindowAndHolidays) {
  // Friday 20 November 08:30: the window opens on Saturday 21 at 08:30.
  auto nov = monthAvailability(plan(), 2026, 11, utc("2026-11-20T07:30:00Z"), {});
  ASSERT_TRUE(nov.ok());
  int openDays = 0;
  for (const DayAvailability& d : *nov) {
    if (unsigned(d.day.day()) <= 21) {
      EXPECT_EQ(d.free, 0) << unsigned(d.day.day());
    }
    if (d.free > 0) ++openDays;
  }
  EXPECT_EQ(openDays, 6);  // 23–27 and 30

  // December: Immacolata (Tuesday 8) and Natale (Friday 25) are closed; 21 working days.
  auto dec = monthAvailability(plan(), 2026, 12, utc("2026-11-20T07:30:00Z"), {});
  ASSERT_TRUE(dec.ok());
  ASSERT_EQ(dec->size(), 31u);
  EXPECT_EQ((*dec)[7].places, 0);
  EXPECT_EQ((*dec)[24].places, 0);
  EXPECT_EQ((*dec)[30], (DayAvailability{2026_y / December / 31, 8, 16, 16}));
  int places = 0;
  for (const DayAvailability& d : *dec) places += d.places;
  EXPECT_EQ(places, 21 * 16);

  // February 2027 is cut by the 60 days ahead (up to Tuesday 19 January): nothing bookable.
  auto feb = monthAvailability(plan(), 2027, 2, utc("2026-11-20T07:30:00Z"), {});
  ASSERT_TRUE(feb.ok());
  EXPECT_EQ(feb->size(), 28u);
  for (const DayAvailability& d : *feb) EXPECT_EQ(d.places, 0);
}

TEST_F(SlotsTest, MonthAvailabilityRejectsBadMonth) {
  auto r = monthAvailability(plan(), 2026, 13, utc("2026-11-20T07:30:00Z"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kInvalid);
  EXPECT_EQ(r.error().field, "month");
}

// --- requested slots ----------------------------------------------------------------------

TEST_F(SlotsTest, FindSlotReturnsTheSlotOfThePlan) {
  const auto r = findSlot(plan(), 2026_y / November / 23, "10:30");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->startUtc, utc("2026-11-23T09:30:00Z"));
  EXPECT_EQ(r->endUtc, utc("2026-11-23T10:00:00Z"));
  EXPECT_EQ(r->free, 2);
}

TEST_F(SlotsTest, FindSlotRejectsWhatIsNotASlot) {
  WorkingPlan p = plan();
  p.breaks = {{1, {hm(10, 30), hm(11)}}};
  struct Case {
    year_month_day day;
    const char* start;
    Errc code;
    const char* field;
  };
  const Case cases[] = {
      {2026_y / November / 23, "08:45", Errc::kNotFound, "start"},  // off the grid
      {2026_y / November / 23, "10:30", Errc::kNotFound, "start"},  // in the break
      {2026_y / November / 23, "12:30", Errc::kNotFound, "start"},  // the period's end
      {2026_y / November / 23, "07:00", Errc::kNotFound, "start"},  // before opening
      {2026_y / November / 28, "08:30", Errc::kNotFound, "start"},  // Saturday
      {2026_y / April / 6, "08:30", Errc::kNotFound, "start"},      // Easter Monday
      {2026_y / November / 23, "8h30", Errc::kInvalid, "start"},
      {2026_y / November / 23, "", Errc::kInvalid, "start"},
      {2026_y / February / 30, "08:30", Errc::kInvalid, "day"},
  };
  for (const Case& c : cases) {
    const auto r = findSlot(p, c.day, c.start);
    ASSERT_FALSE(r.ok()) << c.start;
    EXPECT_EQ(r.error().code, c.code) << c.start;
    EXPECT_EQ(r.error().field, c.field) << c.start;
  }
}

TEST_F(SlotsTest, CheckRequestedSlotAppliesWindowAndPlaces) {
  const Seconds now = utc("2026-11-23T07:30:00Z");
  const auto ok = checkRequestedSlot(plan(), 2026_y / November / 24, "08:30", now,
                                     {{utc("2026-11-24T07:30:00Z"), 1}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->startUtc, utc("2026-11-24T07:30:00Z"));
  EXPECT_EQ(ok->free, 1);

  const auto tooSoon = checkRequestedSlot(plan(), 2026_y / November / 24, "08:30", now + 1s, {});
  ASSERT_FALSE(tooSoon.ok());
  EXPECT_EQ(tooSoon.error().code, Errc::kInvalid);
  EXPECT_EQ(tooSoon.error().field, "start");

  const auto tooFar = checkRequestedSlot(plan(), 2027_y / January / 22, "09:00", now, {});
  ASSERT_FALSE(tooFar.ok());
  EXPECT_EQ(tooFar.error().code, Errc::kInvalid);
  EXPECT_NE(tooFar.error().message, tooSoon.error().message);

  const auto full = checkRequestedSlot(plan(), 2026_y / November / 24, "09:00", now,
                                       {{utc("2026-11-24T08:00:00Z"), 2}});
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, Errc::kConflict);

  const auto notASlot = checkRequestedSlot(plan(), 2026_y / November / 24, "09:10", now, {});
  ASSERT_FALSE(notASlot.ok());
  EXPECT_EQ(notASlot.error().code, Errc::kNotFound);
}

// --- validation ---------------------------------------------------------------------------

TEST_F(SlotsTest, ValidPlanPasses) {
  EXPECT_TRUE(validatePlan(plan()).ok());
  WorkingPlan p = plan();
  p.slotMinutes = 5;
  p.capacity = 100;
  EXPECT_TRUE(validatePlan(p).ok());
  p.slotMinutes = 480;
  p.capacity = 1;
  p.periods = {{7, {0, 1440}}};
  p.minNotice = 0min;
  p.maxDaysAhead = 366;
  EXPECT_TRUE(validatePlan(p).ok());
}

TEST_F(SlotsTest, ValidationNamesTheFaultyField) {
  struct Case {
    const char* field;
    void (*breakIt)(WorkingPlan&);
  };
  const Case cases[] = {
      {"tz", [](WorkingPlan& p) { p.tz = nullptr; }},
      {"slotMinutes", [](WorkingPlan& p) { p.slotMinutes = 4; }},
      {"slotMinutes", [](WorkingPlan& p) { p.slotMinutes = 481; }},
      {"capacity", [](WorkingPlan& p) { p.capacity = 0; }},
      {"capacity", [](WorkingPlan& p) { p.capacity = 101; }},
      {"periods[1].weekday", [](WorkingPlan& p) { p.periods[1].weekday = 8; }},
      {"periods[0].weekday", [](WorkingPlan& p) { p.periods[0].weekday = 0; }},
      {"periods[2].start", [](WorkingPlan& p) { p.periods[2].range.startMin = -1; }},
      {"periods[2].start", [](WorkingPlan& p) { p.periods[2].range.startMin = 1440; }},
      {"periods[0].end", [](WorkingPlan& p) { p.periods[0].range.endMin = 1441; }},
      {"periods[0].end",
       [](WorkingPlan& p) {
         p.periods[0].range = {hm(12), hm(9)};
       }},
      {"periods[0].end",
       [](WorkingPlan& p) {
         p.periods[0].range = {hm(9), hm(9)};
       }},
      {"breaks[0].end",
       [](WorkingPlan& p) {
         p.breaks = {{1, {hm(23), hm(1)}}};
       }},
      {"breaks[0].weekday",
       [](WorkingPlan& p) {
         p.breaks = {{9, {hm(10), hm(11)}}};
       }},
      {"exceptions[0].day",
       [](WorkingPlan& p) {
         p.exceptions = {{2026_y / February / 30, true, {}, ""}};
       }},
      {"exceptions[0].periods",
       [](WorkingPlan& p) {
         p.exceptions = {{2026_y / March / 2, false, {}, ""}};
       }},
      {"exceptions[0].periods[1].start",
       [](WorkingPlan& p) {
         p.exceptions = {{2026_y / March / 2, false, {{hm(9), hm(10)}, {-5, hm(11)}}, ""}};
       }},
      {"extraHolidays[0].day",
       [](WorkingPlan& p) {
         p.extraHolidays = {{2026_y / April / 31, "x"}};
       }},
      {"patronDay", [](WorkingPlan& p) { p.patronDay = February / 30; }},
      {"maxDaysAhead", [](WorkingPlan& p) { p.maxDaysAhead = 0; }},
      {"maxDaysAhead", [](WorkingPlan& p) { p.maxDaysAhead = 367; }},
      {"minNotice", [](WorkingPlan& p) { p.minNotice = -1min; }},
      {"minNotice",
       [](WorkingPlan& p) {
         p.maxDaysAhead = 2;
         p.minNotice = 48h;
       }},
  };
  for (const Case& c : cases) {
    WorkingPlan p = plan();
    c.breakIt(p);
    const Status st = validatePlan(p);
    ASSERT_FALSE(st.ok()) << c.field;
    EXPECT_EQ(st.error().code, Errc::kInvalid) << c.field;
    EXPECT_EQ(st.error().field, c.field);
    EXPECT_FALSE(st.error().message.empty()) << c.field;
  }
}

TEST_F(SlotsTest, ClosedExceptionNeedsNoPeriods) {
  WorkingPlan p = plan();
  p.exceptions = {{2026_y / March / 2, true, {{-5, -1}}, "periods ignored when closed"}};
  EXPECT_TRUE(validatePlan(p).ok());
}

TEST_F(SlotsTest, QueriesRejectInvalidPlansAndRanges) {
  const Seconds now = utc("2026-11-20T07:30:00Z");
  WorkingPlan bad = plan();
  bad.capacity = 0;
  auto r = slotsBetween(bad, 2026_y / November / 23, 2026_y / November / 23, now, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "capacity");
  EXPECT_EQ(findSlot(bad, 2026_y / November / 23, "08:30").error().field, "capacity");
  EXPECT_EQ(monthAvailability(bad, 2026, 11, now, {}).error().field, "capacity");

  r = slotsBetween(plan(), 2026_y / November / 24, 2026_y / November / 23, now, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "toDay");
  r = slotsBetween(plan(), 2026_y / February / 29, 2026_y / March / 2, now, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "fromDay");
  r = slotsBetween(plan(), 2026_y / January / 1, 2027_y / January / 1, now, {});  // 366 days
  ASSERT_TRUE(r.ok());
  r = slotsBetween(plan(), 2026_y / January / 1, 2027_y / January / 2, now, {});  // 367 days
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "toDay");
}

}  // namespace
}  // namespace sportello::booking
