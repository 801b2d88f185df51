// HTTP routes of the knowledge base (docs/API.md, "Knowledge base"): parse input, call
// KnowledgeService, render JSON. Reading needs any staff of the ente, changing a supervisor.
#pragma once

#include "knowledge/service.h"
#include "platform/http.h"
#include "staff/service.h"

namespace sportello::knowledge {

void registerRoutes(http::Router& r, KnowledgeService& kb, staff::StaffService& staff);

}  // namespace sportello::knowledge
