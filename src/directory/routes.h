// HTTP routes of the directory: public enti/offices, and the admin CRUD.
#pragma once

#include "directory/service.h"
#include "platform/http.h"
#include "staff/service.h"

namespace sportello::directory {

void registerRoutes(http::Router& r, DirectoryService& dir, staff::StaffService& staff,
                    std::string defaultEnte);

}  // namespace sportello::directory
