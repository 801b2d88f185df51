// Reception records: visits (a citizen's live contact with an office), their chat messages,
// callback requests (the message left when nobody can answer) and kiosk devices.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reception/model/visit.h"

namespace sportello::reception {

struct Visit {
  std::string id, enteId, officeId, officeSlug, officeName;
  std::string tokenHash;  // sha256 of the citizen's visit token; never rendered
  int64_t knockNo = 0;    // order of arrival in the ente; kept across transfers
  VisitState state = VisitState::kWaiting;
  Mode mode = Mode::kChat;
  VisitChannel channel = VisitChannel::kWeb;
  std::string kioskId, name, topic;
  std::optional<std::string> operatorId, operatorName;
  int64_t knockedAt = 0;
  std::optional<int64_t> admittedAt, endedAt;
  std::string endedBy;  // citizen | operator | ""
  std::optional<std::string> outcome, rejectReason;
  CallState call = CallState::kNone;
  int64_t citizenRead = 0, operatorRead = 0, lastMessage = 0;
  std::optional<std::string> rating;
  std::vector<std::string> ratingReasons;
  std::string ratingComment;
  // An appointment's visit (channel "appointment") may be reserved for the booking's assigned
  // operator: only they may admit it.
  std::optional<std::string> reservedFor, reservedForName;
  // Liveness: when the citizen's page was last connected, and since when it is shown as
  // disconnected (waiting: skipped by admit-next and not counted ahead of anyone).
  int64_t seenAt = 0;
  std::optional<int64_t> awaySince;
  // "Ci sei ancora?": the citizen's last sign of being there (the knock, an answer, a conversation)
  // and when they were asked, while the question is open.
  int64_t hereAt = 0;
  std::optional<int64_t> askedAt;
};

// The operator workspace's settings (docs/API.md, "Workspace"): at most `maxChats` admitted
// visits per operator (unset: no cap); waiting visits given automatically, round robin, to the
// office's available operators. Stored per ente and per office; unset fields of an office
// follow the ente.
struct ContactSettings {
  std::optional<int64_t> maxChats;
  std::optional<bool> autoAssign;
  // The office's target wait (minutes, migration 406): the supervisors' wall raises an alert
  // when someone has waited longer. Unset: no target.
  std::optional<int64_t> targetWaitMinutes;
};

// An internal note on a visit (migration 405): written by staff of the visit's office, read
// only by them, never by the citizen (it travels on no topic the citizen follows). A case
// opened from the visit copies its notes into its own timeline as internal notes.
struct VisitNote {
  std::string id, visitId, enteId, officeId, authorId, authorName, body;
  int64_t at = 0;
};

// What an operator gives with "da richiamare": the number to call back, when (ms; default:
// the case's default, a day later) and a note for whoever calls.
struct FollowUp {
  std::string phone, note;
  std::optional<int64_t> dueAt;
};

struct Message {
  int64_t seq = 0;
  std::string from;  // citizen | operator | system
  std::string body, clientId;
  std::optional<std::string> operatorName;
  int64_t at = 0;
};

// The state of an office's waiting list, as the citizen sees it.
struct QueueFigures {
  int64_t waiting = 0, operatorsAvailable = 0, avgHandleMs = 0;
};

struct CallbackRequest {
  std::string id, enteId, officeId, officeSlug, officeName, code, name, contact, message, state;
  int64_t createdAt = 0;
  std::optional<int64_t> doneAt;
  std::optional<std::string> doneBy, note;
};

struct Kiosk {
  std::string id, enteId, officeId, officeSlug, officeName, name;
  std::optional<std::string> siteId, siteName;
  bool active = true;
  std::optional<int64_t> lastSeenAt;
};

}  // namespace sportello::reception
