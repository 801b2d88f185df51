// Time is injected, never read directly (Envoy's TimeSource): tests and the
// browser suite drive the clock instead of sleeping. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sportello {

using SysMillis = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SysMillis now() const = 0;
  int64_t nowMs() const { return now().time_since_epoch().count(); }
};

class SystemClock final : public Clock {
 public:
  SysMillis now() const override;
};

// Real time shifted so that it read `start` when constructed (the `--now`
// option); it keeps advancing at the real pace.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(SysMillis start);
  SysMillis now() const override;

 private:
  std::chrono::milliseconds offset_;
};

// A clock tests set by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(SysMillis t) : ms_(t.time_since_epoch().count()) {}
  SysMillis now() const override { return SysMillis(std::chrono::milliseconds(ms_.load())); }
  void set(SysMillis t) { ms_ = t.time_since_epoch().count(); }
  void advance(std::chrono::milliseconds d) { ms_ += d.count(); }

 private:
  std::atomic<int64_t> ms_;
};

// ISO 8601 in UTC: "2026-11-23T09:00:00Z" (milliseconds shown only when
// non-zero).
std::string formatIso(SysMillis t);
std::string formatIsoMs(int64_t ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)".
Result<SysMillis> parseIso(std::string_view s);

}  // namespace sportello
