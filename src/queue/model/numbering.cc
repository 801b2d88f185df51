// Ticket numbering: see numbering.h. The only outside data is the tz database behind `tz`.
#include "queue/model/numbering.h"

#include <cstdio>

namespace sportello::queue {

date::year_month_day numberingDay(const date::time_zone* tz, SysMillis t) {
  // to_local never throws (sys → local is always defined, also in the repeated hour).
  return date::year_month_day{date::floor<date::days>(tz->to_local(t))};
}

Result<int> nextNumber(NumberingReset reset, const date::time_zone* tz,
                       const std::optional<LastIssued>& last, SysMillis now) {
  if (reset == NumberingReset::kDaily && tz == nullptr) {
    return makeError(Errc::kInvalid, "a time zone is required for daily numbering", "tz");
  }
  if (!last) return 1;
  if (last->number < 1 || last->number > kMaxTicketNumber) {
    return makeError(Errc::kInvalid, "the last ticket number is out of range", "number");
  }
  if (reset == NumberingReset::kDaily) {
    date::sys_days lastDay{numberingDay(tz, last->issuedAt)};
    date::sys_days today{numberingDay(tz, now)};
    if (today > lastDay) return 1;
  }
  if (last->number == kMaxTicketNumber) {
    return makeError(Errc::kConflict, "the ticket numbering is exhausted", "number");
  }
  return last->number + 1;
}

Result<std::string> formatTicketCode(char prefix, int number) {
  if (prefix < 'A' || prefix > 'Z') {
    return makeError(Errc::kInvalid, "the prefix must be a letter A-Z", "prefix");
  }
  if (number < 1 || number > kMaxTicketNumber) {
    return makeError(Errc::kInvalid, "the ticket number is out of range", "number");
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%03d", prefix, number);
  return std::string(buf);
}

}  // namespace sportello::queue
