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
// The cap on concurrent conversations (ContactSettings::maxChats of the visit's office, else
// its ente) is checked here too: kConflict with reason "cap" when `op` is at it.
Status admitVisit(Tx& tx, const std::string& id, const staff::Operator& op);

// Automatic assignment (an office's ContactSettings::autoAssign): gives the office's waiting,
// connected, unreserved visits, oldest knock first, to its available operators round robin
// (the one given a contact longest ago first), each under their cap; never one visit to two
// operators (admitVisit's compare-and-set, on one node or several). Returns how many it gave.
// Called after a knock, an end, a transfer and a presence change, and by every node's sweep.
Result<int64_t> assignWaiting(Tx& tx, const std::string& officeId);

}  // namespace sportello::reception
