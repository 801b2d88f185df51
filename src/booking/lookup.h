// What other capabilities read of booking, on the caller's connection (inside its write
// transaction when it is `tx.conn()`): a booking by the citizen's code and secret (feedback
// rates an appointment from the manage page's link). booking/store.h stays private to booking
// (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include <string>

#include "booking/types.h"
#include "platform/database.h"

namespace sportello::booking::lookup {

// The booking of ente `enteId` with code `code` whose secret is `secret`: the one check of the
// manage link. One kNotFound "prenotazione non trovata" for every failure.
Result<Booking> holderBooking(sql::Connection& c, const std::string& enteId,
                              const std::string& code, const std::string& secret);

}  // namespace sportello::booking::lookup
