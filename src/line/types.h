// The one line's records: desks (sportelli) and what waits in the line, as stored and shown.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "line/model/policy.h"

namespace sportello::line {

// A desk opened by an operator: a counter at a site (the hall's tickets, and remote contacts
// too when `remote`: the station has camera and headset) or a remote desk (counterId empty:
// remote contacts only).
struct StoredDesk {
  std::string id, enteId, operatorId;
  std::optional<std::string> counterId, counterName, siteId;
  bool remote = false;
  std::vector<std::string> serviceIds, officeIds;
  int64_t openedAt = 0;
  std::optional<int64_t> closedAt;
  int priorityStreak = 0;
};

// What a desk shows of a waiting entry, by channel (no more personal data than the source's
// own staff view: a ticket code, a visitor's name and topic, a case code). Times in ms.
struct TicketShown {
  std::string code, serviceId, serviceName, priority, source;
  std::optional<int64_t> appointmentAt;
  int64_t arrivedAt = 0;
};
struct VisitShown {
  std::string name, topic, mode, via;  // via: the visit's channel (web, widget, kiosk, …)
  std::string officeId, officeName;
  std::optional<int64_t> appointmentAt;
  int64_t arrivedAt = 0;
};
struct CallbackShown {
  std::string caseCode, caseSubject, officeId, officeName;
  std::optional<int64_t> appointmentAt;  // a promised callback's due time
  bool waitingCall = false;              // a phone call logged as waiting (no promised time)
  int64_t arrivedAt = 0;
};

// One entry of the line with what a desk shows of it.
struct Waiting {
  Entry entry;
  std::variant<TicketShown, VisitShown, CallbackShown> show;
};

// The supervisors' wall: how many wait on one channel of an office and since when the longest
// has waited (its arrival, ms).
struct WallCount {
  int64_t waiting = 0;
  std::optional<int64_t> oldest;
  void add(int64_t n, int64_t arrived) {
    waiting += n;
    if (n > 0 && (!oldest || arrived < *oldest)) oldest = arrived;
  }
};
// An office's line by channel: web knocks (web, widget, kiosk), hall tickets, appointments
// (checked-in appointment tickets and video appointments that joined), callbacks due.
struct WallLine {
  WallCount knocks, tickets, appointments, callbacks;
};

}  // namespace sportello::line
