#include "feedback/model/rollup.h"

#include <algorithm>
#include <cstdio>

namespace sportello::feedback {

namespace {
using Ms = std::chrono::milliseconds;

std::optional<date::local_days> parseDay(std::string_view s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  y = std::stoi(std::string(s.substr(0, 4)));
  m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days{ymd};
}

// The UTC instant of local midnight starting day `d` (the earliest, should midnight repeat).
int64_t midnight(date::local_days d, const date::time_zone* tz) {
  auto z = date::make_zoned(tz, d, date::choose::earliest);
  return std::chrono::duration_cast<Ms>(z.get_sys_time().time_since_epoch()).count();
}
}  // namespace

int64_t hourStart(int64_t ms) {
  int64_t q = ms / kHourMs;
  if (ms % kHourMs < 0) --q;
  return q * kHourMs;
}

std::string localDay(int64_t ms, const date::time_zone* tz) {
  auto z = date::make_zoned(tz, date::sys_time<Ms>(Ms(ms)));
  auto day = date::floor<date::days>(z.get_local_time());
  return date::format("%F", date::year_month_day{day});
}

Result<std::pair<int64_t, int64_t>> periodOf(std::string_view from, std::string_view to,
                                             const date::time_zone* tz) {
  auto f = parseDay(from);
  if (!f) return makeError(Errc::kInvalid, "from: una data AAAA-MM-GG", "from");
  auto t = parseDay(to);
  if (!t) return makeError(Errc::kInvalid, "to: una data AAAA-MM-GG", "to");
  if (*t < *f) return makeError(Errc::kInvalid, "to: non prima di from", "to");
  if ((*t - *f).count() >= kMaxReportDays) {
    return makeError(Errc::kInvalid, "to: al massimo 366 giorni", "to");
  }
  return std::make_pair(midnight(*f, tz), midnight(*t + date::days{1}, tz));
}

Counts& Counts::operator+=(const Counts& o) {
  positive += o.positive;
  neutral += o.neutral;
  negative += o.negative;
  for (size_t i = 0; i < reasons.size(); ++i) reasons[i] += o.reasons[i];
  return *this;
}

Counts Counts::of(Score s, const std::vector<std::string>& given) {
  Counts c;
  (s == Score::kPositive ? c.positive : s == Score::kNeutral ? c.neutral : c.negative) = 1;
  const auto& all = feedback::reasons();
  for (const auto& r : given) {
    auto it = std::find(all.begin(), all.end(), r);
    if (it != all.end()) c.reasons[static_cast<size_t>(it - all.begin())] = 1;
  }
  return c;
}

}  // namespace sportello::feedback
