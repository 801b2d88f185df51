// HTTP routes of cases (docs/API.md, "Cases"): parse and validate input, call CaseService,
// render JSON (or the printable letter, or an attachment as a download).
#pragma once

#include "cases/service.h"
#include "platform/http.h"
#include "staff/service.h"

namespace sportello::cases {

void registerRoutes(http::Router& r, CaseService& cases, staff::StaffService& staff);

}  // namespace sportello::cases
