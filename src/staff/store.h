// SQL for operators, office membership and sessions (scoped by ente).
#pragma once

#include "platform/database.h"
#include "staff/types.h"

namespace sportello::staff::store {

std::vector<Migration> migrations();

struct Credentials {
  Operator op;
  std::string passwordHash;
};

Result<Credentials> credentials(sql::Connection& c, const std::string& enteSlug,
                                const std::string& username);
Result<std::string> passwordHash(sql::Connection& c, const std::string& operatorId);
Result<Operator> operatorById(sql::Connection& c, const std::string& enteId, const std::string& id);
Result<std::vector<Operator>> listOperators(sql::Connection& c, const std::string& enteId);
Status insertOperator(sql::Connection& c, const Operator& op, const std::string& hash, int64_t now);
Status updateOperator(sql::Connection& c, const Operator& op, int64_t now);
Status setPassword(sql::Connection& c, const std::string& operatorId, const std::string& hash,
                   int64_t now);
Status setPresence(sql::Connection& c, const std::string& operatorId, const std::string& p);
// Liveness: the operator's console is connected at `now`. When the sweep had set them away,
// their presence comes back: the restored presence is returned.
Result<std::optional<std::string>> touch(sql::Connection& c, const std::string& operatorId,
                                         int64_t now);
// Operators with a presence whose console was last seen live before `seenBefore` (never seen
// live: not listed — a presence set through the API alone is kept).
Result<std::vector<std::string>> goneOperators(sql::Connection& c, int64_t seenBefore);
// Sets such an operator away, remembering the presence to give back; false if no longer due.
Result<bool> markGone(sql::Connection& c, const std::string& operatorId, int64_t seenBefore);
Status setOffices(sql::Connection& c, const std::string& enteId, const std::string& operatorId,
                  const std::vector<std::string>& officeIds);

Status insertSession(sql::Connection& c, const std::string& hash, const std::string& operatorId,
                     const std::string& enteId, const std::string& csrf, int64_t now,
                     int64_t expires, const std::string& remote);
// The live session (not expired, operator active) with its operator and ente
// slug.
Result<StaffContext> session(sql::Connection& c, const std::string& hash, int64_t now);
Status deleteSession(sql::Connection& c, const std::string& hash);
Status deleteSessionsOf(sql::Connection& c, const std::string& operatorId,
                        const std::string& exceptHash);
Status deleteExpiredSessions(sql::Connection& c, int64_t now);

}  // namespace sportello::staff::store
