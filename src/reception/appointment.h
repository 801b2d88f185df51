// A video appointment's visit: booking's "video-visit" calls this inside its own write
// transaction, so the booking and its visit change together. The visit is an ordinary reception
// visit (channel "appointment", mode video) with two differences:
//  - it goes first in the office's line: its knock number is the ente's next one minus
//    kAppointmentKnockOffset, below every walk-in's and in order of arrival among appointments,
//    so every rule that orders by knock number (position, admit-next, the waiting-room
//    protocol) puts it ahead without a special case; its arrival is broadcast as
//    queue.joined {"k"} so the citizens already waiting add one to their position;
//  - it may be reserved for the booking's assigned operator: only they may admit it.
#pragma once

#include <optional>
#include <string>

#include "platform/database.h"

namespace sportello::reception {

inline constexpr int64_t kAppointmentKnockOffset = int64_t{1} << 40;

struct AppointmentKnock {
  std::string enteId, officeId;
  std::string name, topic;                   // the applicant, the booking code
  std::optional<std::string> operatorId;     // the booking's assigned operator
  std::optional<std::string> existingVisit;  // the visit made for the booking before, if any
};

struct AppointmentVisit {
  std::string visitId, token;  // the token is new on every call (only its hash is stored)
  bool created = false;
};

// Returns the booking's live visit (waiting or admitted) with a fresh token, or knocks a new one.
Result<AppointmentVisit> knockForAppointment(Tx& tx, const AppointmentKnock& in);

// The booking was cancelled or moved: its visit, if still waiting, leaves the line (as if the
// citizen had left it). An admitted or ended visit is left alone.
Status withdrawAppointmentVisit(Tx& tx, const std::string& visitId);

}  // namespace sportello::reception
