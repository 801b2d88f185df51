// Ticket numbering (eliminacode): a ticket code is the service's prefix letter followed by
// its number, zero-padded to 3 digits ("A023"; from 1000 on all digits are kept: "A1000").
// Numbers restart at 1 every day at the ente's local midnight (time zone aware, so the DST
// nights of March and October still have exactly one restart each), or — per service —
// never (one continuous sequence). Pure model (no I/O); the store keeps the last issued
// ticket per service and serialises issuing.
//
// Clock skew: if `now` falls on an earlier numbering day than the last ticket (the clock went
// back), numbering continues from the last number instead of restarting, so a code is never
// issued twice on one day.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace sportello::queue {

// When a service's numbering restarts at 1.
enum class NumberingReset {
  kDaily,  // at the ente's local midnight
  kNever,  // continuous numbering
};

// The highest number a ticket can carry; issuing beyond it is a kConflict.
inline constexpr int kMaxTicketNumber = 999999;

// The last ticket issued for a service.
struct LastIssued {
  int number = 0;  // 1 … kMaxTicketNumber
  SysMillis issuedAt;
};

// The local calendar day, in `tz`, that contains instant `t`: the day a daily numbering
// belongs to. `tz` must not be null.
date::year_month_day numberingDay(const date::time_zone* tz, SysMillis t);

// The number for a ticket issued at `now`:
// - no last ticket → 1;
// - kDaily: 1 if numberingDay(now) is after numberingDay(last.issuedAt), else last + 1;
// - kNever: last + 1.
// kInvalid when tz is null for kDaily (field "tz") or last.number is outside 1 …
// kMaxTicketNumber (field "number"); kConflict when the sequence is exhausted.
Result<int> nextNumber(NumberingReset reset, const date::time_zone* tz,
                       const std::optional<LastIssued>& last, SysMillis now);

// "A023", "B999", "A1000". kInvalid when prefix is not an upper-case ASCII letter A–Z
// (field "prefix") or number is outside 1 … kMaxTicketNumber (field "number").
Result<std::string> formatTicketCode(char prefix, int number);

}  // namespace sportello::queue
