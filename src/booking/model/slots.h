// Appointment slots: the pure model (no I/O) that turns an office's working plan for one
// service into bookable slots, in the ente's time zone, with free places per slot.
//
// Semantics
// - Working periods are weekly local ranges on an ISO weekday (1 = Monday … 7 = Sunday),
//   within one day: 0 ≤ start < end ≤ 1440 (periods never cross midnight). Periods of the
//   same day that overlap or touch are merged.
// - Breaks (weekly, per weekday) are removed from that weekday's periods; what remains are
//   the effective periods. Slots are laid out back to back from the start of each effective
//   period (so after a break they restart at the break's end); a slot that would not end by
//   the end of its effective period is not generated (the last partial slot is dropped).
// - A dated exception replaces the day's periods AND breaks: closed = true closes the day,
//   otherwise its periods are the day's periods (write two periods to keep a break).
//   Several exceptions on the same day add up (a closed one contributes nothing).
//   Exceptions win over holidays (e.g. an electoral Sunday opening).
// - Holidays close the day: Italian national holidays (incl. Easter Monday), the patron
//   saint day and the extra dated holidays, via directory::holidayName.
// - DST: a slot's UTC start and end are its local wall-clock start and end converted with the
//   plan's time zone. A slot whose local start does not exist (skipped hour, e.g. 02:30 on
//   2026-03-29 in Europe/Rome) is not generated; in a repeated hour (2026-10-25) the first
//   occurrence is taken, so a 02:30 slot exists once. Ends are converted the same way (a
//   non-existent end maps to the transition instant), so consecutive slots always tile
//   without overlaps; a slot across the autumn repeat lasts longer in real time (02:30–03:00
//   on 2026-10-25 is 00:30Z–02:00Z). A slot that the spring gap would make shorter than
//   slotMinutes in real time (01:45–02:30 on 2026-03-29) is not generated either; one ending
//   exactly at 02:00 is.
// - Booking window: a slot is offered only if now + minNotice ≤ startUtc ≤ now + maxDaysAhead
//   (both edges included; maxDaysAhead counts 24-hour days from `now`).
// - Booked counts are keyed by the slot's UTC start. free = max(0, capacity − booked): a
//   full slot is still listed (free = 0) so that a calendar can show it as full.
//
// Everything here is a pure function of its arguments (plus the tz database behind
// `plan.tz`) and is safe to call from any thread.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "directory/schedule.h"

namespace sportello::booking {

using Seconds = std::chrono::sys_seconds;

// One weekly local range (a working period or a break).
struct WeeklyPeriod {
  int weekday = 1;  // ISO 1 = Monday … 7 = Sunday
  directory::MinuteRange range;
};

// A dated change to one day of the plan.
struct PlanException {
  date::year_month_day day;
  bool closed = false;
  std::vector<directory::MinuteRange> periods;  // the day's periods; ignored when closed
  std::string note;
};

// Limits checked by validatePlan.
inline constexpr int kMinSlotMinutes = 5;
inline constexpr int kMaxSlotMinutes = 480;
inline constexpr int kMaxCapacity = 100;
inline constexpr int kMaxDaysAhead = 366;
// The longest range of local days one slotsBetween call accepts.
inline constexpr int kMaxQueryDays = 366;

// How one office offers one service by appointment.
struct WorkingPlan {
  const date::time_zone* tz = nullptr;  // the ente's time zone; required
  std::vector<WeeklyPeriod> periods;
  std::vector<WeeklyPeriod> breaks;
  int slotMinutes = 30;  // kMinSlotMinutes … kMaxSlotMinutes
  int capacity = 1;      // places per slot (counters serving the service), 1 … kMaxCapacity
  std::vector<PlanException> exceptions;
  // Holidays as in the directory model (national holidays are always included).
  std::optional<date::month_day> patronDay;
  std::string patronName;
  std::vector<directory::Holiday> extraHolidays;
  // Booking window.
  std::chrono::minutes minNotice{24 * 60};  // ≥ 0
  int maxDaysAhead = 60;                    // 1 … kMaxDaysAhead, and > minNotice
};

struct Slot {
  date::year_month_day day;  // local date
  std::string start;         // local start, "HH:MM"
  int startMin = 0;          // the same, minutes since local midnight
  Seconds startUtc;
  Seconds endUtc;
  int capacity = 0;
  int free = 0;  // capacity − booked, never below 0
  bool operator==(const Slot&) const = default;
};

// Places already booked, by slot UTC start.
using BookedCounts = std::map<Seconds, int>;

struct DayAvailability {
  date::year_month_day day;
  int slots = 0;   // slots of the day inside the booking window
  int places = 0;  // their total capacity
  int free = 0;    // their free places
  bool operator==(const DayAvailability&) const = default;
};

// Checks the plan; kInvalid with the offending field ("slotMinutes", "periods[2].end",
// "exceptions[0].periods[1].start", "maxDaysAhead", …) otherwise.
Status validatePlan(const WorkingPlan& plan);

// The slots of the local days fromDay … toDay (both included) that fall in the booking window
// at `now`, sorted by start. kInvalid if the plan is invalid, a date is not a valid date,
// fromDay > toDay or the range is longer than kMaxQueryDays.
Result<std::vector<Slot>> slotsBetween(const WorkingPlan& plan, date::year_month_day fromDay,
                                       date::year_month_day toDay, Seconds now,
                                       const BookedCounts& booked);

// One entry per local day of the month (in order, all days present, zeros where nothing
// is bookable), for a month view. Errors as for slotsBetween (field "month").
Result<std::vector<DayAvailability>> monthAvailability(const WorkingPlan& plan, int year,
                                                       unsigned month, Seconds now,
                                                       const BookedCounts& booked);

// The slot of the plan starting at local `day` + `start` ("HH:MM"), ignoring the booking
// window and bookings (free = capacity). kInvalid (field "day" / "start") for malformed
// input or an invalid plan; kNotFound (field "start") if the plan has no such slot that day
// (closed, holiday, break, off the slot grid, or in a skipped DST hour).
Result<Slot> findSlot(const WorkingPlan& plan, date::year_month_day day, std::string_view start);

// Whether a slot starting at `startUtc` is inside the booking window at `now`.
bool inWindow(const WorkingPlan& plan, Seconds startUtc, Seconds now);

// What the booking flow checks before booking: findSlot, then the window (kInvalid, field
// "start", "too soon" / "too far ahead"), then the places (kConflict when free = 0). Returns
// the slot with its free places.
Result<Slot> checkRequestedSlot(const WorkingPlan& plan, date::year_month_day day,
                                std::string_view start, Seconds now, const BookedCounts& booked);

}  // namespace sportello::booking
