// What other capabilities ask of staff, besides the session lookup (`StaffService::session`
// and `require`, staff/service.h): one operator by id, and `serves` — the one answer to "may
// this staff member work on this office's things?". directory/store.h's counterpart:
// staff/store.h stays private to staff (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include <string>

#include "platform/database.h"
#include "staff/types.h"

namespace sportello::staff::lookup {

// Whether `ctx` serves office `officeId` of ente `enteId`: only staff of that ente, and among
// them an operator for the offices they belong to, a supervisor or an admin for every office.
bool serves(const StaffContext& ctx, const std::string& enteId, const std::string& officeId);

// The ente's operator `id` with their offices (kNotFound "operatore non trovato"); runs on the
// caller's connection (inside its transaction for a write).
Result<Operator> operatorById(sql::Connection& c, const std::string& enteId, const std::string& id);

// The ente's operators (active or not) with their presence and offices: the workspace's
// automatic assignment picks among them, supervision lists them.
Result<std::vector<Operator>> operatorsOf(sql::Connection& c, const std::string& enteId);

}  // namespace sportello::staff::lookup
