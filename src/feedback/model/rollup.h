// Satisfaction roll-ups: the hour a contact counts in, the ente's local days of a report period
// (Europe/Rome: a day is 23 or 25 hours on the DST Sundays), and the counts that add up. Rome's
// offset is a whole number of hours, so an hour in UTC is an hour in local time: the writer keeps
// UTC hours, a report groups them by local day. Pure; unit-tested in tests/unit/feedback.
#pragma once

#include <date/tz.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "feedback/model/rating.h"

namespace sportello::feedback {

inline constexpr int64_t kHourMs = 3'600'000;
// A report spans at most this many local days.
inline constexpr int kMaxReportDays = 366;

// The start of the UTC hour holding `ms` (floor, also before 1970).
int64_t hourStart(int64_t ms);
// The local calendar day "YYYY-MM-DD" of the instant `ms` in `tz`.
std::string localDay(int64_t ms, const date::time_zone* tz);
// [start, end) in UTC ms of the local days `from`..`to` (inclusive, "YYYY-MM-DD") in `tz`.
// kInvalid naming "from" / "to": a malformed or impossible date, to before from, more than
// kMaxReportDays days.
Result<std::pair<int64_t, int64_t>> periodOf(std::string_view from, std::string_view to,
                                             const date::time_zone* tz);

// Faces and reasons counted (the reasons in the order of reasons()).
struct Counts {
  int64_t positive = 0, neutral = 0, negative = 0;
  std::array<int64_t, 6> reasons{};
  int64_t total() const { return positive + neutral + negative; }
  Counts& operator+=(const Counts& o);
  // The counts of one rating.
  static Counts of(Score s, const std::vector<std::string>& reasons);
};

}  // namespace sportello::feedback
