// The info point's data (issue 18; docs/API.md, "Visitors"): an ente's settings (which office
// runs the info point, how long visitor data is kept), its areas with the offices they
// contain, its turnstiles (registered devices), the visitors with their pass, and the log of
// checks and of who looked at the visitor list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sportello::visitors {

// Hours visitor data is kept when an ente has not chosen (docs/OPERATIONS.md, "Retention").
inline constexpr int64_t kDefaultRetentionHours = 48;
// Minutes a pass stays valid beyond the expected duration of the visit.
inline constexpr int64_t kGraceMinutes = 30;

struct Settings {
  std::string enteId;
  std::optional<std::string> infoOfficeId;  // operators of this office run the info point
  std::optional<std::string> infoOfficeName;
  int64_t retentionHours = kDefaultRetentionHours;
};

struct AreaOffice {
  std::string id, name;
};

struct Area {
  std::string id, enteId, name;
  std::vector<AreaOffice> offices;
};

struct Turnstile {
  std::string id, enteId, areaId, areaName, name;
  bool active = true;
  std::optional<int64_t> lastSeenAt;
};

enum class VisitorState { kExpected, kRegistered };
const char* stateName(VisitorState s);
std::optional<VisitorState> parseState(std::string_view s);

struct Visitor {
  std::string id, enteId;
  VisitorState state = VisitorState::kRegistered;
  std::string firstName, lastName;
  std::optional<std::string> docType, docTail;
  std::string officeId, officeName;
  std::optional<std::string> hostOperatorId, hostName;
  std::string reason;
  int64_t expectedMinutes = 30;
  std::optional<int64_t> expectedAt;
  std::optional<std::string> createdBy;
  int64_t createdAt = 0;
  std::optional<std::string> confirmedBy;
  std::optional<int64_t> confirmedAt;
  // The pass (registered visitors): only the token's hash is stored.
  bool hasPass = false;
  int64_t validFrom = 0, validUntil = 0;
  std::optional<int64_t> revokedAt;
  std::optional<std::string> insideAreaId, insideAreaName;
  std::optional<int64_t> enteredAt, exitedAt, flaggedAt;
  int64_t checkSeq = 0;  // compare-and-set guard of the pass's state
};

struct CheckRecord {
  std::string id, enteId;
  std::optional<std::string> visitorId;
  std::string turnstileId, areaId, direction, reason;
  bool allowed = false;
  int64_t at = 0;
};

// Checks of one hour (monitoring): entries and exits allowed, checks denied.
struct HourCount {
  int64_t hourStart = 0, entries = 0, exits = 0, denied = 0;
};

// One look at the visitor list or the occupancy list: who, when, what.
struct ListView {
  std::string operatorId, operatorName, what;
  int64_t at = 0;
};

}  // namespace sportello::visitors
