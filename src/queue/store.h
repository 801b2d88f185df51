// Queue's SQL (migration 500): counters and the services they serve, numbering sequences,
// tickets and their history. Every function runs on the caller's connection (inside its
// transaction, for writes).
#pragma once

#include "platform/database.h"
#include "queue/model/stats.h"
#include "queue/types.h"

namespace sportello::queue::store {

std::vector<Migration> migrations();

Status insertCounter(sql::Connection& c, const Counter& k, int64_t now);
Result<Counter> counter(sql::Connection& c, const std::string& id);
Result<std::vector<Counter>> counters(sql::Connection& c, const std::string& enteId,
                                      const std::string& siteId);  // siteId "" = all sites
Status setCounterState(sql::Connection& c, const std::string& id, CounterState s,
                       int consecutivePriorityCalls);

// Takes the lock on the (site, service) sequence row, then returns the last ticket issued
// from it; the caller inserts the new ticket and calls setLastIssued in the same transaction.
// Two writers (PostgreSQL, several nodes) serialise on the row lock.
Result<std::optional<std::pair<int64_t, int64_t>>> lockSequence(sql::Connection& c,
                                                                const std::string& siteId,
                                                                const std::string& serviceId);
Status setLastIssued(sql::Connection& c, const std::string& siteId, const std::string& serviceId,
                     int64_t number, int64_t at);

Status insertTicket(sql::Connection& c, const StoredTicket& t);
Result<StoredTicket> ticket(sql::Connection& c, const std::string& id);
// Tickets of a site in `state` (oldest first), optionally of some services only.
Result<std::vector<StoredTicket>> ticketsOf(sql::Connection& c, const std::string& siteId,
                                            TicketState state, int64_t limit);
// The waiting tickets call-next must consider for a counter serving `serviceIds`: every one with
// a priority reason (appointments included), and the `oldestPerService` oldest without one in
// each service (the policy never picks a younger one). Index range scans only, so a call costs
// the same with 10 or 10,000 people waiting.
Result<std::vector<StoredTicket>> callCandidates(sql::Connection& c, const std::string& siteId,
                                                 const std::vector<std::string>& serviceIds,
                                                 int64_t oldestPerService);
// The ticket a counter is handling (called or serving), if any.
Result<std::optional<StoredTicket>> currentOf(sql::Connection& c, const std::string& counterId);
// Calls the ticket for the counter only if it is still waiting (compare-and-set).
Result<bool> claim(sql::Connection& c, const std::string& ticketId, const std::string& counterId,
                   int64_t now);
Status update(sql::Connection& c, const StoredTicket& t);
// Active (waiting, called, serving) phone tickets of a client for a service at a site.
Result<int64_t> activePhoneTickets(sql::Connection& c, const std::string& siteId,
                                   const std::string& serviceId, const std::string& clientKey);

Status addHistory(sql::Connection& c, const std::string& ticketId, const std::string& action,
                  const std::optional<std::string>& counterId,
                  const std::optional<std::string>& operatorId,
                  const std::optional<std::string>& detail, int64_t at);
Result<std::vector<HistoryEntry>> history(sql::Connection& c, const std::string& ticketId);

// Waiting tickets of a service at a site, and of those issued before `issuedAt` (position).
// Tickets of `enteId` still waiting or called on a numbering day before `today` (YYYY-MM-DD),
// oldest first, at most `limit`.
Result<std::vector<StoredTicket>> staleTickets(sql::Connection& c, const std::string& enteId,
                                               const std::string& today, int64_t limit);
Result<int64_t> waitingCount(sql::Connection& c, const std::string& siteId,
                             const std::string& serviceId);
Result<int64_t> waitingBefore(sql::Connection& c, const std::string& siteId,
                              const std::string& serviceId, int64_t issuedAt,
                              const std::string& id);
// Open counters of the site that serve the service.
Result<int64_t> openCountersFor(sql::Connection& c, const std::string& siteId,
                                const std::string& serviceId);
// Durations (seconds, oldest first) of the last `n` tickets of the service served to the end.
Result<std::vector<int64_t>> recentDurations(sql::Connection& c, const std::string& serviceId,
                                             int64_t n);

// Statistics: the tickets of a site issued in [from, to) (ms), at most `limit`.
Result<std::vector<TicketFacts>> ticketFacts(sql::Connection& c, const std::string& siteId,
                                             int64_t from, int64_t to, int64_t limit);

// Counter editing: name and services (replaced), and whether it is active (an inactive
// counter is closed and cannot call).
Status updateCounter(sql::Connection& c, const Counter& k);

// Retention: forgets the client address hash of tickets issued before `before`.
Result<int64_t> forgetClientKeys(sql::Connection& c, int64_t before);

}  // namespace sportello::queue::store
