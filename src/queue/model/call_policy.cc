// Call-next policy: see call_policy.h for the rules and tie-breaks.
#include "queue/model/call_policy.h"

#include <algorithm>
#include <tuple>

namespace sportello::queue {
namespace {

enum class Klass { kAppointment, kPriority, kNormal };

Klass classify(const Ticket& t, SysMillis now, const CallPolicyConfig& config) {
  switch (t.priority) {
    case PriorityReason::kAppointment:
      if (t.appointmentAt && *t.appointmentAt <= now + config.appointmentGrace) {
        return Klass::kAppointment;
      }
      return Klass::kNormal;
    case PriorityReason::kPregnancy:
    case PriorityReason::kAge:
    case PriorityReason::kDisability:
      return Klass::kPriority;
    case PriorityReason::kNone:
      return Klass::kNormal;
  }
  return Klass::kNormal;
}

// Strict "comes first" orders; total on distinct ids.
bool olderThan(const Ticket& a, const Ticket& b) {
  return std::tie(a.issuedAt, a.number, a.serviceId, a.id) <
         std::tie(b.issuedAt, b.number, b.serviceId, b.id);
}

bool appointmentBefore(const Ticket& a, const Ticket& b) {
  if (*a.appointmentAt != *b.appointmentAt) return *a.appointmentAt < *b.appointmentAt;
  return olderThan(a, b);
}

}  // namespace

std::optional<CallDecision> chooseNext(const std::vector<Ticket>& waiting,
                                       const CounterView& counter, SysMillis now,
                                       const CallPolicyConfig& config) {
  const Ticket* appointment = nullptr;     // best of (a)
  const Ticket* priority = nullptr;        // best of (b)
  const Ticket* normal = nullptr;          // best of (c)
  const Ticket* oldestPriority = nullptr;  // oldest issued-at among (a) and (b)
  for (const Ticket& t : waiting) {
    if (std::find(counter.serviceIds.begin(), counter.serviceIds.end(), t.serviceId) ==
        counter.serviceIds.end()) {
      continue;
    }
    switch (classify(t, now, config)) {
      case Klass::kAppointment:
        if (!appointment || appointmentBefore(t, *appointment)) appointment = &t;
        if (!oldestPriority || olderThan(t, *oldestPriority)) oldestPriority = &t;
        break;
      case Klass::kPriority:
        if (!priority || olderThan(t, *priority)) priority = &t;
        if (!oldestPriority || olderThan(t, *oldestPriority)) oldestPriority = &t;
        break;
      case Klass::kNormal:
        if (!normal || olderThan(t, *normal)) normal = &t;
        break;
    }
  }
  const int k = config.maxConsecutivePriorityCalls;
  if (normal && oldestPriority && k > 0 && counter.consecutivePriorityCalls >= k &&
      normal->issuedAt < oldestPriority->issuedAt) {
    return CallDecision{normal->id, CallKind::kFairness};
  }
  if (appointment) return CallDecision{appointment->id, CallKind::kAppointment};
  if (priority) return CallDecision{priority->id, CallKind::kPriority};
  if (normal) return CallDecision{normal->id, CallKind::kNormal};
  return std::nullopt;
}

int consecutivePriorityCallsAfter(int current, CallKind kind) {
  switch (kind) {
    case CallKind::kAppointment:
    case CallKind::kPriority:
      return std::max(current, 0) + 1;
    case CallKind::kNormal:
    case CallKind::kFairness:
      return 0;
  }
  return 0;
}

const char* callKindName(CallKind k) {
  switch (k) {
    case CallKind::kAppointment:
      return "appointment";
    case CallKind::kPriority:
      return "priority";
    case CallKind::kNormal:
      return "normal";
    case CallKind::kFairness:
      return "fairness";
  }
  return "normal";
}

}  // namespace sportello::queue
