// HTTP routes of the citizens' sign-in (docs/API.md, "Citizens"): parse, call CitizenService,
// render; the redirects of the authorization code flow.
#pragma once

#include "citizens/service.h"
#include "platform/http.h"

namespace sportello::citizens {

void registerRoutes(http::Router& r, CitizenService& svc);

}  // namespace sportello::citizens
