// HTTP routes for staff sessions and the administration of operators.
#pragma once

#include "directory/service.h"
#include "platform/http.h"
#include "staff/service.h"

namespace sportello::staff {

void registerRoutes(http::Router& r, StaffService& staff, directory::DirectoryService& dir);

}  // namespace sportello::staff
