// What the info point's use cases answer, as typed values (docs/ARCHITECTURE.md, "Callers and
// views"); the routes render them with toJson into the shapes of docs/API.md, "Visitors". No
// token hash is ever part of a view; a pass token only in `IssuedPass` (shown once, printed on
// the badge) and a device token only in `TurnstileSecret`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_fields.h"
#include "visitors/model/pass.h"
#include "visitors/types.h"

namespace sportello::visitors {

// A visitor just registered or confirmed, or whose pass was replaced: the record, the pass
// token (the QR's content), the QR as SVG and what the badge prints (first name, destination).
// With the link of the visitor's phone page and its QR (the badge screen shows both).
struct IssuedPass {
  Visitor visitor;
  std::string token, qrSvg, badgeName, destination;
  std::string phoneUrl, phoneQrSvg;
};

// A new device token, with the door tablet's setup address (token in the fragment) and its QR.
struct TurnstileSecret {
  Turnstile turnstile;
  std::string token;
  std::string setupUrl, setupQrSvg;
};

// The visitor's phone page (token only): no more than the badge, plus the window and state.
enum class PassPhase { kValid, kNotYetValid, kExpired, kRevoked, kInside };
struct PassView {
  std::string enteName, enteTimezone, firstName, destination;
  int64_t validFrom = 0, validUntil = 0;
  PassPhase state = PassPhase::kValid;
  std::optional<std::string> insideAreaName;
  std::string qrSvg;
};

// What a turnstile (or door tablet) shows at rest.
struct TurnstileHome {
  Turnstile turnstile;
  std::string enteSlug, enteName;
};

// The answer of a check: allowed or not, and why. First name and destination only when
// allowed (for the guard at the door); nothing of another ente's pass.
struct CheckAnswer {
  bool allowed = false;
  CheckReason reason = CheckReason::kUnknownToken;
  Direction direction = Direction::kIn;
  std::string areaName;
  std::optional<std::string> firstName, destination;
  int64_t at = 0;
};

// Who is inside each area now (the evacuation list), every area of the ente listed.
struct AreaInside {
  std::string id, name;
  std::vector<Visitor> inside;
};
struct Occupancy {
  std::vector<AreaInside> areas;
  int64_t at = 0;
};

// The visitors of a day (local date of the ente), as the asking staff member may see them.
struct VisitorList {
  std::string day;
  std::vector<Visitor> visitors;
  int64_t at = 0;
};

struct EntriesPerHour {
  std::string day;
  std::vector<HourCount> hours;
};

// The caller's rights on visitors, for the info point page to show what works.
struct VisitorRights {
  bool infoPoint = false, admin = false;
  Settings settings;
  std::string topic;  // the live topic of the lists (info point only)
};

Json toJson(const Settings& s);
Json toJson(const Area& a);
Json toJson(const Turnstile& t);
Json toJson(const Visitor& v);
Json toJson(const IssuedPass& p);
Json toJson(const TurnstileSecret& t);
Json toJson(const TurnstileHome& h);
Json toJson(const CheckAnswer& a);
Json toJson(const Occupancy& o);
Json toJson(const VisitorList& l);
Json toJson(const EntriesPerHour& e);
Json toJson(const ListView& v);
Json toJson(const VisitorRights& r);
Json toJson(const PassView& p);

}  // namespace sportello::visitors
