// Call-next policy: which waiting ticket a counter (postazione) calls next. Pure model (no
// I/O), deterministic: the same input gives the same ticket whatever the input order.
//
// This is the one line's policy (line/model/policy.h) restricted to tickets: only tickets of
// services the counter serves are candidates, and
//  (a) due appointments first: a kAppointment ticket with appointmentAt ≤ now + grace
//      (default 5 minutes), earliest appointment first;
//  (b) then priority tickets (pregnancy, age, disability), oldest issued-at first;
//  (c) then every other ticket, oldest issued-at first (an appointment not yet due waits like
//      a walk-in and never loses its place to one);
//  with the same fairness guard (after k consecutive (a)/(b) calls, default 3, an older (c)
//  ticket goes first) and the same tie-breaks (appointmentAt; issuedAt, number, serviceId, id).
//
// The caller keeps the per-counter count of consecutive priority calls and updates it with
// consecutivePriorityCallsAfter.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "line/model/policy.h"
#include "queue/model/ticket.h"

namespace sportello::queue {

struct CallPolicyConfig {
  std::chrono::milliseconds appointmentGrace = std::chrono::minutes(5);
  int maxConsecutivePriorityCalls = 3;  // k; ≤ 0 disables the fairness guard
};

// Which rule chose the ticket: the one line's kinds.
using line::CallKind;
using line::callKindName;
using line::consecutivePriorityCallsAfter;

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

}  // namespace sportello::queue
