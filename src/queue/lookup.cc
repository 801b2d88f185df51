#include "queue/lookup.h"

#include "core/token.h"
#include "queue/store.h"

namespace sportello::queue::lookup {

Result<Counter> counter(sql::Connection& c, const std::string& id) {
  return store::counter(c, id);
}

Result<std::vector<StoredTicket>> ticketsOf(sql::Connection& c, const std::string& siteId,
                                            TicketState state, int64_t limit) {
  return store::ticketsOf(c, siteId, state, limit);
}

Result<StoredTicket> holderTicket(sql::Connection& c, const std::string& id,
                                  const std::string& token) {
  Error notFound(Errc::kNotFound, "biglietto non trovato");
  if (id.empty() || id.size() > 64 || token.empty() || token.size() > 128) return notFound;
  auto t = store::ticket(c, id);
  if (!t.ok()) {
    if (t.error().code == Errc::kNotFound) return notFound;
    return t.error();
  }
  if (!secretEquals(sha256Hex(token), t->tokenHash)) return notFound;
  return std::move(t.value());
}

Result<StoredTicket> ticket(sql::Connection& c, const std::string& id) {
  return store::ticket(c, id);
}

}  // namespace sportello::queue::lookup
