#include "cases/lookup.h"

#include "cases/store.h"
#include "core/token.h"

namespace sportello::cases::lookup {

Result<Callback> callback(sql::Connection& c, const std::string& id) {
  return store::callback(c, id);
}

Result<bool> takeCallback(sql::Connection& c, const std::string& id, const std::string& operatorId,
                          int64_t now) {
  return store::takeCallback(c, id, operatorId, now);
}

Result<StoredCase> caseById(sql::Connection& c, const std::string& id) {
  return store::caseById(c, id);
}

Result<StoredCase> holderCase(sql::Connection& c, const std::string& enteId,
                              const std::string& code, const std::string& secret) {
  // One answer for every failure: a wrong code, secret or ente says nothing about which.
  Error notFound(Errc::kNotFound, "pratica non trovata: controlla il codice e il codice segreto");
  auto norm = normalizeTrackingCode(code);
  if (!norm || secret.empty() || secret.size() > 200) return notFound;
  auto k = store::caseByCode(c, *norm);
  if (!k.ok()) {
    if (k.error().code == Errc::kNotFound) return notFound;
    return k.error();
  }
  if (k->enteId != enteId) return notFound;
  // The grouped secret however it was typed; an older base64url secret exactly as given.
  auto typed = normalizeCaseSecret(secret);
  bool match = secretEquals(sha256Hex(secret), k->secretHash);
  if (typed) match = secretEquals(sha256Hex(*typed), k->secretHash) || match;
  if (!match) return notFound;
  return std::move(k.value());
}

Result<std::vector<TimelineEntry>> citizenTimeline(sql::Connection& c, const std::string& caseId) {
  return store::timeline(c, caseId, /*visibleOnly=*/true);
}

}  // namespace sportello::cases::lookup
