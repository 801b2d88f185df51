// The contact figures' roll-up (issue 16), pure: the ente's local day and hour a contact counts
// in, the fixed-bucket histograms of waiting and service time (so a median and a p90 can be read
// from summed buckets, never from the contacts), and the counts of one roll-up cell that add up.
// Unit-tested in tests/unit/feedback/figures_test.cc.
#pragma once

#include <date/tz.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace sportello::feedback {

// Upper edges, in seconds, of the histogram buckets; the last bucket is open ("over 2 hours").
// Bucket i holds durations d with edge[i-1] <= d < edge[i] (edge[-1] = 0).
inline constexpr std::array<int64_t, 14> kBucketEdgesS = {30,  60,   120,  180,  300,  450,  600,
                                                          900, 1200, 1800, 2700, 3600, 5400, 7200};
inline constexpr size_t kBuckets = kBucketEdgesS.size() + 1;
using Histogram = std::array<int64_t, kBuckets>;

// The bucket of a duration in ms (negative counts as 0).
size_t bucketOf(int64_t ms);
// The q-quantile (0 < q < 1) of the durations counted in `h`, in seconds, interpolated linearly
// inside its bucket (so within one bucket's width of the true value); the open last bucket
// answers its lower edge. nullopt when `h` is empty.
std::optional<double> quantileS(const Histogram& h, double q);

// The ente's local calendar day ("YYYY-MM-DD") and hour of the day (0–23) of the instant `ms`.
// On the autumn DST Sunday 02:00–02:59 happens twice and both count in hour 2; in spring there
// is no hour 2.
struct LocalSlot {
  std::string day;
  int hour = 0;
};
LocalSlot localSlot(int64_t ms, const date::time_zone* tz);

// One roll-up cell: contacts and outcomes, first-contact resolution, the two histograms, and the
// contacts by local hour of the day (volumes per hour over any period).
struct ContactCounts {
  int64_t contacts = 0, served = 0, abandoned = 0, noShow = 0;
  int64_t fcrEligible = 0, fcrYes = 0;
  int64_t waitN = 0, waitSumMs = 0, serviceN = 0, serviceSumMs = 0;
  Histogram wait{}, service{};
  std::array<int64_t, 24> byHour{};
  ContactCounts& operator+=(const ContactCounts& o);
};

// First-contact resolution target (seed 001, Milano: ~80% answered at first contact).
inline constexpr double kFcrTarget = 0.8;

}  // namespace sportello::feedback
