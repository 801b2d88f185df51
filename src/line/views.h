// What the one line's use cases answer, as typed values: the routes render them with `toJson`,
// the one place each answer's JSON shape is written. What a desk took is shown as its source
// shows it to staff (queue's ticket, reception's visit, cases' callback).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cases/types.h"
#include "core/json_fields.h"
#include "directory/types.h"
#include "line/model/policy.h"
#include "line/types.h"
#include "queue/types.h"
#include "reception/types.h"

namespace sportello::line {

// One entry of a desk's line, in the order the desk would serve it, with the policy's class.
struct LineEntry {
  Waiting waiting;
  Channel channel = Channel::kTicket;
  CallKind kind = CallKind::kNormal;
};

// GET /api/v1/desks/mine/line.
struct DeskLine {
  StoredDesk desk;
  std::vector<LineEntry> entries;
};

// What "Chiama il prossimo" (or an operator's pick) took for the desk: nothing (no channel),
// or one entry of one source, in the state the take left it.
struct DeskCall {
  StoredDesk desk;
  std::optional<Channel> channel;
  std::optional<CallKind> kind;
  std::optional<queue::StoredTicket> ticket;
  std::optional<reception::Visit> visit;
  std::optional<cases::Callback> callback;
  int64_t at = 0;  // when it was taken (a callback's lateness is shown against it)
};

// GET /api/v1/supervision (supervisors): every operator of the ente on duty or with a desk or
// a conversation, with their open desk and the conversations they hold — who serves whom.
struct OperatorAtWork {
  std::string id, displayName, role, presence;
  std::vector<std::string> officeIds;
  std::optional<StoredDesk> desk;
  std::vector<reception::Visit> visits;
};
struct Supervision {
  std::vector<OperatorAtWork> operators;
  int64_t at = 0;
};

// GET /api/v1/enti/{slug}/wall (supervisors): the live wall of a site (or the whole ente) —
// each office's line by channel with its longest wait against the office's target, the open
// desks and whom each serves, the operators by presence. `at` is the instant of the read: the
// waits and "over target" are computed against it.
struct WallOffice {
  std::string id, name;
  std::optional<std::string> siteId;
  WallLine line;
  std::optional<int64_t> targetWaitMinutes;
  int64_t desksOpen = 0;  // open desks serving the office
};
struct WallServing {   // a counter's ticket being called or served
  std::string counterId, code, state;
};
struct Wall {
  std::vector<directory::Site> sites;
  std::optional<std::string> siteId;  // the site shown; none: every site
  std::vector<WallOffice> offices;
  Supervision people;  // every operator at work, with desk and conversations
  std::vector<WallServing> serving;
  int64_t available = 0, busy = 0, away = 0;  // active operators by presence
  int64_t at = 0;
};

Json toJson(const StoredDesk& d);
Json toJson(const OperatorAtWork& o);
Json toJson(const Supervision& s);
Json toJson(const LineEntry& e);
Json toJson(const DeskLine& l);
Json toJson(const DeskCall& c);
Json toJson(const Wall& w);

}  // namespace sportello::line
