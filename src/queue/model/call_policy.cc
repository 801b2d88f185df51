// Call-next policy: see call_policy.h for the rules and tie-breaks.
#include "queue/model/call_policy.h"

namespace sportello::queue {

std::optional<CallDecision> chooseNext(const std::vector<Ticket>& waiting,
                                       const CounterView& counter, SysMillis now,
                                       const CallPolicyConfig& config) {
  // The counter is a desk in a hall of its own, serving its services and no remote contact.
  static const std::string kHall = "hall";
  std::vector<line::Entry> entries;
  entries.reserve(waiting.size());
  for (const Ticket& t : waiting) {
    line::Entry e;
    e.id = t.id;
    e.channel = line::Channel::kTicket;
    e.serviceId = t.serviceId;
    e.siteId = kHall;
    e.priority = t.priority == PriorityReason::kPregnancy || t.priority == PriorityReason::kAge ||
                 t.priority == PriorityReason::kDisability;
    if (t.priority == PriorityReason::kAppointment) e.appointmentAt = t.appointmentAt;
    e.arrivedAt = t.issuedAt;
    e.number = t.number;
    entries.push_back(std::move(e));
  }
  line::Desk desk;
  desk.serviceIds = counter.serviceIds;
  desk.siteId = kHall;
  desk.consecutivePriorityCalls = counter.consecutivePriorityCalls;
  auto d = line::chooseNext(entries, desk, now,
                            {config.appointmentGrace, config.maxConsecutivePriorityCalls});
  if (!d) return std::nullopt;
  return CallDecision{d->entryId, d->kind};
}

}  // namespace sportello::queue
