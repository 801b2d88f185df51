// Queue tickets (eliminacode): the ticket a citizen holds, its priority reason and the
// transfer to another service. Pure model (no I/O), shared by the numbering, the call
// policy and the wait estimate.
//
// Transfer rule: a ticket sent to another service keeps its id, code, number, issued-at and
// priority (incl. an appointment time), so the citizen keeps their place by arrival time in
// the new line instead of starting again at the back; only the service changes, and the
// transfer (from where, when) is recorded.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace sportello::queue {

// Why a ticket may be served before others. kAppointment tickets carry appointmentAt.
enum class PriorityReason {
  kNone,         // a normal ticket
  kPregnancy,    // pregnant citizen
  kAge,          // elderly citizen
  kDisability,   // citizen with a disability
  kAppointment,  // booked appointment (see call_policy.h for when it counts)
};

// "none", "pregnancy", "age", "disability", "appointment".
const char* priorityReasonName(PriorityReason r);
std::optional<PriorityReason> parsePriorityReason(std::string_view s);  // exact names

// A ticket as the model sees it. The call policy receives only tickets in the waiting state;
// called / recalled / skipped / in-service tickets are filtered out by the caller.
struct Ticket {
  std::string id;         // opaque, unique
  std::string serviceId;  // the service whose line the ticket is in
  std::string code;       // "A023", see numbering.h
  int number = 0;         // the daily (or continuous) number, ≥ 1
  SysMillis issuedAt;     // when the ticket was printed (UTC)
  PriorityReason priority = PriorityReason::kNone;
  std::optional<SysMillis> appointmentAt;  // set for kAppointment tickets
  // Set by transferTicket (the last transfer only).
  std::optional<std::string> transferredFrom;  // previous service id
  std::optional<SysMillis> transferredAt;
  bool operator==(const Ticket&) const = default;
};

// The ticket moved to `toServiceId` at `now`: same id, code, number, issuedAt, priority and
// appointmentAt; serviceId = toServiceId, transferredFrom = the old service, transferredAt =
// now. kInvalid (field "service_id") when toServiceId is empty or equals the current service.
Result<Ticket> transferTicket(const Ticket& ticket, std::string_view toServiceId, SysMillis now);

}  // namespace sportello::queue
