#include "core/clock.h"

#include <date/date.h>

#include <sstream>

namespace sportello {

SysMillis SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

OffsetClock::OffsetClock(SysMillis start) : offset_(start - SystemClock().now()) {}

SysMillis OffsetClock::now() const {
  return SystemClock().now() + offset_;
}

std::string formatIso(SysMillis t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  if (secs == t) return date::format("%FT%TZ", secs);
  return date::format("%FT%TZ", t);
}

std::string formatIsoMs(int64_t ms) {
  return formatIso(SysMillis(std::chrono::milliseconds(ms)));
}

Result<SysMillis> parseIso(std::string_view s) {
  std::istringstream in{std::string(s)};
  date::sys_time<std::chrono::milliseconds> tp;
  std::string rest;
  if (s.size() >= 20 && (s.back() == 'Z' || s.back() == 'z')) {
    in >> date::parse("%FT%T", tp);
    if (!in.fail()) {
      in >> rest;
      if (rest == "Z" || rest == "z") return SysMillis(tp);
    }
  } else {
    in >> date::parse("%FT%T%Ez", tp);
    if (!in.fail()) {
      in >> rest;
      if (rest.empty()) return SysMillis(tp);
    }
  }
  return makeError(Errc::kInvalid,
                   "data e ora non valida, atteso ISO 8601 (es. 2026-11-23T09:00:00Z)");
}

}  // namespace sportello
