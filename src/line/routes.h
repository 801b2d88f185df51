// HTTP routes of the one line (docs/API.md, "The one line"): parse input, call LineService,
// render JSON.
#pragma once

#include "line/service.h"
#include "platform/http.h"
#include "staff/service.h"

namespace sportello::line {

void registerRoutes(http::Router& r, LineService& line, staff::StaffService& staff);

}  // namespace sportello::line
