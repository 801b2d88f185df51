// Wait estimate: see wait_estimate.h.
#include "queue/model/wait_estimate.h"

#include <algorithm>
#include <cstddef>

namespace sportello::queue {

std::optional<int64_t> medianSeconds(std::vector<int64_t> samples) {
  if (samples.empty()) return std::nullopt;
  const auto mid = static_cast<std::ptrdiff_t>(samples.size() / 2);
  std::nth_element(samples.begin(), samples.begin() + mid, samples.end());
  const int64_t upper = *(samples.begin() + mid);
  if (samples.size() % 2 == 1) return upper;
  const int64_t lower = *std::max_element(samples.begin(), samples.begin() + mid);
  // Floor of the mean without overflow (both values are positive here, but stay general).
  return lower + (upper - lower) / 2;
}

std::optional<std::chrono::seconds> estimateWait(const WaitEstimateInput& in) {
  if (in.openCounters <= 0) return std::nullopt;
  if (in.ahead <= 0) return std::chrono::seconds(0);

  const size_t window = static_cast<size_t>(std::max(in.sampleWindow, 1));
  std::vector<int64_t> valid;
  valid.reserve(window);
  // Walk from the most recent backwards, keeping the last `window` valid samples.
  for (auto it = in.recentDurationsSec.rbegin();
       it != in.recentDurationsSec.rend() && valid.size() < window; ++it) {
    if (*it > 0) valid.push_back(*it);
  }
  int64_t perPerson = in.defaultDuration.count();
  if (valid.size() >= static_cast<size_t>(kMinWaitSamples)) perPerson = *medianSeconds(valid);

  const int64_t rounds = (int64_t{in.ahead} + in.openCounters - 1) / in.openCounters;
  return std::chrono::seconds(perPerson * rounds);
}

}  // namespace sportello::queue
