// Queue tickets: see ticket.h.
#include "queue/model/ticket.h"

#include <string>

#include "core/enum_names.h"

namespace sportello::queue {

namespace {
constexpr auto kPriorityReasons =
    enumNames<PriorityReason>({{PriorityReason::kNone, "none"},
                               {PriorityReason::kPregnancy, "pregnancy"},
                               {PriorityReason::kAge, "age"},
                               {PriorityReason::kDisability, "disability"},
                               {PriorityReason::kAppointment, "appointment"}});
static_assert(kPriorityReasons.distinct());
}  // namespace

const char* priorityReasonName(PriorityReason r) {
  return kPriorityReasons.name(r);
}

std::optional<PriorityReason> parsePriorityReason(std::string_view s) {
  return kPriorityReasons.parse(s);
}

Result<Ticket> transferTicket(const Ticket& ticket, std::string_view toServiceId, SysMillis now) {
  if (toServiceId.empty()) {
    return makeError(Errc::kInvalid, "the target service is required", "service_id");
  }
  if (toServiceId == ticket.serviceId) {
    return makeError(Errc::kInvalid, "the ticket is already in that service", "service_id");
  }
  Ticket moved = ticket;
  moved.transferredFrom = ticket.serviceId;
  moved.transferredAt = now;
  moved.serviceId = std::string(toServiceId);
  return moved;
}

}  // namespace sportello::queue
