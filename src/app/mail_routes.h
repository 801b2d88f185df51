// The admin's view of outgoing mail: a test message (to check the SMTP settings, as
// Zammad's "test email" does) and the ente's outbox with each mail's delivery state.
#pragma once

#include "platform/database.h"
#include "platform/http.h"
#include "staff/service.h"

namespace sportello::app {

void registerMailRoutes(http::Router& r, Database& db, staff::StaffService& staff);

}  // namespace sportello::app
