// The citizens capability's SQL (private to src/citizens): migrations 1100+, providers,
// pending sign-ins, citizens, sessions.
#pragma once

#include <optional>
#include <vector>

#include "citizens/types.h"
#include "platform/database.h"
#include "platform/sql/sql.h"

namespace sportello::citizens::store {

std::vector<Migration> migrations();

Status upsertProvider(sql::Connection& c, const Provider& p);
Result<std::vector<Provider>> providers(sql::Connection& c, const std::string& enteId);
Result<Provider> provider(sql::Connection& c, const std::string& enteId, const std::string& key);
Result<int64_t> deleteProvider(sql::Connection& c, const std::string& enteId,
                               const std::string& key);

Status insertPending(sql::Connection& c, const PendingLogin& p);
// Takes (reads and deletes) a pending sign-in: a state is used once.
Result<PendingLogin> takePending(sql::Connection& c, const std::string& stateHash);
Status deleteExpiredPending(sql::Connection& c, int64_t nowMs);

// The citizen of (ente, fiscal number), created or updated with the attributes just given.
Result<Citizen> upsertCitizen(sql::Connection& c, const Citizen& attrs, int64_t nowMs);
Result<Citizen> citizenById(sql::Connection& c, const std::string& id);

Status insertSession(sql::Connection& c, const CitizenSession& s, int64_t expiresAt);
Result<CitizenSession> session(sql::Connection& c, const std::string& tokenHash);
Status touchSession(sql::Connection& c, const std::string& tokenHash, int64_t nowMs);
Status deleteSession(sql::Connection& c, const std::string& tokenHash);
Status deleteEndedSessions(sql::Connection& c, int64_t idleBefore, int64_t createdBefore);
// Forgets the citizens last signed in before `lastLoginBefore` who hold no session: their
// attributes and their links to the objects of their area (the objects stay, under their own
// retention).
Status forgetInactive(sql::Connection& c, int64_t lastLoginBefore);

// Objects of other capabilities linked to a citizen (a booking by its code, …): one citizen
// each. The citizen already holding (ente, kind, ref), if any.
Result<std::optional<std::string>> objectOwner(sql::Connection& c, const std::string& enteId,
                                               const std::string& kind, const std::string& ref);
Status linkObject(sql::Connection& c, const std::string& enteId, const std::string& kind,
                  const std::string& ref, const std::string& citizenId, int64_t nowMs);
Result<std::vector<std::string>> objectsOf(sql::Connection& c, const std::string& citizenId,
                                           const std::string& kind);

}  // namespace sportello::citizens::store
