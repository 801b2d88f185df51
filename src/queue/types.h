// Queue records (eliminacode): counters (postazioni) of a site and the services each serves,
// and the tickets as stored, with their history of counter actions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "queue/model/ticket.h"

namespace sportello::queue {

// closed: nobody at it; open: calling; paused: staffed but not calling (not counted in the
// wait estimate). call-next opens a closed or paused counter.
enum class CounterState { kClosed, kOpen, kPaused };
const char* counterStateName(CounterState s);
std::optional<CounterState> parseCounterState(std::string_view s);

struct Counter {
  std::string id, enteId, siteId, name;
  CounterState state = CounterState::kClosed;
  int consecutivePriorityCalls = 0;  // kept for the call policy's fairness guard
  bool active = true;  // an inactive counter (deactivated by an admin) is closed and never calls
  std::vector<std::string> serviceIds;
};

// waiting → called → serving → done; called → no_show; waiting → cancelled (by the citizen);
// transfer puts a waiting / called / serving ticket back to waiting in another service.
// kExpired ("scaduto"): still waiting or called when its numbering day ended (the ente's local
// midnight); never called afterwards.
enum class TicketState { kWaiting, kCalled, kServing, kDone, kNoShow, kCancelled, kExpired };
const char* ticketStateName(TicketState s);
std::optional<TicketState> parseTicketState(std::string_view s);
std::optional<PriorityReason> parsePriorityReason(std::string_view s);

struct StoredTicket {
  std::string id, enteId, siteId;
  std::string serviceId, serviceName, servicePrefix;  // current service
  std::string numberedBy;                             // the service whose sequence gave the number
  std::string code, day;  // day: the numbering day, "YYYY-MM-DD" in the ente's time zone
  int64_t number = 0;
  PriorityReason priority = PriorityReason::kNone;
  std::optional<int64_t> appointmentAt;
  std::string source;  // machine | phone
  std::string lang;
  std::string tokenHash;  // sha256 of the follow token; never rendered
  std::string clientKey;  // phone: sha256 of the client address (the per-person limit)
  TicketState state = TicketState::kWaiting;
  int64_t issuedAt = 0;
  std::optional<int64_t> calledAt, startedAt, endedAt;
  std::optional<std::string> counterId, counterName;
  int64_t recalls = 0;
  std::optional<std::string> transferredFrom;
  std::optional<int64_t> transferredAt;
};

struct HistoryEntry {
  std::string action;  // issued | called | recalled | started | done | no_show | transferred |
                       // cancelled
  std::optional<std::string> counterName, operatorName, detail;
  int64_t at = 0;
};

}  // namespace sportello::queue
