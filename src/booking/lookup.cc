#include "booking/lookup.h"

#include "booking/store.h"
#include "core/token.h"

namespace sportello::booking::lookup {

Result<Booking> holderBooking(sql::Connection& c, const std::string& enteId,
                              const std::string& code, const std::string& secret) {
  auto notFound = makeError(Errc::kNotFound, "prenotazione non trovata");
  if (code.empty() || secret.empty() || code.size() > 32 || secret.size() > 128) return notFound;
  auto b = store::bookingByCode(c, enteId, code);
  if (!b.ok()) {
    if (b.error().code == Errc::kNotFound) return notFound;
    return b.error();
  }
  if (!secretEquals(sha256Hex(secret), b->secretHash)) return notFound;
  return std::move(b.value());
}

}  // namespace sportello::booking::lookup
