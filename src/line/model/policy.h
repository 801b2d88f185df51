// The one line: which waiting entry a desk (sportello) serves next, whatever the channel the
// citizen came by. Pure model (no I/O), deterministic: the same input gives the same choice
// whatever the input order. The queue's call-next (queue/model/call_policy.h) is this policy
// with paper and phone tickets only.
//
// Entries. Everyone waiting for the Comune is one Entry:
//  - kTicket: a paper, phone or appointment ticket, waiting in the hall of `siteId` for
//    `serviceId`;
//  - kVisit: a knock on an office's door (web page, widget, kiosk; chat or video), including a
//    video appointment that joined; present only while its page is connected (the caller leaves
//    out disconnected ones);
//  - kCallback: a callback the Comune promised for a time that has come (appointmentAt: that
//    time), or an inbound phone call logged as waiting (no appointmentAt: it waits by arrival).
// `arrivedAt` is the original arrival (issued, knocked, promised), kept across transfers.
//
// Channel fit. A desk serves an entry only if
//  - a ticket: the desk is a counter at the ticket's site and serves its service (a remote desk
//    never gets a paper ticket: the person is in the hall);
//  - a visit or a callback: the desk takes remote contacts (a remote desk, or a counter whose
//    operator said it has camera and headset), serves the entry's office, and the entry is not
//    reserved for another operator.
//
// Order, among the entries that fit:
//  (a) Due appointments: an entry with appointmentAt ≤ now + grace (default 5 minutes) — an
//      appointment ticket, a video appointment, a callback at its promised time — earliest
//      appointment first. An appointment not yet due waits like everyone else, by arrival.
//  (b) Then priority (pregnancy, age, disability), oldest arrival first.
//  (c) Then everyone else, oldest arrival first, across channels.
//  Fairness guard: calls of class (a) or (b) are "priority calls". After k consecutive priority
//  calls at one desk (default 3; k ≤ 0 disables it), the next call takes the oldest (c) entry
//  if it arrived strictly earlier than the oldest (a)/(b) entry, so no class starves another.
//  Ties, in order: (a) appointmentAt; then arrivedAt, channel (ticket, visit, callback), number,
//  serviceId, id.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace sportello::line {

enum class Channel { kTicket, kVisit, kCallback };

// "ticket", "visit", "callback".
const char* channelName(Channel c);

struct Entry {
  std::string id;
  Channel channel = Channel::kTicket;
  std::string serviceId;  // tickets: the service's line
  std::string officeId;   // visits and callbacks: the office
  std::string siteId;     // tickets: the hall they wait in
  bool priority = false;  // pregnancy, age, disability
  std::optional<SysMillis> appointmentAt;
  SysMillis arrivedAt;
  int64_t number = 0;       // ticket number or knock number (ties only)
  std::string reservedFor;  // an operator id, or "" for anyone
  bool operator==(const Entry&) const = default;
};

struct Desk {
  std::vector<std::string> serviceIds;  // tickets of these services (counter desks)
  std::vector<std::string> officeIds;   // visits and callbacks of these offices
  std::string siteId;                   // the counter's site; "" for a remote desk
  bool remote = false;                  // takes remote contacts (visits, callbacks)
  std::string operatorId;
  int consecutivePriorityCalls = 0;  // priority calls since its last normal call
};

struct PolicyConfig {
  std::chrono::milliseconds appointmentGrace = std::chrono::minutes(5);
  int maxConsecutivePriorityCalls = 3;  // k; ≤ 0 disables the fairness guard
};

// Which rule chose the entry.
enum class CallKind {
  kAppointment,  // (a)
  kPriority,     // (b)
  kNormal,       // (c)
  kFairness,     // (c) taken by the fairness guard ahead of waiting (a)/(b) entries
};

struct Decision {
  std::string entryId;
  Channel channel = Channel::kTicket;
  CallKind kind = CallKind::kNormal;
  bool operator==(const Decision&) const = default;
};

// Whether the desk may serve the entry (channel fit, see above).
bool fits(const Entry& e, const Desk& d);

// The entry the desk serves next, or nullopt when nothing that fits is waiting.
std::optional<Decision> chooseNext(const std::vector<Entry>& waiting, const Desk& desk,
                                   SysMillis now, const PolicyConfig& config = {});

// The entries that fit the desk in the order it would serve them if no fairness turn came up:
// (a), then (b), then (c). What a desk's line shows.
std::vector<Decision> ordered(const std::vector<Entry>& waiting, const Desk& desk, SysMillis now,
                              const PolicyConfig& config = {});

// The desk's new count after a call of `kind`: +1 for kAppointment / kPriority, 0 otherwise.
int consecutivePriorityCallsAfter(int current, CallKind kind);

// "appointment", "priority", "normal", "fairness".
const char* callKindName(CallKind k);

}  // namespace sportello::line
