// Admitting a visit inside the caller's write transaction: reception's own "Apri la porta" and
// the one line's desks (line/) both admit through here, so the checks (still waiting, present,
// not reserved for someone else, no other video call) and the announcements are the same.
#pragma once

#include <string>

#include "platform/database.h"
#include "staff/types.h"

namespace sportello::reception {

// Admits visit `id` for `op`: kConflict when it is no longer waiting, is disconnected, or
// another operator or node admitted it first (compare-and-set); kForbidden when it is reserved
// for another operator.
Status admitVisit(Tx& tx, const std::string& id, const staff::Operator& op);

}  // namespace sportello::reception
