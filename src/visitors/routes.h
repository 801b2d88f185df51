// HTTP routes of the info point (docs/API.md, "Visitors"): parse input, call VisitorService,
// render its views. Staff routes need a session of the ente (the service checks the finer
// rights: admin, info point, host); the turnstile routes a device token (Authorization: Bearer).
#pragma once

#include "platform/http.h"
#include "staff/service.h"
#include "visitors/service.h"

namespace sportello::visitors {

void registerRoutes(http::Router& r, VisitorService& vs, staff::StaffService& staff);

}  // namespace sportello::visitors
