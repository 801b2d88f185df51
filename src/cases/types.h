// Case records (pratiche) as stored: the case, its timeline, callbacks, the ente's escalation
// chain, canned answers and attachments.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cases/model/case.h"

namespace sportello::cases {

struct StoredCase {
  std::string id, enteId, officeId, officeName, code;
  std::string secretHash;  // sha256 of the citizen's secret; never rendered
  int level = 1;
  CaseState state = CaseState::kNew;
  Priority priority = Priority::kNormal;
  int64_t dueAt = 0;
  std::string subject;
  Channel channel = Channel::kPhone;
  std::string citizenName, citizenEmail, citizenPhone;  // "" when not given
  std::string lang = "it";
  bool firstContactResolved = false;
  bool resolvedAtCreation = false;
  std::optional<std::string> assignedOperatorId, assignedOperatorName;
  std::optional<int64_t> escalationLevel;  // index in the ente's chain; none = not escalated
  std::optional<std::string> visitId, callbackRequestId;
  int64_t transfers = 0, escalations = 0, callbacks = 0, reopens = 0;
  int64_t createdAt = 0, updatedAt = 0;
  std::optional<int64_t> resolvedAt, closedAt;
};

// One timeline entry. kind: created | state | note_internal | reply_public | transfer |
// escalation | callback | citizen_info | attachment. `visible`: shown to the citizen.
struct TimelineEntry {
  std::string id, caseId, kind;
  int64_t seq = 0;
  bool visible = false;
  std::optional<std::string> operatorId, operatorName;
  std::string officeId;  // the office handling the case when it happened
  std::string body;
  std::string data;  // JSON object text
  int64_t at = 0;
};

struct Callback {
  std::string id, caseId, caseCode, caseSubject, enteId, officeId, officeName;
  std::optional<std::string> operatorId, operatorName;
  std::string phone, note;
  int64_t dueAt = 0, createdAt = 0;
  std::optional<int64_t> doneAt;
  std::optional<std::string> doneBy, outcome;
  std::optional<int64_t> takenAt;  // when a desk took it from the one line (line/)
  // An inbound phone call logged as waiting: in the one line by its arrival (createdAt), not
  // as a promise for a time.
  bool inLine = false;
};

struct CannedAnswer {
  std::string id, enteId, officeId, title, body;
  int64_t updatedAt = 0;
};

struct Attachment {
  std::string id, caseId, filename, contentType, uploadedBy;  // citizen | operator
  int64_t size = 0, at = 0;
};

// First-contact resolution of one office: cases opened, resolved, resolved at first contact.
struct OfficeFcr {
  std::string officeId, officeName;
  int64_t cases = 0, resolved = 0, fcr = 0;
};

struct CaseFilter {
  std::string enteId;
  std::vector<std::string> officeIds;  // empty = all offices of the ente
  std::string code, citizen, text;
  std::string visitId;  // the cases opened from that visit
  std::optional<CaseState> state;
  bool openOnly = false, overdue = false;
  std::optional<int64_t> olderThanMs;  // created before now - this
  int64_t now = 0;
  int64_t limit = 50;
};

}  // namespace sportello::cases
