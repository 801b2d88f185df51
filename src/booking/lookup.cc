#include "booking/lookup.h"

#include <algorithm>

#include "booking/store.h"
#include "core/token.h"

namespace sportello::booking::lookup {

Result<Booking> bookingByHolder(sql::Connection& c, const std::string& enteId,
                                const std::string& code, const std::string& secret) {
  auto b = store::bookingByCode(c, enteId, code);
  if (!b.ok() || secret.empty() || !secretEquals(b->secretHash, sha256Hex(secret))) {
    return makeError(Errc::kNotFound, "prenotazione non trovata");
  }
  return b;
}

Result<std::vector<Booking>> bookingsByCodes(sql::Connection& c, const std::string& enteId,
                                             const std::vector<std::string>& codes) {
  std::vector<Booking> out;
  for (const auto& code : codes) {
    auto b = store::bookingByCode(c, enteId, code);
    if (b.ok()) out.push_back(std::move(b).value());
    else if (!b.ok() && b.error().code != Errc::kNotFound) return b.error();
  }
  std::sort(out.begin(), out.end(),
            [](const Booking& a, const Booking& b) { return a.startUtc < b.startUtc; });
  return out;
}

}  // namespace sportello::booking::lookup
