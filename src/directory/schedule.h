// Reception hours: weekly rules + dated exceptions + holidays, evaluated in the
// ente's time zone. Pure model (no I/O): "is it open now?", "when does it close
// / next open?", "this week's hours".
//
// Semantics
// - A WeeklyRule gives one interval on an ISO weekday (1 = Monday … 7 = Sunday)
// as minutes
//   since local midnight. endMin <= startMin means the interval crosses
//   midnight and ends on the next day (e.g. 22:00–02:00). endMin == 1440 means
//   midnight at the end of the day.
// - Channel-specific hours: a rule or exception with a channel ("chat",
// "video", …) applies
//   only to that channel. If an office has ANY weekly rule for channel X, X's
//   hours are given by those rules only; otherwise X follows the general rules
//   (channel = nullopt).
// - A DatedException on a day replaces that day's weekly rules (for its
// channel, or for the
//   general hours when channel is empty): closed = true closes the day,
//   otherwise its intervals are the day's hours (e.g. an extended Thursday).
//   Exceptions win over holidays.
// - Holidays (Italian national holidays incl. Easter Monday, the ente's patron
// saint day and
//   the ente's extra dated holidays) close the office unless an exception says
//   otherwise.
// - DST: local times are converted with the ente's tz. A start that falls in a
// skipped hour
//   moves to the transition instant; in a repeated hour starts take the earlier
//   instant and ends the later one.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sportello::directory {

using Seconds = std::chrono::sys_seconds;

struct MinuteRange {
  int startMin = 0;  // 0..1439
  int endMin = 0;    // 1..1440; <= startMin means "crosses midnight"
  bool operator==(const MinuteRange&) const = default;
};

struct WeeklyRule {
  int weekday = 1;  // ISO 1 = Monday … 7 = Sunday
  MinuteRange range;
  std::optional<std::string> channel;
};

struct DatedException {
  date::year_month_day day;
  bool closed = false;
  std::vector<MinuteRange> ranges;  // ignored when closed
  std::optional<std::string> channel;
  std::string note;
};

struct Holiday {
  date::year_month_day day;
  std::string name;
};

struct ScheduleSpec {
  const date::time_zone* tz = nullptr;  // required
  std::vector<WeeklyRule> rules;
  std::vector<DatedException> exceptions;
  std::vector<Holiday> extraHolidays;  // ente-specific dated holidays
  std::optional<date::month_day> patronDay;
  std::string patronName;  // e.g. "San Michele Arcangelo"
};

struct Interval {
  Seconds start;
  Seconds end;
  bool operator==(const Interval&) const = default;
};

struct OpenStatus {
  bool open = false;
  std::optional<Seconds> closesAt;     // when open: end of the current (merged) interval
  std::optional<Seconds> nextOpensAt;  // when closed: start of the next interval (≤ 60 days)
  Seconds validUntil;                  // the next instant at which `open` may change
};

// How far statusAt looks for the next opening (and for the end of a long open
// interval).
inline constexpr date::days kStatusLookAhead{60};

// Channels a rule or exception may name.
inline constexpr std::string_view kScheduleChannels[] = {"walk_in", "video", "chat", "phone",
                                                         "email"};

struct DayHours {
  date::year_month_day day;
  int weekday = 1;                  // ISO
  bool closed = true;               // no interval that day
  std::string holiday;              // non-empty on a holiday
  bool exception = false;           // a dated exception applies
  std::string note;                 // the exception's note
  std::vector<MinuteRange> ranges;  // local ranges starting that day
};

// Checks ranges (0 ≤ start < 1440, 0 < end ≤ 1440, start != end) and weekdays;
// kInvalid with the offending field otherwise.
Status validate(const ScheduleSpec& spec);

// Italian national holiday name for a date ("Natale", "Lunedì dell'Angelo", …)
// or empty. Includes 4 October (San Francesco d'Assisi) from 2026 on.
std::string italianHoliday(date::year_month_day d);
date::year_month_day easterSunday(int year);

// Name of the holiday that closes `d` for this spec (national, patron or
// extra), or empty.
std::string holidayName(const ScheduleSpec& spec, date::year_month_day d);

// Concrete UTC intervals for `channel` (nullopt = general hours) overlapping
// [from, to), sorted and merged where they touch or overlap.
std::vector<Interval> intervalsBetween(const ScheduleSpec& spec,
                                       const std::optional<std::string>& channel, Seconds from,
                                       Seconds to);

OpenStatus statusAt(const ScheduleSpec& spec, const std::optional<std::string>& channel,
                    Seconds now);

// Hours of the 7 days (Monday to Sunday) of the local week that contains `day`.
std::vector<DayHours> weekOf(const ScheduleSpec& spec, const std::optional<std::string>& channel,
                             date::year_month_day day);

// The set of channels that have their own weekly rules or exceptions.
std::vector<std::string> channelsWithOwnHours(const ScheduleSpec& spec);

// "08:30" ⇄ 510. parseHm accepts "HH:MM" with 00 ≤ HH ≤ 24 (24:00 only as an
// end).
Result<int> parseHm(std::string_view s);
std::string formatHm(int minutes);

}  // namespace sportello::directory
