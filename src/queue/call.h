// Calling a ticket to a counter, inside the caller's write transaction: the queue's own
// call-next and the one line's desks (line/) both call through here, so a ticket is called,
// recorded, shown on the board and announced to its holder the same way whoever chose it.
#pragma once

#include <optional>
#include <string>

#include "platform/database.h"
#include "queue/model/call_policy.h"
#include "queue/types.h"

namespace sportello::queue {

// The counter `counterId` of the ente, ready to call: kNotFound when it is not the ente's,
// kConflict (reason "inactive") when it was deactivated.
Result<Counter> counterForCall(sql::Connection& c, const std::string& counterId,
                               const std::string& enteId);

// Before a call at `k`: the ticket it was handling is done, and the ente's earlier days are
// closed (yesterday's tickets are never called today, even before the midnight sweep ran).
Status beforeCall(Tx& tx, const Counter& k, const std::string& operatorId, int64_t now);

// Calls `ticketId` to `k` only if it is still waiting (compare-and-set): history, one board
// event, the holder's "your turn". nullopt when another counter or node called it first.
Result<std::optional<StoredTicket>> callTicket(Tx& tx, const Counter& k,
                                               const std::string& ticketId,
                                               const std::string& operatorId, CallKind kind,
                                               int64_t now);

// After a call: the counter is open (announced when it was not) with its priority streak.
Status markOpen(Tx& tx, Counter& k);

// The counter closes (announced when it was open): its desk closed.
Status markClosed(Tx& tx, Counter& k);

// The candidate tickets a counter at `siteId` serving `serviceIds` considers (every priority
// ticket, the oldest normal ones per service).
Result<std::vector<StoredTicket>> callCandidatesFor(sql::Connection& c, const std::string& siteId,
                                                    const std::vector<std::string>& serviceIds);

// The ticket as the call policy sees it.
Ticket modelTicket(const StoredTicket& t);

}  // namespace sportello::queue
