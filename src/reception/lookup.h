// What other capabilities read of reception, on the caller's connection (inside its write
// transaction when it is `tx.conn()`): a visit by id (cases link a case to the visit it came
// from; the one line shows the visit it admitted) and a kiosk by its token's hash (a ticket
// issued from a kiosk). reception/store.h stays private to reception (docs/ARCHITECTURE.md,
// "Capabilities"); taking a visit from the line is reception/admit.h.
#pragma once

#include <string>
#include <vector>

#include "platform/database.h"
#include "reception/types.h"

namespace sportello::reception::lookup {

// kNotFound when there is no such visit (any ente: the caller checks `enteId`).
Result<Visit> visit(sql::Connection& c, const std::string& id);
// The ente's visits in progress (admitted), oldest admission first: who serves whom.
Result<std::vector<Visit>> admittedOf(sql::Connection& c, const std::string& enteId);
// A visit's internal notes, oldest first (cases copy them into a case opened from the visit).
Result<std::vector<VisitNote>> visitNotes(sql::Connection& c, const std::string& visitId);
// The contact settings that apply to an office (its own, else the ente's): the line's wall
// reads the target wait.
Result<ContactSettings> contactSettings(sql::Connection& c, const std::string& enteId,
                                        const std::string& officeId);
// The visit's chat, oldest first (at most 1000 messages): the citizens' personal area shows
// its transcript to the citizen who made or claimed the visit.
Result<std::vector<Message>> transcript(sql::Connection& c, const std::string& visitId);
// The active kiosk with that token hash; kNotFound otherwise.
Result<Kiosk> kioskByToken(sql::Connection& c, const std::string& tokenHash);

}  // namespace sportello::reception::lookup
