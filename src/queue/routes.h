// HTTP routes of the queue tickets (docs/API.md, "Queue tickets"): parse input, call
// QueueService, render JSON.
#pragma once

#include "platform/http.h"
#include "queue/service.h"
#include "staff/service.h"

namespace sportello::queue {

void registerRoutes(http::Router& r, QueueService& queue, staff::StaffService& staff);

}  // namespace sportello::queue
