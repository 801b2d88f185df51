// Check-in of an appointment: issues a priority "appointment" ticket inside the caller's write
// transaction (booking's "arrived"), numbered from the service's daily sequence like any
// ticket, and announced on the site's staff and board topics. The ticket carries no follow
// token the citizen could use (the operator calls it from the counter view).
#pragma once

#include "platform/database.h"
#include "queue/types.h"

namespace sportello::queue {

// kConflict (reason "not_served") when no counter of the site serves the service, or the
// service has no ticket letter.
Result<StoredTicket> issueAppointmentTicket(Tx& tx, const std::string& enteId,
                                            const std::string& siteId, const std::string& serviceId,
                                            int64_t appointmentAtMs, const std::string& lang);

}  // namespace sportello::queue
