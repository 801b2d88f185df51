// What other capabilities read of the queue, on the caller's connection (inside its write
// transaction when it is `tx.conn()`): a counter by id and a site's tickets in a state (the one
// line lists the hall's waiting tickets and closes a desk's counter). queue/store.h stays
// private to the queue (docs/ARCHITECTURE.md, "Capabilities"); calling a ticket is queue/call.h,
// an appointment's check-in queue/checkin.h.
#pragma once

#include <string>
#include <vector>

#include "platform/database.h"
#include "queue/types.h"

namespace sportello::queue::lookup {

// Any ente's counter `id` (kNotFound when there is none: the caller checks `enteId`).
Result<Counter> counter(sql::Connection& c, const std::string& id);
// Tickets of a site in `state` (oldest first), at most `limit`.
Result<std::vector<StoredTicket>> ticketsOf(sql::Connection& c, const std::string& siteId,
                                            TicketState state, int64_t limit);

// The ticket `id` whose follow token is `token` (the phone ticket page's, the paper ticket's QR):
// feedback rates it. One kNotFound "biglietto non trovato" for an unknown id or a wrong token.
Result<StoredTicket> holderTicket(sql::Connection& c, const std::string& id,
                                  const std::string& token);

// Any ente's ticket `id` (kNotFound when there is none: the caller checks `enteId`): the
// citizens' personal area shows a claimed ticket's live state.
Result<StoredTicket> ticket(sql::Connection& c, const std::string& id);

}  // namespace sportello::queue::lookup
