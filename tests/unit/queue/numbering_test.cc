// Unit tests for ticket numbering (src/queue/model/numbering.h). Instants are UTC literals;
// the Europe/Rome local times they stand for are in the comments. DST in 2026: clocks go
// 02:00 CET → 03:00 CEST on 29 March (01:00Z) and 03:00 CEST → 02:00 CET on 25 October
// (01:00Z).
#include "queue/model/numbering.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace sportello::queue {
namespace {

using namespace date;                  // NOLINT: calendar literals
using namespace std::chrono_literals;  // NOLINT: 30min

const time_zone* rome() {
  return locate_zone("Europe/Rome");
}

SysMillis at(year_month_day d, std::chrono::milliseconds sinceMidnightUtc) {
  return SysMillis(sys_days(d)) + sinceMidnightUtc;
}

std::optional<LastIssued> last(int number, SysMillis issuedAt) {
  return LastIssued{number, issuedAt};
}

int daily(const std::optional<LastIssued>& l, SysMillis now) {
  Result<int> r = nextNumber(NumberingReset::kDaily, rome(), l, now);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : -1;
}

// --- ticket codes ---

TEST(TicketCodeTest, PadsToThreeDigits) {
  EXPECT_EQ(formatTicketCode('A', 1).value(), "A001");
  EXPECT_EQ(formatTicketCode('A', 23).value(), "A023");
  EXPECT_EQ(formatTicketCode('B', 999).value(), "B999");
}

TEST(TicketCodeTest, KeepsAllDigitsFromOneThousand) {
  EXPECT_EQ(formatTicketCode('A', 1000).value(), "A1000");
  EXPECT_EQ(formatTicketCode('C', 12345).value(), "C12345");
  EXPECT_EQ(formatTicketCode('Z', kMaxTicketNumber).value(), "Z999999");
}

TEST(TicketCodeTest, RejectsBadPrefix) {
  for (char c : {'a', 'z', '1', ' ', '@', '[', '\0'}) {
    Result<std::string> r = formatTicketCode(c, 1);
    ASSERT_FALSE(r.ok()) << int(c);
    EXPECT_EQ(r.error().code, Errc::kInvalid);
    EXPECT_EQ(r.error().field, "prefix");
  }
}

TEST(TicketCodeTest, RejectsNumberOutOfRange) {
  for (int n : {0, -1, kMaxTicketNumber + 1}) {
    Result<std::string> r = formatTicketCode('A', n);
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.error().code, Errc::kInvalid);
    EXPECT_EQ(r.error().field, "number");
  }
}

// --- numbering day ---

TEST(NumberingDayTest, IsTheLocalDateNotTheUtcDate) {
  // 2026-07-01 23:30Z = 2 July 01:30 CEST.
  EXPECT_EQ(numberingDay(rome(), at(2026_y / July / 1, 23h + 30min)), 2026_y / July / 2);
  // 2026-01-15 22:59:59.999Z = 23:59:59.999 CET, still the 15th.
  EXPECT_EQ(numberingDay(rome(), at(2026_y / January / 15, 22h + 59min + 59s + 999ms)),
            2026_y / January / 15);
  // 2026-01-15 23:00Z = 16 January 00:00 CET.
  EXPECT_EQ(numberingDay(rome(), at(2026_y / January / 15, 23h)), 2026_y / January / 16);
}

TEST(NumberingDayTest, SpringForwardNight) {
  // 28 March 23:00Z = 29 March 00:00 CET.
  EXPECT_EQ(numberingDay(rome(), at(2026_y / March / 28, 22h + 59min)), 2026_y / March / 28);
  EXPECT_EQ(numberingDay(rome(), at(2026_y / March / 28, 23h)), 2026_y / March / 29);
  // 29 March 01:00Z = 03:00 CEST (02:00–03:00 does not exist).
  EXPECT_EQ(numberingDay(rome(), at(2026_y / March / 29, 1h)), 2026_y / March / 29);
  // 29 March 22:00Z = 30 March 00:00 CEST: the 29th lasted 23 hours.
  EXPECT_EQ(numberingDay(rome(), at(2026_y / March / 29, 21h + 59min)), 2026_y / March / 29);
  EXPECT_EQ(numberingDay(rome(), at(2026_y / March / 29, 22h)), 2026_y / March / 30);
}

TEST(NumberingDayTest, FallBackNight) {
  // 24 October 22:00Z = 25 October 00:00 CEST.
  EXPECT_EQ(numberingDay(rome(), at(2026_y / October / 24, 21h + 59min)), 2026_y / October / 24);
  EXPECT_EQ(numberingDay(rome(), at(2026_y / October / 24, 22h)), 2026_y / October / 25);
  // 02:30 happens twice: 00:30Z (CEST) and 01:30Z (CET).
  EXPECT_EQ(numberingDay(rome(), at(2026_y / October / 25, 30min)), 2026_y / October / 25);
  EXPECT_EQ(numberingDay(rome(), at(2026_y / October / 25, 1h + 30min)), 2026_y / October / 25);
  // 25 October 23:00Z = 26 October 00:00 CET: the 25th lasted 25 hours.
  EXPECT_EQ(numberingDay(rome(), at(2026_y / October / 25, 22h + 59min)), 2026_y / October / 25);
  EXPECT_EQ(numberingDay(rome(), at(2026_y / October / 25, 23h)), 2026_y / October / 26);
}

// --- next number, daily reset ---

TEST(NextNumberTest, FirstTicketIsOne) {
  SysMillis now = at(2026_y / January / 15, 8h);
  EXPECT_EQ(daily(std::nullopt, now), 1);
  EXPECT_EQ(nextNumber(NumberingReset::kNever, rome(), std::nullopt, now).value(), 1);
  EXPECT_EQ(nextNumber(NumberingReset::kNever, nullptr, std::nullopt, now).value(), 1);
}

TEST(NextNumberTest, SameDayIncrements) {
  EXPECT_EQ(daily(last(22, at(2026_y / January / 15, 8h)), at(2026_y / January / 15, 8h + 1min)),
            23);
  // Same instant (two tickets in the same millisecond).
  EXPECT_EQ(daily(last(5, at(2026_y / January / 15, 8h)), at(2026_y / January / 15, 8h)), 6);
}

TEST(NextNumberTest, RestartsAtLocalMidnightInWinter) {
  // 23:30 CET on the 15th, then 00:10 CET on the 16th: the same UTC day, two local days.
  EXPECT_EQ(daily(last(87, at(2026_y / January / 15, 22h + 30min)),
                  at(2026_y / January / 15, 23h + 10min)),
            1);
  // Exactly at local midnight the day has changed; one millisecond before it has not.
  EXPECT_EQ(daily(last(87, at(2026_y / January / 15, 22h)), at(2026_y / January / 15, 23h)), 1);
  EXPECT_EQ(daily(last(87, at(2026_y / January / 15, 22h)),
                  at(2026_y / January / 15, 22h + 59min + 59s + 999ms)),
            88);
}

TEST(NextNumberTest, DoesNotRestartAtUtcMidnightInSummer) {
  // 01:30 CEST and 02:30 CEST on 2 July: different UTC days, the same local day.
  EXPECT_EQ(daily(last(3, at(2026_y / July / 1, 23h + 30min)), at(2026_y / July / 2, 30min)), 4);
  // 23:30 CEST on 1 July, then 00:10 CEST on 2 July.
  EXPECT_EQ(
      daily(last(140, at(2026_y / July / 1, 21h + 30min)), at(2026_y / July / 1, 22h + 10min)), 1);
}

TEST(NextNumberTest, SpringForwardNight) {
  // 23:30 CET on 28 March → 00:10 CET on 29 March: restart.
  EXPECT_EQ(
      daily(last(60, at(2026_y / March / 28, 22h + 30min)), at(2026_y / March / 28, 23h + 10min)),
      1);
  // 01:59 CET → 03:00 CEST on 29 March (one real minute apart): same day.
  EXPECT_EQ(daily(last(1, at(2026_y / March / 29, 59min)), at(2026_y / March / 29, 1h)), 2);
  // 23:30 CEST on 29 March → 00:10 CEST on 30 March: restart.
  EXPECT_EQ(
      daily(last(41, at(2026_y / March / 29, 21h + 30min)), at(2026_y / March / 29, 22h + 10min)),
      1);
}

TEST(NextNumberTest, FallBackNight) {
  // 23:30 CEST on 24 October → 00:10 CEST on 25 October: restart.
  EXPECT_EQ(daily(last(75, at(2026_y / October / 24, 21h + 30min)),
                  at(2026_y / October / 24, 22h + 10min)),
            1);
  // 00:30 CEST → 02:30 CET (the repeated hour, second time) on 25 October: same day.
  EXPECT_EQ(
      daily(last(1, at(2026_y / October / 24, 22h + 30min)), at(2026_y / October / 25, 1h + 30min)),
      2);
  // 02:30 CEST → 02:30 CET: the same local time twice, still the same day.
  EXPECT_EQ(daily(last(2, at(2026_y / October / 25, 30min)), at(2026_y / October / 25, 1h + 30min)),
            3);
  // 00:00 → 23:59 on the 25-hour day: same day.
  EXPECT_EQ(daily(last(9, at(2026_y / October / 24, 22h)), at(2026_y / October / 25, 22h + 59min)),
            10);
  // 23:30 CET on 25 October → 00:10 CET on 26 October: restart.
  EXPECT_EQ(daily(last(120, at(2026_y / October / 25, 22h + 30min)),
                  at(2026_y / October / 25, 23h + 10min)),
            1);
}

TEST(NextNumberTest, RestartsAfterSeveralDays) {
  EXPECT_EQ(daily(last(500, at(2026_y / January / 9, 10h)), at(2026_y / January / 15, 8h)), 1);
}

TEST(NextNumberTest, ContinuesPastNineHundredNinetyNine) {
  SysMillis t = at(2026_y / January / 15, 10h);
  EXPECT_EQ(daily(last(999, t), t + 1s), 1000);
  EXPECT_EQ(formatTicketCode('A', daily(last(999, t), t + 1s)).value(), "A1000");
}

TEST(NextNumberTest, ClockGoingBackContinuesInsteadOfRestarting) {
  // The last ticket says 16 January, now says 15 January: never reuse a code.
  EXPECT_EQ(daily(last(12, at(2026_y / January / 16, 8h)), at(2026_y / January / 15, 8h)), 13);
}

// --- next number, continuous ---

TEST(NextNumberTest, ContinuousNeverRestarts) {
  auto next = [](int n, SysMillis lastAt, SysMillis now) {
    return nextNumber(NumberingReset::kNever, rome(), LastIssued{n, lastAt}, now).value();
  };
  EXPECT_EQ(
      next(87, at(2026_y / January / 15, 22h + 30min), at(2026_y / January / 15, 23h + 10min)), 88);
  EXPECT_EQ(next(999, at(2026_y / January / 1, 9h), at(2026_y / March / 1, 9h)), 1000);
  // No time zone needed.
  EXPECT_EQ(nextNumber(NumberingReset::kNever, nullptr, LastIssued{4, at(2026_y / January / 1, 9h)},
                       at(2026_y / January / 2, 9h))
                .value(),
            5);
}

// --- errors ---

TEST(NextNumberTest, DailyNeedsATimeZone) {
  Result<int> r =
      nextNumber(NumberingReset::kDaily, nullptr, std::nullopt, at(2026_y / January / 15, 8h));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kInvalid);
  EXPECT_EQ(r.error().field, "tz");
}

TEST(NextNumberTest, RejectsAnOutOfRangeLastNumber) {
  SysMillis t = at(2026_y / January / 15, 8h);
  for (int n : {0, -3, kMaxTicketNumber + 1}) {
    for (NumberingReset reset : {NumberingReset::kDaily, NumberingReset::kNever}) {
      Result<int> r = nextNumber(reset, rome(), LastIssued{n, t}, t + 1min);
      ASSERT_FALSE(r.ok()) << n;
      EXPECT_EQ(r.error().code, Errc::kInvalid);
      EXPECT_EQ(r.error().field, "number");
    }
  }
}

TEST(NextNumberTest, ExhaustedSequenceIsAConflictUntilTheNextDay) {
  SysMillis t = at(2026_y / January / 15, 8h);
  Result<int> never =
      nextNumber(NumberingReset::kNever, rome(), LastIssued{kMaxTicketNumber, t}, t + 24h * 30);
  ASSERT_FALSE(never.ok());
  EXPECT_EQ(never.error().code, Errc::kConflict);
  Result<int> sameDay =
      nextNumber(NumberingReset::kDaily, rome(), LastIssued{kMaxTicketNumber, t}, t + 1min);
  ASSERT_FALSE(sameDay.ok());
  EXPECT_EQ(sameDay.error().code, Errc::kConflict);
  EXPECT_EQ(daily(LastIssued{kMaxTicketNumber, t}, t + 24h), 1);
}

}  // namespace
}  // namespace sportello::queue
