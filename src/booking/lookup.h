// What other capabilities read of booking, on the caller's connection (inside its write
// transaction when it is `tx.conn()`): a booking by the citizen's code and secret (feedback
// rates an appointment from the manage page's link; the citizens' personal area claims a booking
// made before signing in), and the bookings a citizen claimed. booking/store.h stays private to
// booking (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include <string>
#include <vector>

#include "booking/types.h"
#include "platform/database.h"

namespace sportello::booking::lookup {

// The booking of ente `enteId` with code `code` whose secret is `secret`: the one check of the
// manage link. One kNotFound "prenotazione non trovata" for every failure (a wrong secret says
// no more than an unknown code).
Result<Booking> holderBooking(sql::Connection& c, const std::string& enteId,
                              const std::string& code, const std::string& secret);
// The ente's bookings with these codes (unknown codes are skipped), by start time.
Result<std::vector<Booking>> bookingsByCodes(sql::Connection& c, const std::string& enteId,
                                             const std::vector<std::string>& codes);

}  // namespace sportello::booking::lookup
