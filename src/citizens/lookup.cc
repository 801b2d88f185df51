#include "citizens/lookup.h"

#include "citizens/model/oidc.h"
#include "citizens/store.h"
#include "core/token.h"

namespace sportello::citizens::lookup {

Result<std::string> signedInCitizen(sql::Connection& c, const Caller& caller,
                                    const std::string& enteId, int64_t nowMs) {
  Error unauthorized(Errc::kUnauthorized, "accesso del cittadino richiesto");
  if (caller.citizen.empty() || caller.citizen.size() > 100) return unauthorized;
  auto s = store::session(c, sha256Hex(caller.citizen));
  if (!s.ok()) {
    if (s.error().code == Errc::kNotFound || s.error().code == Errc::kUnauthorized) {
      return unauthorized;
    }
    return s.error();
  }
  if (s->enteId != enteId) return unauthorized;
  if (!sessionAlive({s->createdAt, s->lastSeenAt}, nowMs, kSessionIdleMs, kSessionAbsoluteMs)) {
    return makeError(Errc::kUnauthorized, "sessione del cittadino scaduta: accedi di nuovo");
  }
  if (caller.changes && !secretEquals(caller.csrf, s->csrf)) {
    return makeError(Errc::kForbidden, "token CSRF mancante o non valido");
  }
  return s->citizenId;
}

Result<bool> ownsObject(sql::Connection& c, const std::string& enteId, const std::string& kind,
                        const std::string& ref, const std::string& citizenId) {
  SP_ASSIGN(auto owner, store::objectOwner(c, enteId, kind, ref));
  return owner && *owner == citizenId;
}

Status callerOwns(sql::Connection& c, const Caller& caller, const std::string& enteId,
                  const std::string& kind, const std::string& ref, int64_t nowMs) {
  SP_ASSIGN(std::string citizenId, signedInCitizen(c, caller, enteId, nowMs));
  SP_ASSIGN(bool owns, ownsObject(c, enteId, kind, ref, citizenId));
  if (!owns) return makeError(Errc::kNotFound, "oggetto non trovato nella tua area personale");
  return {};
}

}  // namespace sportello::citizens::lookup
