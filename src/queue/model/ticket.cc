// Queue tickets: see ticket.h.
#include "queue/model/ticket.h"

#include <string>

namespace sportello::queue {

const char* priorityReasonName(PriorityReason r) {
  switch (r) {
    case PriorityReason::kNone:
      return "none";
    case PriorityReason::kPregnancy:
      return "pregnancy";
    case PriorityReason::kAge:
      return "age";
    case PriorityReason::kDisability:
      return "disability";
    case PriorityReason::kAppointment:
      return "appointment";
  }
  return "none";
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
