// Rights that end. A use case that ends a right (logout, deactivation, password change, a
// visit transferred to another office, a visit token replaced) calls one of these in its own
// write transaction. After COMMIT, on every node (through the PostgreSQL bus), the WebSocket
// hub stops delivering to the subscriptions that depended on that right at once and
// authorises them again: those that still pass catch up from the event log (nothing is lost),
// the others get {"op":"revoked","topic":…}. See docs/SECURITY.md, "What ends a subscription".
#pragma once

#include <string>

#include "platform/database.h"

namespace sportello {

// The internal topic these notices travel on (never subscribable: no authoriser knows it).
inline constexpr const char* kRightsTopic = "sys:rights";

// Ends the live rights of operator `operatorId`: every topic followed as "staff:{id}" is
// authorised again (e.g. the session was deleted, the role or the offices changed).
Status revokeStaff(Tx& tx, const std::string& operatorId);

// Ends the live rights on `topic`: every follower is authorised again (e.g. the visit moved to
// another office, its citizen token was replaced).
Status revokeTopic(Tx& tx, const std::string& topic);

}  // namespace sportello
