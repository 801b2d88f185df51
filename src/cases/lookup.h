// What other capabilities read and take of cases, on the caller's connection (inside its write
// transaction when it is `tx.conn()`): the one line takes a due callback for a desk
// (compare-and-set, so a callback is taken once whoever chose it) and shows it; feedback reads
// a case by id or by its holder's tracking code and secret. cases/store.h
// stays private to cases (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include <string>
#include <vector>

#include "cases/types.h"
#include "platform/database.h"

namespace sportello::cases::lookup {

// Any ente's callback `id` (kNotFound when there is none).
Result<Callback> callback(sql::Connection& c, const std::string& id);
// A desk takes the due callback from the one line (open, not taken, not assigned to someone
// else); it is then assigned to `operatorId`. False when it was not free.
Result<bool> takeCallback(sql::Connection& c, const std::string& id, const std::string& operatorId,
                          int64_t now);

// Any ente's case `id` (kNotFound when there is none): feedback records a phone call's rating.
Result<StoredCase> caseById(sql::Connection& c, const std::string& id);
// The case of ente `enteId` with tracking code `code` (as typed) whose secret is `secret` (as
// typed): the one check of the citizen's tracking link. One kNotFound for every failure.
Result<StoredCase> holderCase(sql::Connection& c, const std::string& enteId,
                              const std::string& code, const std::string& secret);

// The timeline entries of case `caseId` the citizen may see (state changes, public replies…;
// never internal notes), oldest first: the citizens' personal area shows them.
Result<std::vector<TimelineEntry>> citizenTimeline(sql::Connection& c, const std::string& caseId);

}  // namespace sportello::cases::lookup
