// The one line's policy: see policy.h for the rules and tie-breaks.
#include "line/model/policy.h"

#include <algorithm>
#include <tuple>

namespace sportello::line {
namespace {

enum class Klass { kAppointment, kPriority, kNormal };

Klass classify(const Entry& e, SysMillis now, const PolicyConfig& config) {
  if (e.appointmentAt && *e.appointmentAt <= now + config.appointmentGrace) {
    return Klass::kAppointment;
  }
  return e.priority ? Klass::kPriority : Klass::kNormal;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return !s.empty() && std::find(v.begin(), v.end(), s) != v.end();
}

// Strict "comes first" orders; total on distinct ids.
bool olderThan(const Entry& a, const Entry& b) {
  return std::tie(a.arrivedAt, a.channel, a.number, a.serviceId, a.id) <
         std::tie(b.arrivedAt, b.channel, b.number, b.serviceId, b.id);
}

bool appointmentBefore(const Entry& a, const Entry& b) {
  if (*a.appointmentAt != *b.appointmentAt) return *a.appointmentAt < *b.appointmentAt;
  return olderThan(a, b);
}

CallKind kindOf(Klass k) {
  switch (k) {
    case Klass::kAppointment:
      return CallKind::kAppointment;
    case Klass::kPriority:
      return CallKind::kPriority;
    case Klass::kNormal:
      return CallKind::kNormal;
  }
  return CallKind::kNormal;
}

}  // namespace

const char* channelName(Channel c) {
  switch (c) {
    case Channel::kTicket:
      return "ticket";
    case Channel::kVisit:
      return "visit";
    case Channel::kCallback:
      return "callback";
  }
  return "ticket";
}

bool fits(const Entry& e, const Desk& d) {
  switch (e.channel) {
    case Channel::kTicket:
      return !d.siteId.empty() && e.siteId == d.siteId && contains(d.serviceIds, e.serviceId);
    case Channel::kVisit:
    case Channel::kCallback:
      return d.remote && contains(d.officeIds, e.officeId) &&
             (e.reservedFor.empty() || e.reservedFor == d.operatorId);
  }
  return false;
}

std::optional<Decision> chooseNext(const std::vector<Entry>& waiting, const Desk& desk,
                                   SysMillis now, const PolicyConfig& config) {
  const Entry* appointment = nullptr;     // best of (a)
  const Entry* priority = nullptr;        // best of (b)
  const Entry* normal = nullptr;          // best of (c)
  const Entry* oldestPriority = nullptr;  // oldest arrival among (a) and (b)
  for (const Entry& e : waiting) {
    if (!fits(e, desk)) continue;
    switch (classify(e, now, config)) {
      case Klass::kAppointment:
        if (!appointment || appointmentBefore(e, *appointment)) appointment = &e;
        if (!oldestPriority || olderThan(e, *oldestPriority)) oldestPriority = &e;
        break;
      case Klass::kPriority:
        if (!priority || olderThan(e, *priority)) priority = &e;
        if (!oldestPriority || olderThan(e, *oldestPriority)) oldestPriority = &e;
        break;
      case Klass::kNormal:
        if (!normal || olderThan(e, *normal)) normal = &e;
        break;
    }
  }
  const int k = config.maxConsecutivePriorityCalls;
  if (normal && oldestPriority && k > 0 && desk.consecutivePriorityCalls >= k &&
      normal->arrivedAt < oldestPriority->arrivedAt) {
    return Decision{normal->id, normal->channel, CallKind::kFairness};
  }
  if (appointment) return Decision{appointment->id, appointment->channel, CallKind::kAppointment};
  if (priority) return Decision{priority->id, priority->channel, CallKind::kPriority};
  if (normal) return Decision{normal->id, normal->channel, CallKind::kNormal};
  return std::nullopt;
}

std::vector<Decision> ordered(const std::vector<Entry>& waiting, const Desk& desk, SysMillis now,
                              const PolicyConfig& config) {
  std::vector<std::pair<Klass, const Entry*>> fit;
  for (const Entry& e : waiting) {
    if (fits(e, desk)) fit.emplace_back(classify(e, now, config), &e);
  }
  std::sort(fit.begin(), fit.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first < y.first;
    if (x.first == Klass::kAppointment) return appointmentBefore(*x.second, *y.second);
    return olderThan(*x.second, *y.second);
  });
  std::vector<Decision> out;
  out.reserve(fit.size());
  for (const auto& [klass, e] : fit) out.push_back({e->id, e->channel, kindOf(klass)});
  return out;
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

}  // namespace sportello::line
