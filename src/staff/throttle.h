// Login throttling: at most `limit` failures per key within `window`; further
// attempts are refused until the oldest failure leaves the window. Used per
// account and per address. Thread-safe. State is per node (a restart forgets
// it, which only relaxes the limit).
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace sportello::staff {

class Throttle {
 public:
  Throttle(const Clock& clock, int limit, std::chrono::milliseconds window)
      : clock_(clock), limit_(limit), window_(window) {}
  // 0 when allowed; otherwise the seconds to wait.
  int64_t retryAfterSeconds(const std::string& key);
  void recordFailure(const std::string& key);
  void reset(const std::string& key);

 private:
  void prune(std::deque<int64_t>& q, int64_t now);
  const Clock& clock_;
  int limit_;
  std::chrono::milliseconds window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // GUARDED_BY(mu_)
};

}  // namespace sportello::staff
