// Wait estimate for a citizen in a service's line, shown on the ticket and the board. Pure
// model (no I/O). The median of recent service durations resists the occasional very long
// or very short contact better than the mean; counters open for the service work in
// parallel, so the line advances in rounds of `openCounters` people.
//
//   wait = median(last N valid durations) × ceil(ahead / openCounters)
//
// - N defaults to 20; durations ≤ 0 are ignored (bad data) before taking the last N.
// - Fewer than 3 valid samples → the service's configured default duration is used instead.
// - An even number of samples: the median is the mean of the two middle values, rounded down
//   to whole seconds.
// - openCounters ≤ 0 → nullopt ("unknown": nobody is serving, even for the first in line);
//   otherwise ahead ≤ 0 → 0 seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace sportello::queue {

inline constexpr int kDefaultWaitSampleWindow = 20;
inline constexpr int kMinWaitSamples = 3;

struct WaitEstimateInput {
  int ahead = 0;                                // people in line before this one for the service
  int openCounters = 0;                         // counters open now that serve the service
  std::vector<int64_t> recentDurationsSec;      // oldest first, most recent last
  std::chrono::seconds defaultDuration{0};      // the service's configured duration
  int sampleWindow = kDefaultWaitSampleWindow;  // N; values < 1 count as 1
};

// The median of `samples` (mean of the middle two, rounded down, when even); nullopt when
// empty.
std::optional<int64_t> medianSeconds(std::vector<int64_t> samples);

std::optional<std::chrono::seconds> estimateWait(const WaitEstimateInput& in);

}  // namespace sportello::queue
