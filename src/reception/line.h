// The waiting room's place in the office's one line (docs/LINE.md): a knock's position counts
// the hall's tickets for the office's services that arrived before it. The queue tells
// reception here when such a ticket leaves the line or joins it, so those waiting rooms move
// live (queue.left / queue.joined on the office's queue topic, `k` between knock numbers).
#pragma once

#include <string>

#include "platform/database.h"

namespace sportello::reception {

// A waiting ticket of `serviceId`, issued at `issuedAt`, left the line (`why`: "called",
// "cancelled", "transferred").
Status ticketLeftLine(Tx& tx, const std::string& serviceId, int64_t issuedAt, const char* why);
// A ticket joined the line of `serviceId`'s office keeping its arrival (a transfer).
Status ticketJoinedLine(Tx& tx, const std::string& serviceId, int64_t issuedAt);

}  // namespace sportello::reception
