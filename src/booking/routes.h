// HTTP routes of appointments (docs/API.md, "Appointments"): parse input, call BookingService,
// render JSON (and the .ics).
#pragma once

#include "booking/service.h"
#include "platform/http.h"
#include "staff/service.h"

namespace sportello::booking {

void registerRoutes(http::Router& r, BookingService& bs, staff::StaffService& staff);

}  // namespace sportello::booking
