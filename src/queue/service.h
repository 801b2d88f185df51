// Queue tickets use cases (eliminacode): issue (paper ticket machine or phone), the site's
// queue, counters and their actions (call next, recall, start, done, no-show, transfer, pause).
// Numbering and calling run inside the writer's transaction, together with their events:
//   site:{siteId}:board   public: codes, counter names and waiting counts only
//   site:{siteId}:staff   staff of the ente: tickets and counters as stored
//   ticket:{ticketId}     the ticket holder (subscribe with its token) and the ente's staff
// Thread-safe; all methods run on the caller's executor and wait on the database workers.
#pragma once

#include "core/clock.h"
#include "platform/caller.h"
#include "platform/database.h"
#include "platform/server.h"
#include "platform/topic.h"
#include "queue/model/call_policy.h"
#include "queue/types.h"
#include "queue/views.h"
#include "staff/service.h"

namespace sportello::queue {

namespace asio = boost::asio;

// Topic patterns (platform/topic.h): the names below and the families of capability.cc.
inline constexpr std::string_view kBoardTopic = "site:{id}:board";
inline constexpr std::string_view kSiteStaffTopic = "site:{id}:staff";
inline constexpr std::string_view kTicketTopic = "ticket:{id}";
std::string boardTopic(const std::string& siteId);
std::string siteStaffTopic(const std::string& siteId);
std::string ticketTopic(const std::string& ticketId);

struct IssueInput {
  std::string service;  // id or prefix letter
  PriorityReason priority = PriorityReason::kNone;
  std::optional<int64_t> appointmentAt;  // with priority "appointment" (staff only)
  std::string source = "machine";        // machine | phone
  std::string lang = "it";
};

// Abuse limits of phone tickets (per client address): at most `activePerService` active
// tickets per service at a site, and `perHour` phone tickets per hour overall (counted in the
// database, so on every node; config phone_tickets_per_address_per_hour).
struct PhoneLimits {
  int activePerService = 1;
  int64_t perHour = 6;
};

// Who acts on a ticket: its holder (by ticket token) or staff of its ente.
struct TicketActor {
  bool holder = false;
  staff::StaffContext staff;  // when !holder
  StoredTicket ticket;
};

class QueueService {
 public:
  QueueService(Database& db, const Clock& clock, staff::StaffService& staff,
               PhoneLimits limits = {}, CallPolicyConfig policy = {});

  // Public: the services served at a site with waiting counts and estimated waits.
  asio::awaitable<Result<SiteQueue>> siteQueue(std::string slug, std::string site);
  // Issues a ticket. Machine tickets need a kiosk token of the ente (Authorization: Bearer)
  // or a staff session of the ente; phone tickets are public and limited per address.
  asio::awaitable<Result<IssuedTicket>> issue(const Caller& caller, std::string slug,
                                              std::string site, IssueInput in);

  // The X-Ticket-Token header, else a staff session of the ticket's ente.
  asio::awaitable<Result<TicketActor>> actor(const Caller& caller, std::string ticketId);
  // The ticket's view after each use case below (as it is once the change is committed).
  asio::awaitable<Result<TicketView>> view(const TicketActor& a);
  asio::awaitable<Result<TicketView>> cancel(const TicketActor& a);

  // Staff
  asio::awaitable<Result<std::vector<CounterDesk>>> listCounters(staff::StaffContext ctx,
                                                                 std::string site);
  asio::awaitable<Result<Counter>> createCounter(staff::StaffContext ctx, std::string name,
                                                 std::string site,
                                                 std::vector<std::string> services);
  // Admin: rename, replace the services, deactivate / reactivate (fields left nullopt stay).
  struct CounterPatch {
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> services;
    std::optional<bool> active;
  };
  asio::awaitable<Result<Counter>> updateCounter(staff::StaffContext ctx, std::string counterId,
                                                 CounterPatch patch);
  asio::awaitable<Result<CallResult>> callNext(staff::StaffContext ctx, std::string counterId);
  asio::awaitable<Result<Counter>> setCounter(staff::StaffContext ctx, std::string counterId,
                                              CounterState state);
  asio::awaitable<Result<std::vector<StoredTicket>>> siteTickets(staff::StaffContext ctx,
                                                                 std::string site,
                                                                 TicketState state);
  // action: recall | start | done | no_show
  asio::awaitable<Result<TicketView>> act(const TicketActor& a, std::string action);
  asio::awaitable<Result<TicketView>> transfer(const TicketActor& a, std::string service);

  // Statistics of a site's tickets issued in [from, to): supervisors and admins of the ente,
  // and operators of an office at the site. from / to: ISO instants, or local days of the ente
  // ("YYYY-MM-DD", `to` inclusive); empty: from today's local midnight, to now.
  asio::awaitable<Result<SiteStats>> stats(staff::StaffContext ctx, std::string site,
                                           std::string from, std::string to);
  // Retention: tickets issued more than `days` ago forget the phone client's address hash.
  asio::awaitable<Result<int64_t>> purge(int days);
  // Closes the day of every ente whose local midnight passed: tickets still waiting or called
  // on an earlier numbering day become "expired" (holders and boards told). Idempotent; run at
  // start and every minute (and inside call-next, so a stale ticket is never called).
  asio::awaitable<Result<int64_t>> closeDays();
  // The origin (scheme://host[:port]) put in the QR code of machine tickets; when empty, the
  // request's Host header (http://) is used.
  void setPublicOrigin(std::string origin) { publicOrigin_ = std::move(origin); }
  // Phone tickets per client address per hour (docs/SECURITY.md, "Limits"). Before serving.
  void setPhoneTicketsPerHour(int64_t n) { limits_.perHour = n; }

  // Real time (queue/capability.cc names the families): site:{id}:board (staffSide false) /
  // site:{id}:staff, and ticket:{id}.
  asio::awaitable<Result<std::string>> authorizeSite(const WsAuth& auth, std::string siteId,
                                                     bool staffSide);
  asio::awaitable<Result<std::string>> authorizeTicket(const WsAuth& auth, std::string ticketId,
                                                       std::string token);

 private:
  Database& db_;
  const Clock& clock_;
  staff::StaffService& staff_;
  PhoneLimits limits_;
  CallPolicyConfig policy_;
  std::string publicOrigin_;
};

}  // namespace sportello::queue
