#include "booking/lookup.h"

#include <algorithm>

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

Result<std::vector<Booking>> bookingsByCodes(sql::Connection& c, const std::string& enteId,
                                             const std::vector<std::string>& codes) {
  std::vector<Booking> out;
  for (const auto& code : codes) {
    auto b = store::bookingByCode(c, enteId, code);
    if (b.ok()) out.push_back(std::move(b).value());
    else if (b.error().code != Errc::kNotFound) return b.error();
  }
  std::sort(out.begin(), out.end(),
            [](const Booking& a, const Booking& b) { return a.startUtc < b.startUtc; });
  return out;
}

}  // namespace sportello::booking::lookup
