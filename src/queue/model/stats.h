// Queue statistics for the monitoring dashboard (pure model, no I/O): from the tickets of a
// site issued in a period, per service and per counter
//   - issued, served (done), no-shows, cancelled, still open (waiting / called / serving);
//   - waiting time (issued → called) and service time (started → done) in seconds: mean,
//     median and 90th percentile (nearest rank) over the tickets that have both instants;
//   - tickets issued per local hour of the ente (24 buckets, 0 … 23, in the ente's time zone).
// A ticket counts for the service it is in now (after a transfer, the last one) and for the
// counter that called it last (none if it was never called). Waiting time uses the original
// issue time, so a transferred ticket's wait includes the time before the transfer.
#pragma once

#include <date/tz.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sportello::queue {

struct TicketFacts {
  std::string serviceId;
  std::optional<std::string> counterId;
  std::string state;     // waiting | called | serving | done | no_show | cancelled | expired
  int64_t issuedAt = 0;  // ms since the epoch
  std::optional<int64_t> calledAt, startedAt, endedAt;
};

struct DurationStats {
  int64_t count = 0;
  std::optional<double> meanS, medianS, p90S;  // nullopt when count == 0
};

struct GroupStats {
  int64_t issued = 0, served = 0, noShows = 0, cancelled = 0, open = 0;
  int64_t expired = 0;  // still open when their day closed
  DurationStats waiting, service;
  std::array<int64_t, 24> perHour{};  // by the local hour of issue
};

struct QueueStats {
  GroupStats total;
  std::map<std::string, GroupStats> byService;  // service id → stats
  std::map<std::string, GroupStats> byCounter;  // counter id → stats (called tickets only)
};

// Mean, median (mean of the middle two when even) and p90 (nearest rank: the smallest value
// with at least 90 % of the samples ≤ it) of `seconds`; negative values are ignored.
DurationStats durationStats(std::vector<double> seconds);

// `tz` must not be null.
QueueStats computeQueueStats(const std::vector<TicketFacts>& tickets, const date::time_zone* tz);

}  // namespace sportello::queue
