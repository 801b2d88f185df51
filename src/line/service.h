// The one line (docs/LINE.md): desks (sportelli) opened by operators, and "Chiama il prossimo"
// across every channel — a paper or phone ticket, an appointment that checked in, a knock from
// the web, the widget or a kiosk, a video appointment that joined, a callback that fell due —
// by the one policy of line/model/policy.h. Each entry is taken through its own source's
// compare-and-set inside one write transaction, so no entry is ever given to two desks, on one
// node or several.
#pragma once

#include "core/clock.h"
#include "line/model/policy.h"
#include "line/types.h"
#include "line/views.h"
#include "platform/database.h"
#include "platform/server.h"
#include "staff/service.h"

namespace sportello::line {

namespace asio = boost::asio;

// The supervisors' topic (supervisors and admins of the ente; line/capability.cc): `desk.opened`
// and `desk.closed` (a StoredDesk). The wall follows it with the offices' and sites' staff topics
// and the ente's (presence); losing the role revokes it, and the wall goes.
inline constexpr std::string_view kSupervisionTopic = "ente:{slug}:supervision";
std::string supervisionTopic(const std::string& slug);

struct OpenDeskInput {
  std::optional<std::string> counterId;  // a counter of the ente; none: a remote desk
  bool remote = false;                   // a counter with camera and headset (remote desks: always)
  std::vector<std::string> offices;      // ids or slugs; default: the operator's offices
};

class LineService {
 public:
  LineService(Database& db, const Clock& clock, PolicyConfig policy = {});

  asio::awaitable<Result<StoredDesk>> open(staff::StaffContext ctx, OpenDeskInput in);
  // The caller's open desk, if any.
  asio::awaitable<Result<std::optional<StoredDesk>>> mine(staff::StaffContext ctx);
  // Closes the caller's desk (kNotFound when none is open) and answers it as closed.
  asio::awaitable<Result<StoredDesk>> close(staff::StaffContext ctx);
  // Takes the next entry for the caller's desk (the ticket it was handling is done first); or,
  // with `only`, that entry of the desk's line (the operator's own pick).
  asio::awaitable<Result<DeskCall>> next(staff::StaffContext ctx,
                                         std::optional<std::string> only = std::nullopt);
  // The caller's desk's line, in the order it would be served.
  asio::awaitable<Result<DeskLine>> line(staff::StaffContext ctx);
  // Supervisors: the ente's open desks.
  asio::awaitable<Result<std::vector<StoredDesk>>> desks(staff::StaffContext ctx);

  // Supervisors: who is at work, their desks and the conversations each one holds.
  asio::awaitable<Result<Supervision>> supervision(staff::StaffContext ctx);
  // Supervisors: the live wall of a site (id; empty: the whole ente) — each office's line by
  // channel, longest wait against its target, desks open, who serves whom, presence.
  asio::awaitable<Result<Wall>> wall(staff::StaffContext ctx, std::string site);

  // staff's presence hook: an operator who is away (logged out, console gone, deactivated)
  // has no desk open any more; its counter closes on the board.
  Status onPresence(Tx& tx, const staff::Operator& op);

 private:
  Database& db_;
  const Clock& clock_;
  PolicyConfig policy_;
};

}  // namespace sportello::line
