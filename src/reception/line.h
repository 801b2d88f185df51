// The waiting room's place in the office's one line (docs/LINE.md): a knock's position counts
// the hall's tickets for the office's services that arrived before it. The queue tells
// reception here when such a ticket leaves the line or joins it, so those waiting rooms move
// live (queue.left / queue.joined on the office's queue topic, `k` between knock numbers).
#pragma once

#include <string>

#include "platform/database.h"

namespace sportello::reception {

// A waiting ticket of `serviceId`, issued at `issuedAt`, joined the line (issued, or
// transferred in keeping its arrival) or left it (`why`: "called", "cancelled",
// "transferred"). `aheadOfAll`: it is served before every walk-in knock whatever its arrival (a
// priority ticket, an appointment that is due), so every waiting room of the office moves.
Status ticketJoinedLine(Tx& tx, const std::string& serviceId, int64_t issuedAt, bool aheadOfAll);
Status ticketLeftLine(Tx& tx, const std::string& serviceId, int64_t issuedAt, bool aheadOfAll,
                      const char* why);

// The phone ticket's side of the same line: the connected knocks on `serviceId`'s office
// waiting ahead of a ticket issued at `issuedAt` (appointments' visits, and walk-ins who
// knocked first).
Result<int64_t> knocksAhead(sql::Connection& c, const std::string& serviceId, int64_t issuedAt);

}  // namespace sportello::reception
