#include "queue/model/stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace sportello::queue {

DurationStats durationStats(std::vector<double> seconds) {
  std::erase_if(seconds, [](double v) { return v < 0 || std::isnan(v); });
  DurationStats d;
  d.count = static_cast<int64_t>(seconds.size());
  if (seconds.empty()) return d;
  std::sort(seconds.begin(), seconds.end());
  size_t n = seconds.size();
  d.meanS = std::accumulate(seconds.begin(), seconds.end(), 0.0) / static_cast<double>(n);
  d.medianS = n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2.0;
  // Nearest rank: ceil(0.9 × n), 1-based.
  size_t rank = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(n)));
  d.p90S = seconds[std::clamp<size_t>(rank, 1, n) - 1];
  return d;
}

namespace {

struct Acc {
  GroupStats g;
  std::vector<double> waits, services;
};

void add(Acc& a, const TicketFacts& t, int hour) {
  ++a.g.issued;
  if (t.state == "done") ++a.g.served;
  else if (t.state == "no_show") ++a.g.noShows;
  else if (t.state == "cancelled") ++a.g.cancelled;
  else if (t.state == "expired")
    ++a.g.expired;
  else ++a.g.open;
  if (hour >= 0 && hour < 24) ++a.g.perHour[static_cast<size_t>(hour)];
  if (t.calledAt) a.waits.push_back(static_cast<double>(*t.calledAt - t.issuedAt) / 1000.0);
  if (t.state == "done" && t.startedAt && t.endedAt) {
    a.services.push_back(static_cast<double>(*t.endedAt - *t.startedAt) / 1000.0);
  }
}

GroupStats finish(Acc& a) {
  a.g.waiting = durationStats(std::move(a.waits));
  a.g.service = durationStats(std::move(a.services));
  return a.g;
}

}  // namespace

QueueStats computeQueueStats(const std::vector<TicketFacts>& tickets, const date::time_zone* tz) {
  Acc total;
  std::map<std::string, Acc> services, counters;
  for (const auto& t : tickets) {
    auto at = date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(t.issuedAt));
    auto local = tz->to_local(at);
    auto sinceMidnight = local - date::floor<date::days>(local);
    int hour = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(sinceMidnight).count());
    add(total, t, hour);
    add(services[t.serviceId], t, hour);
    if (t.counterId) add(counters[*t.counterId], t, hour);
  }
  QueueStats s;
  s.total = finish(total);
  for (auto& [id, a] : services) s.byService[id] = finish(a);
  for (auto& [id, a] : counters) s.byCounter[id] = finish(a);
  return s;
}

}  // namespace sportello::queue
