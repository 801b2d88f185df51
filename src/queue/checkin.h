// Check-in of an appointment: issues a priority "appointment" ticket inside the caller's write
// transaction (booking's "arrived"), numbered from the service's daily sequence like any
// ticket, and announced on the site's staff and board topics. The ticket carries no follow
// token the citizen could use (the operator calls it from the counter view).
#pragma once

#include <date/tz.h>

#include "platform/database.h"
#include "queue/types.h"

namespace sportello::queue {

// Numbers `t` from its service's daily sequence (the sequence row locked: consecutive and
// unique across nodes), stores it with an "issued" history row from `historySource`, and
// announces it (ticket.issued to the site's staff, the waiting count on the board). `t` must
// have its ids, service prefix, source and issue time set. Used by every way a ticket is made.
Status numberAndStore(Tx& tx, StoredTicket& t, const date::time_zone* tz,
                      const std::string& historySource);

// kConflict (reason "not_served") when no counter of the site serves the service, or the
// service has no ticket letter.
Result<StoredTicket> issueAppointmentTicket(Tx& tx, const std::string& enteId,
                                            const std::string& siteId, const std::string& serviceId,
                                            int64_t appointmentAtMs, const std::string& lang);

}  // namespace sportello::queue
