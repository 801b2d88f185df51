// Call-next policy: which waiting ticket a counter (postazione) calls next. Pure model (no
// I/O), deterministic: the same input gives the same ticket whatever the input order.
//
// The documented fair policy. Only tickets of services the counter serves are candidates.
//  (a) Due appointments first: a kAppointment ticket with appointmentAt ≤ now + grace
//      (default 5 minutes), earliest appointment first.
//  (b) Then priority tickets (pregnancy, age, disability), oldest issued-at first.
//  (c) Then every other ticket, oldest issued-at first. This includes appointment tickets
//      whose appointment is not yet due (an early arrival waits like a walk-in and never
//      loses its place to one) and kAppointment tickets without an appointment time.
//  Fairness guard: calls of class (a) or (b) are "priority calls". After k consecutive
//  priority calls at one counter (default 3; k ≤ 0 disables the guard), the next call takes
//  the oldest class (c) ticket if it was issued strictly earlier than the oldest class (a)
//  or (b) ticket, so a stream of priority tickets cannot starve the normal line.
//  Tie-breaks, in order: (a) appointmentAt; then for every class issuedAt, number,
//  serviceId, id (the last ones only matter for equal timestamps).
//
// The caller keeps the per-counter count of consecutive priority calls and updates it with
// consecutivePriorityCallsAfter.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "queue/model/ticket.h"

namespace sportello::queue {

struct CallPolicyConfig {
  std::chrono::milliseconds appointmentGrace = std::chrono::minutes(5);
  int maxConsecutivePriorityCalls = 3;  // k; ≤ 0 disables the fairness guard
};

// Which rule chose the ticket.
enum class CallKind {
  kAppointment,  // (a)
  kPriority,     // (b)
  kNormal,       // (c)
  kFairness,     // (c) taken by the fairness guard ahead of waiting (a)/(b) tickets
};

struct CallDecision {
  std::string ticketId;
  CallKind kind = CallKind::kNormal;
  bool operator==(const CallDecision&) const = default;
};

// The counter calling.
struct CounterView {
  std::vector<std::string> serviceIds;  // services it serves (duplicates are harmless)
  int consecutivePriorityCalls = 0;     // priority calls since its last normal call
};

// The ticket the counter calls next, or nullopt when no waiting ticket belongs to one of its
// services (including an empty queue and a counter that serves nothing).
std::optional<CallDecision> chooseNext(const std::vector<Ticket>& waiting,
                                       const CounterView& counter, SysMillis now,
                                       const CallPolicyConfig& config = {});

// The counter's new count after a call of `kind`: +1 for kAppointment / kPriority, 0 for
// kNormal / kFairness.
int consecutivePriorityCallsAfter(int current, CallKind kind);

// "appointment", "priority", "normal", "fairness".
const char* callKindName(CallKind k);

}  // namespace sportello::queue
