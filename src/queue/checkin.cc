#include "queue/checkin.h"

#include <date/tz.h>

#include "core/token.h"
#include "directory/lookup.h"
#include "queue/model/numbering.h"
#include "queue/service.h"
#include "queue/store.h"

namespace sportello::queue {

Result<StoredTicket> issueAppointmentTicket(Tx& tx, const std::string& enteId,
                                            const std::string& siteId, const std::string& serviceId,
                                            int64_t appointmentAtMs, const std::string& lang) {
  auto& c = tx.conn();
  int64_t now = tx.nowMs();
  SP_ASSIGN(auto ente, directory::lookup::enteById(c, enteId));
  SP_ASSIGN(auto s, directory::lookup::service(c, enteId, serviceId));
  SP_ASSIGN(auto served,
            c.one("SELECT COUNT(*) FROM queue_counters k JOIN queue_counter_services cs ON "
                  "cs.counter_id = k.id WHERE k.site_id = ? AND cs.service_id = ? AND k.active = 1",
                  {siteId, serviceId}));
  if (served.i64(0) == 0 || s.prefix.size() != 1) {
    Error e(Errc::kConflict, "questo servizio non si riceve agli sportelli di questa sede");
    e.reason = "not_served";
    return e;
  }
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(ente.timezone);
  } catch (const std::exception&) {
    return makeError(Errc::kInternal, "fuso orario dell'ente non valido");
  }
  StoredTicket t;
  t.id = newId();
  t.tokenHash = sha256Hex(newSecret());  // nobody holds it
  t.source = "machine";
  t.lang = lang;
  t.priority = PriorityReason::kAppointment;
  t.appointmentAt = appointmentAtMs;
  t.issuedAt = now;
  t.enteId = enteId;
  t.siteId = siteId;
  t.serviceId = s.id;
  t.serviceName = s.name;
  t.servicePrefix = s.prefix;
  t.numberedBy = s.id;
  SP_TRY(numberAndStore(tx, t, tz, "appointment"));
  return t;
}

}  // namespace sportello::queue
