// The one line's records: desks (sportelli) and what waits in the line, as stored and shown.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_fields.h"
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

// One entry of the line with what a desk shows of it (no more personal data than the source's
// own staff view: a ticket code, a visitor's name and topic, a case code).
struct Waiting {
  Entry entry;
  Json show;
};

}  // namespace sportello::line
