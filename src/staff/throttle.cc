#include "staff/throttle.h"

namespace sportello::staff {

void Throttle::prune(std::deque<int64_t>& q, int64_t now) {
  while (!q.empty() && q.front() <= now - window_.count()) q.pop_front();
}

int64_t Throttle::retryAfterSeconds(const std::string& key) {
  std::lock_guard lk(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  int64_t now = clock_.nowMs();
  prune(it->second, now);
  if (static_cast<int>(it->second.size()) < limit_) {
    if (it->second.empty()) failures_.erase(it);
    return 0;
  }
  int64_t waitMs = it->second.front() + window_.count() - now;
  return std::max<int64_t>(1, (waitMs + 999) / 1000);
}

void Throttle::recordFailure(const std::string& key) {
  std::lock_guard lk(mu_);
  if (failures_.size() > 100000) failures_.clear();  // bound memory under a spray attack
  auto& q = failures_[key];
  prune(q, clock_.nowMs());
  q.push_back(clock_.nowMs());
}

void Throttle::reset(const std::string& key) {
  std::lock_guard lk(mu_);
  failures_.erase(key);
}

}  // namespace sportello::staff
