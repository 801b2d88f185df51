// HTTP routes of the virtual reception (docs/API.md, "Virtual reception"): parse input, call
// ReceptionService, render JSON.
#pragma once

#include "directory/service.h"
#include "platform/http.h"
#include "reception/service.h"
#include "staff/service.h"

namespace sportello::reception {

void registerRoutes(http::Router& r, ReceptionService& reception, staff::StaffService& staff);

}  // namespace sportello::reception
