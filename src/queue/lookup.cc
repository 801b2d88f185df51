#include "queue/lookup.h"

#include "queue/store.h"

namespace sportello::queue::lookup {

Result<Counter> counter(sql::Connection& c, const std::string& id) {
  return store::counter(c, id);
}

Result<std::vector<StoredTicket>> ticketsOf(sql::Connection& c, const std::string& siteId,
                                            TicketState state, int64_t limit) {
  return store::ticketsOf(c, siteId, state, limit);
}

}  // namespace sportello::queue::lookup
