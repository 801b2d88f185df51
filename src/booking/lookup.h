// What other capabilities read of bookings, on the caller's connection: the citizens'
// personal area claims a booking made before signing in by its code and secret (the holder's
// proof), and lists the bookings it claimed. booking/store.h stays private to booking
// (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include <string>
#include <vector>

#include "booking/types.h"
#include "platform/database.h"

namespace sportello::booking::lookup {

// The ente's booking `code` when `secret` is its holder's (kNotFound otherwise: a wrong secret
// says no more than an unknown code).
Result<Booking> bookingByHolder(sql::Connection& c, const std::string& enteId,
                                const std::string& code, const std::string& secret);
// The ente's bookings with these codes (unknown codes are skipped), by start time.
Result<std::vector<Booking>> bookingsByCodes(sql::Connection& c, const std::string& enteId,
                                             const std::vector<std::string>& codes);

}  // namespace sportello::booking::lookup
