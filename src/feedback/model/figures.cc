#include "feedback/model/figures.h"

#include <algorithm>

namespace sportello::feedback {

size_t bucketOf(int64_t ms) {
  int64_t s = std::max<int64_t>(ms, 0) / 1000;
  auto it = std::upper_bound(kBucketEdgesS.begin(), kBucketEdgesS.end(), s);
  return static_cast<size_t>(it - kBucketEdgesS.begin());
}

std::optional<double> quantileS(const Histogram& h, double q) {
  int64_t n = 0;
  for (auto x : h) n += x;
  if (n == 0) return std::nullopt;
  double rank = q * static_cast<double>(n);  // the rank-th duration, counting from 0
  int64_t below = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i] == 0) continue;
    if (static_cast<double>(below + h[i]) > rank) {
      double lo = i == 0 ? 0.0 : static_cast<double>(kBucketEdgesS[i - 1]);
      if (i == h.size() - 1) return lo;
      double hi = static_cast<double>(kBucketEdgesS[i]);
      double within = (rank - static_cast<double>(below)) / static_cast<double>(h[i]);
      return lo + (hi - lo) * within;
    }
    below += h[i];
  }
  return static_cast<double>(kBucketEdgesS.back());
}

LocalSlot localSlot(int64_t ms, const date::time_zone* tz) {
  using Ms = std::chrono::milliseconds;
  auto z = date::make_zoned(tz, date::sys_time<Ms>(Ms(ms)));
  auto lt = z.get_local_time();
  auto day = date::floor<date::days>(lt);
  auto h = date::floor<std::chrono::hours>(lt - day).count();
  return {date::format("%F", date::year_month_day{day}), static_cast<int>(h)};
}

ContactCounts& ContactCounts::operator+=(const ContactCounts& o) {
  contacts += o.contacts;
  served += o.served;
  abandoned += o.abandoned;
  noShow += o.noShow;
  fcrEligible += o.fcrEligible;
  fcrYes += o.fcrYes;
  waitN += o.waitN;
  waitSumMs += o.waitSumMs;
  serviceN += o.serviceN;
  serviceSumMs += o.serviceSumMs;
  for (size_t i = 0; i < kBuckets; ++i) {
    wait[i] += o.wait[i];
    service[i] += o.service[i];
  }
  for (size_t i = 0; i < 24; ++i) byHour[i] += o.byHour[i];
  return *this;
}

}  // namespace sportello::feedback
