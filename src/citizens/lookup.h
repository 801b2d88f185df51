// What other capabilities ask of citizens, on the caller's connection (inside its write
// transaction when it is `tx.conn()`): whether the signed-in citizen behind a request holds an
// object of theirs (booking moves and cancels a claimed appointment from the personal area
// without the link's secret). citizens/store.h stays private to citizens
// (docs/ARCHITECTURE.md, "Capabilities"); CitizenService::require is the session check for
// citizens' own routes, this is the same check for a use case already inside a transaction.
#pragma once

#include <string>

#include "platform/caller.h"
#include "platform/database.h"

namespace sportello::citizens::lookup {

// The id of the citizen signed in by `caller` (its `sportello_citizen` cookie) on ente
// `enteId`: the session alive (30 minutes idle, 12 hours absolute: model/oidc.h), of that
// ente, and — when the request changes state — the CSRF token matching. kUnauthorized without
// a live session of this ente, kForbidden for a wrong CSRF token.
Result<std::string> signedInCitizen(sql::Connection& c, const Caller& caller,
                                    const std::string& enteId, int64_t nowMs);

// Whether citizen `citizenId` made or claimed object (`kind`, `ref`) of ente `enteId`
// (`kind`: "booking" with the booking's code, "visit" / "ticket" / "case" with the id).
Result<bool> ownsObject(sql::Connection& c, const std::string& enteId, const std::string& kind,
                        const std::string& ref, const std::string& citizenId);

// Both: the caller is signed in on the ente and owns the object. kUnauthorized / kForbidden as
// signedInCitizen; kNotFound when the object is not theirs (a wrong ref says no more).
Status callerOwns(sql::Connection& c, const Caller& caller, const std::string& enteId,
                  const std::string& kind, const std::string& ref, int64_t nowMs);

}  // namespace sportello::citizens::lookup
