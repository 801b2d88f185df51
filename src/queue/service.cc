#include "queue/service.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/token.h"
#include "directory/lookup.h"
#include "directory/service.h"
#include "platform/ratelimit.h"
#include "queue/call.h"
#include "queue/checkin.h"
#include "queue/model/numbering.h"
#include "queue/model/qr_svg.h"
#include "queue/model/stats.h"
#include "queue/model/wait_estimate.h"
#include "queue/store.h"
#include "reception/line.h"
#include "reception/lookup.h"

namespace sportello::queue {

std::string boardTopic(const std::string& siteId) {
  return Topic::make(kBoardTopic, {{"id", siteId}});
}
std::string siteStaffTopic(const std::string& siteId) {
  return Topic::make(kSiteStaffTopic, {{"id", siteId}});
}
std::string ticketTopic(const std::string& ticketId) {
  return Topic::make(kTicketTopic, {{"id", ticketId}});
}

namespace {

// Oldest normal tickets per service considered by call-next (with every priority ticket): the
// policy only ever takes the oldest, the rest are spares when another node claims one first.
constexpr int64_t kCallCandidates = 8;

SysMillis millis(int64_t ms) {
  return SysMillis(std::chrono::milliseconds(ms));
}

const date::time_zone* zoneOrNull(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::string dayString(const date::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

struct Place {
  directory::Ente ente;
  directory::Site site;
};

}  // namespace

// The day closing of one ente (see QueueService::closeDays); inside the caller's transaction.
Result<int64_t> closeDay(Tx& tx, const std::string& enteId);

namespace {

Result<Place> findSite(sql::Connection& c, const std::string& slug, const std::string& siteId) {
  SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
  auto site = directory::lookup::site(c, ente.id, siteId);
  if (!site.ok()) return makeError(Errc::kNotFound, "sede non trovata");
  return Place{std::move(ente), std::move(site.value())};
}

// A service of the ente by id or prefix letter; kInvalid naming `field` when unknown.
Result<directory::Service> findService(sql::Connection& c, const std::string& enteId,
                                       const std::string& ref, const char* field) {
  SP_ASSIGN(auto all, directory::lookup::listServices(c, enteId));
  for (auto& s : all) {
    if (s.id == ref || (!s.prefix.empty() && s.prefix == ref)) return std::move(s);
  }
  return makeError(Errc::kInvalid, std::string(field) + ": servizio sconosciuto", field);
}

Result<bool> servedAt(sql::Connection& c, const std::string& siteId, const std::string& serviceId) {
  SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM queue_counters k JOIN queue_counter_services cs "
                          "ON cs.counter_id = k.id WHERE k.site_id = ? AND cs.service_id = ? AND "
                          "k.active = 1",
                          {siteId, serviceId}));
  return r.i64(0) > 0;
}

// Whether the service's office receives in person now (a service without office: always).
Result<directory::OpenStatus> openNow(sql::Connection& c, const directory::Ente& ente,
                                      const directory::Service& s, int64_t nowMs) {
  if (!s.officeId) {
    directory::OpenStatus always;
    always.open = true;
    return always;
  }
  return directory::lookup::openStatus(c, ente, *s.officeId, std::string("walk_in"), nowMs);
}

std::string isoSeconds(std::chrono::sys_seconds t) {
  return formatIsoMs(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

// Estimated wait (seconds) for someone with `ahead` people before them; nullopt when unknown.
Result<std::optional<int64_t>> estimate(sql::Connection& c, const std::string& siteId,
                                        const directory::Service& s, int64_t ahead) {
  SP_ASSIGN(int64_t open, store::openCountersFor(c, siteId, s.id));
  SP_ASSIGN(auto recent, store::recentDurations(c, s.id, kDefaultWaitSampleWindow));
  WaitEstimateInput in;
  in.ahead = static_cast<int>(ahead);
  in.openCounters = static_cast<int>(open);
  in.recentDurationsSec = std::move(recent);
  in.defaultDuration = std::chrono::minutes(s.durationMinutes);
  auto w = estimateWait(in);
  return w ? std::optional<int64_t>(w->count()) : std::nullopt;
}

// The waiting count of a service on the public board (no personal data).
Status emitWaiting(Tx& tx, const std::string& siteId, const std::string& serviceId) {
  SP_ASSIGN(int64_t n, store::waitingCount(tx.conn(), siteId, serviceId));
  return tx.emit(boardTopic(siteId), "queue.updated", {{"service", serviceId}, {"waiting", n}});
}

// Announces a ticket change to its holder and the site's staff.
Status announce(Tx& tx, const StoredTicket& t, const std::string& type, Json data) {
  SP_TRY(tx.emit(ticketTopic(t.id), type, data));
  return tx.emit(siteStaffTopic(t.siteId), "ticket.updated", toJson(t));
}

// The figures' record of a ticket that ended (platform/contact_fact.h): waiting from issue to
// call, service from call to done.
Status contactEnded(Tx& tx, const StoredTicket& t, ContactOutcome outcome,
                    const std::optional<std::string>& operatorId) {
  SP_ASSIGN(auto office, directory::lookup::serviceOffice(tx.conn(), t.serviceId));
  ContactFact f;
  f.enteId = t.enteId;
  f.officeId = office.value_or("");
  f.serviceId = t.serviceId;
  f.operatorId = operatorId;
  f.channel = "ticket";
  f.outcome = outcome;
  f.arrivedAt = t.issuedAt;
  f.startedAt = t.calledAt;
  f.endedAt = t.endedAt.value_or(tx.nowMs());
  return tx.recordContact(f);
}

Status emitCounter(Tx& tx, const Counter& k) {
  SP_TRY(tx.emit(boardTopic(k.siteId), "counter.updated",
                 {{"counter", k.name}, {"state", counterStateName(k.state)}}));
  return tx.emit(siteStaffTopic(k.siteId), "counter.updated", toJson(k));
}

// Closes the ticket a counter is handling (done), if any: calling the next one ends it.
Status finishCurrent(Tx& tx, const Counter& k, const std::string& operatorId, int64_t now) {
  SP_ASSIGN(auto cur, store::currentOf(tx.conn(), k.id));
  if (!cur) return okStatus();
  cur->state = TicketState::kDone;
  cur->endedAt = now;
  SP_TRY(store::update(tx.conn(), *cur));
  SP_TRY(store::addHistory(tx.conn(), cur->id, "done", k.id, operatorId, std::nullopt, now));
  SP_TRY(contactEnded(tx, *cur, ContactOutcome::kServed, operatorId));
  return announce(tx, *cur, "ticket.done", Json::object());
}

}  // namespace

Ticket modelTicket(const StoredTicket& t) {
  Ticket m;
  m.id = t.id;
  m.serviceId = t.serviceId;
  m.code = t.code;
  m.number = static_cast<int>(t.number);
  m.issuedAt = millis(t.issuedAt);
  m.priority = t.priority;
  if (t.appointmentAt) m.appointmentAt = millis(*t.appointmentAt);
  return m;
}

Result<Counter> counterForCall(sql::Connection& c, const std::string& counterId,
                               const std::string& enteId) {
  auto found = store::counter(c, counterId);
  if (!found.ok() || found->enteId != enteId) {
    return makeError(Errc::kNotFound, "postazione non trovata");
  }
  if (!found->active) {
    Error e(Errc::kConflict, "postazione disattivata");
    e.reason = "inactive";
    return e;
  }
  return std::move(found.value());
}

Status beforeCall(Tx& tx, const Counter& k, const std::string& operatorId, int64_t now) {
  SP_TRY(finishCurrent(tx, k, operatorId, now));
  SP_ASSIGN(int64_t closed, closeDay(tx, k.enteId));
  (void)closed;
  return okStatus();
}

namespace {
// Whether the one line serves `t` before every walk-in knock whatever its arrival: a priority
// ticket, or an appointment due by now + the policy's grace (queue/model/call_policy.h).
bool aheadOfKnocks(const StoredTicket& t, int64_t now) {
  if (t.priority == PriorityReason::kPregnancy || t.priority == PriorityReason::kAge ||
      t.priority == PriorityReason::kDisability) {
    return true;
  }
  constexpr int64_t grace = std::chrono::milliseconds(CallPolicyConfig{}.appointmentGrace).count();
  return t.priority == PriorityReason::kAppointment && t.appointmentAt &&
         *t.appointmentAt <= now + grace;
}
}  // namespace

Result<std::vector<StoredTicket>> callCandidatesFor(sql::Connection& c, const std::string& siteId,
                                                    const std::vector<std::string>& serviceIds) {
  return store::callCandidates(c, siteId, serviceIds, kCallCandidates);
}

Result<std::optional<StoredTicket>> callTicket(Tx& tx, const Counter& k,
                                               const std::string& ticketId,
                                               const std::string& operatorId, CallKind kind,
                                               int64_t now) {
  auto& c = tx.conn();
  SP_ASSIGN(bool won, store::claim(c, ticketId, k.id, now));
  if (!won) return std::optional<StoredTicket>();
  SP_ASSIGN(auto t, store::ticket(c, ticketId));
  SP_TRY(
      store::addHistory(c, t.id, "called", k.id, operatorId, std::string(callKindName(kind)), now));
  // One board event per call: it carries the service's new waiting count too (a separate
  // queue.updated would double the deliveries to every screen in the hall).
  SP_ASSIGN(int64_t waitingNow, store::waitingCount(c, t.siteId, t.serviceId));
  SP_TRY(tx.emit(boardTopic(t.siteId), "ticket.called",
                 {{"code", t.code},
                  {"counter", k.name},
                  {"service", t.serviceName},
                  {"service_id", t.serviceId},
                  {"waiting", waitingNow}}));
  SP_TRY(announce(tx, t, "ticket.called", {{"code", t.code}, {"counter", k.name}}));
  SP_TRY(reception::ticketLeftLine(tx, t.serviceId, t.issuedAt, aheadOfKnocks(t, now), "called"));
  return std::optional<StoredTicket>(std::move(t));
}

Status markOpen(Tx& tx, Counter& k) {
  bool wasOpen = k.state == CounterState::kOpen;
  k.state = CounterState::kOpen;
  SP_TRY(store::setCounterState(tx.conn(), k.id, k.state, k.consecutivePriorityCalls));
  if (!wasOpen) SP_TRY(emitCounter(tx, k));
  return okStatus();
}

Status markClosed(Tx& tx, Counter& k) {
  if (k.state == CounterState::kClosed) return okStatus();
  k.state = CounterState::kClosed;
  SP_TRY(store::setCounterState(tx.conn(), k.id, k.state, k.consecutivePriorityCalls));
  return emitCounter(tx, k);
}

Result<int64_t> closeDay(Tx& tx, const std::string& enteId) {
  SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), enteId));
  const date::time_zone* tz = zoneOrNull(ente.timezone);
  if (!tz) return int64_t{0};
  int64_t now = tx.nowMs();
  std::string today = dayString(numberingDay(tz, millis(now)));
  SP_ASSIGN(auto stale, store::staleTickets(tx.conn(), enteId, today, 5000));
  std::set<std::pair<std::string, std::string>> lines;
  for (auto& t : stale) {
    t.state = TicketState::kExpired;
    t.endedAt = now;
    SP_TRY(store::update(tx.conn(), t));
    SP_TRY(store::addHistory(tx.conn(), t.id, "expired", std::nullopt, std::nullopt, t.day, now));
    SP_TRY(contactEnded(tx, t, ContactOutcome::kAbandoned, std::nullopt));
    SP_TRY(announce(tx, t, "ticket.expired", {{"code", t.code}, {"day", t.day}}));
    lines.emplace(t.siteId, t.serviceId);
  }
  for (const auto& [site, service] : lines) SP_TRY(emitWaiting(tx, site, service));
  return static_cast<int64_t>(stale.size());
}

Status numberAndStore(Tx& tx, StoredTicket& t, const date::time_zone* tz,
                      const std::string& historySource) {
  auto& c = tx.conn();
  int64_t now = tx.nowMs();
  SP_ASSIGN(auto last, store::lockSequence(c, t.siteId, t.serviceId));
  std::optional<LastIssued> li;
  int64_t stamp = now;
  if (last) {
    li = LastIssued{static_cast<int>(last->first), millis(last->second)};
    stamp = std::max(now, last->second);
  }
  SP_ASSIGN(int n, nextNumber(NumberingReset::kDaily, tz, li, millis(now)));
  SP_ASSIGN(t.code, formatTicketCode(t.servicePrefix[0], n));
  t.number = n;
  t.day = dayString(numberingDay(tz, millis(stamp)));
  SP_TRY(store::insertTicket(c, t));
  SP_TRY(store::setLastIssued(c, t.siteId, t.serviceId, n, stamp));
  SP_TRY(store::addHistory(c, t.id, "issued", std::nullopt, std::nullopt, historySource, now));
  SP_TRY(tx.emit(siteStaffTopic(t.siteId), "ticket.issued", toJson(t)));
  SP_TRY(reception::ticketJoinedLine(tx, t.serviceId, t.issuedAt, aheadOfKnocks(t, now)));
  return emitWaiting(tx, t.siteId, t.serviceId);
}

QueueService::QueueService(Database& db, const Clock& clock, staff::StaffService& staff,
                           PhoneLimits limits, CallPolicyConfig policy)
    : db_(db), clock_(clock), staff_(staff), limits_(limits), policy_(policy) {}

// ---------------------------------------------------------------------------------------------
// Public

asio::awaitable<Result<SiteQueue>> QueueService::siteQueue(std::string slug, std::string site) {
  int64_t now = clock_.nowMs();
  auto job = [slug, site, now](sql::Connection& c) -> Result<SiteQueue> {
    SP_ASSIGN(auto p, findSite(c, slug, site));
    SiteQueue out;
    out.siteId = p.site.id;
    out.siteName = p.site.name;
    SP_ASSIGN(auto services, directory::lookup::listServices(c, p.ente.id));
    for (const auto& s : services) {
      SP_ASSIGN(bool served, servedAt(c, p.site.id, s.id));
      if (!served) continue;
      ServiceLine line;
      line.id = s.id;
      line.prefix = s.prefix;
      line.name = s.name;
      SP_ASSIGN(line.waiting, store::waitingCount(c, p.site.id, s.id));
      SP_ASSIGN(auto st, openNow(c, p.ente, s, now));
      line.open = st.open;
      line.nextOpensAt = st.nextOpensAt;
      SP_ASSIGN(line.estimatedWaitS, estimate(c, p.site.id, s, line.waiting));
      out.services.push_back(std::move(line));
    }
    SP_ASSIGN(auto counters, store::counters(c, p.ente.id, p.site.id));
    for (const auto& k : counters) {
      if (k.active) out.counters.push_back({k.name, k.state});
    }
    out.boardTopic = boardTopic(p.site.id);
    SP_ASSIGN(out.boardSeq, eventlog::currentSeq(c, out.boardTopic));
    return out;
  };
  co_return co_await db_.read<SiteQueue>(std::move(job));
}

namespace {

// Who may take a ticket this way: the phone page is public; a ticket machine is a kiosk device
// of the ente (its token checked with the site, on the reader) or a staff session of the ente.
struct Issuer {
  bool staff = false;
  std::string kioskHash;
};

// The priority rules of the issue input, given who issues it.
Status checkPriority(const IssueInput& in, bool phone, bool staff) {
  if (phone && in.priority != PriorityReason::kNone) {
    return makeError(Errc::kInvalid, "priority: la precedenza si chiede al totem o allo sportello",
                     "priority");
  }
  if (in.priority == PriorityReason::kAppointment) {
    if (!staff) {
      return makeError(Errc::kInvalid, "priority: appuntamento registrato solo dal personale",
                       "priority");
    }
    if (!in.appointmentAt) {
      return makeError(Errc::kInvalid, "appointment_at: obbligatorio con un appuntamento",
                       "appointment_at");
    }
  } else if (in.appointmentAt) {
    return makeError(Errc::kInvalid, "appointment_at: solo con priority appointment",
                     "appointment_at");
  }
  return okStatus();
}

}  // namespace

asio::awaitable<Result<IssuedTicket>> QueueService::issue(const Caller& caller, std::string slug,
                                                          std::string site, IssueInput in) {
  bool phone = in.source == "phone";
  std::string remote = caller.remote;
  Issuer by;
  if (!phone) {
    if (!caller.device.empty()) {
      by.kioskHash = sha256Hex(caller.device);
    } else {
      auto ctx = co_await staff_.require(caller, slug, staff::Role::kOperator);
      if (!ctx.ok()) co_return ctx.error();
      by.staff = true;
    }
  }
  if (auto st = checkPriority(in, phone, by.staff); !st.ok()) co_return st.error();
  std::string kioskHash = by.kioskHash;

  int64_t now = clock_.nowMs();
  std::string token = newSecret();
  StoredTicket t;
  t.id = newId();
  t.tokenHash = sha256Hex(token);
  t.clientKey = phone ? sha256Hex("queue-client:" + remote) : "";
  t.source = in.source;
  t.lang = in.lang;
  t.priority = in.priority;
  t.appointmentAt = in.appointmentAt;
  t.issuedAt = now;
  int activeMax = limits_.activePerService;
  // Checks on a reader (in parallel with other requests): the kiosk, the site, the service,
  // that it is served here and open now. Only the numbering runs in the single writer.
  struct Prep {
    std::string enteId, siteId, tz;
    directory::Service service;
  };
  auto prep = [slug, site, service = in.service, now, kioskHash](sql::Connection& c) -> Result<Prep> {
    if (!kioskHash.empty()) {
      auto k = reception::lookup::kioskByToken(c, kioskHash);
      if (!k.ok()) return makeError(Errc::kUnauthorized, "totem non autorizzato");
      SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
      if (ente.id != k->enteId) return makeError(Errc::kForbidden, "totem di un altro ente");
    }
    SP_ASSIGN(auto p, findSite(c, slug, site));
    SP_ASSIGN(auto s, findService(c, p.ente.id, service, "service"));
    SP_ASSIGN(bool served, servedAt(c, p.site.id, s.id));
    if (!served) {
      Error e(Errc::kConflict, "questo servizio non si riceve in questa sede");
      e.reason = "not_served";
      return e;
    }
    SP_ASSIGN(auto st, openNow(c, p.ente, s, now));
    if (!st.open) {
      Error e(Errc::kConflict, "Il servizio ora è chiuso.");
      e.reason = "closed";
      if (st.nextOpensAt) e.details.emplace_back("next_opens_at", isoSeconds(*st.nextOpensAt));
      return e;
    }
    if (!zoneOrNull(p.ente.timezone)) {
      return makeError(Errc::kInternal, "fuso orario dell'ente non valido");
    }
    if (s.prefix.size() != 1) {
      return makeError(Errc::kConflict, "il servizio non ha una lettera per i biglietti");
    }
    return Prep{p.ente.id, p.site.id, p.ente.timezone, std::move(s)};
  };
  auto checked = co_await db_.read<Prep>(std::move(prep));
  if (!checked.ok()) co_return checked.error();
  const date::time_zone* tz = zoneOrNull(checked->tz);
  t.enteId = checked->enteId;
  t.siteId = checked->siteId;
  t.serviceId = checked->service.id;
  t.serviceName = checked->service.name;
  t.servicePrefix = checked->service.prefix;
  t.numberedBy = checked->service.id;
  ratelimit::Rule perAddress{"phone_ticket.address", phone ? limits_.perHour : 0};
  auto job = [t, now, phone, activeMax, tz, perAddress,
              remote](Tx& tx) mutable -> Result<StoredTicket> {
    auto& c = tx.conn();
    SP_ASSIGN(int64_t wait, ratelimit::take(tx, perAddress, remote));
    if (wait > 0) {
      Error e = ratelimit::tooMany("Hai preso troppi biglietti da questo indirizzo.", wait);
      e.reason = "limit";
      return e;
    }
    if (phone) {
      // A ticket left over from an earlier day is not this person's active ticket.
      SP_TRY(closeDay(tx, t.enteId));
      SP_ASSIGN(int64_t active, store::activePhoneTickets(c, t.siteId, t.serviceId, t.clientKey));
      if (active >= activeMax) {
        Error e(Errc::kTooManyRequests, "hai già un biglietto in attesa per questo servizio");
        e.reason = "limit";
        return e;
      }
    }
    SP_TRY(numberAndStore(tx, t, tz, t.source));
    return t;
  };
  auto stored = co_await db_.write<StoredTicket>(std::move(job));
  if (!stored.ok()) co_return stored.error();
  TicketActor a;
  a.holder = true;
  a.ticket = std::move(stored.value());
  auto v = co_await view(a);
  if (!v.ok()) co_return v.error();
  IssuedTicket out{std::move(v.value()), token, {}, {}};
  if (!phone) {
    // The QR code on the ticket opens the phone's status page of this ticket; the token rides
    // in the fragment, which browsers never send to a server.
    std::string origin = publicOrigin_.empty() ? caller.origin : publicOrigin_;
    std::string url = origin + "/" + slug + "/ticket/" + a.ticket.siteId + "#id=" + a.ticket.id +
                      "&t=" + token;
    auto qr = qrSvg(url);
    out.followUrl = url;
    if (qr.ok()) out.qrSvg = qr->svg;
  }
  co_return out;
}

asio::awaitable<Result<TicketActor>> QueueService::actor(const Caller& caller,
                                                         std::string ticketId) {
  const std::string& token = caller.holder;
  auto job = [ticketId](sql::Connection& c) { return store::ticket(c, ticketId); };
  auto t = co_await db_.read<StoredTicket>(std::move(job));
  if (!token.empty()) {
    // A wrong token and an unknown ticket look the same.
    if (!t.ok() || !secretEquals(sha256Hex(token), t->tokenHash)) {
      co_return makeError(Errc::kNotFound, "biglietto non trovato");
    }
    TicketActor a;
    a.holder = true;
    a.ticket = std::move(t.value());
    co_return a;
  }
  auto ctx = co_await staff_.require(caller, "", staff::Role::kOperator);
  if (!ctx.ok()) co_return ctx.error();
  if (!t.ok() || t->enteId != ctx->op.enteId) {
    co_return makeError(Errc::kNotFound, "biglietto non trovato");
  }
  TicketActor a;
  a.staff = std::move(ctx.value());
  a.ticket = std::move(t.value());
  co_return a;
}

asio::awaitable<Result<TicketView>> QueueService::view(const TicketActor& a) {
  std::string id = a.ticket.id;
  bool holder = a.holder;
  auto job = [id, holder, now = clock_.nowMs()](sql::Connection& c) -> Result<TicketView> {
    TicketView out;
    SP_ASSIGN(out.ticket, store::ticket(c, id));
    const StoredTicket& t = out.ticket;
    SP_ASSIGN(auto s, directory::lookup::service(c, t.enteId, t.serviceId));
    if (t.state == TicketState::kWaiting) {
      SP_ASSIGN(int64_t ahead, store::waitingBefore(c, t.siteId, t.serviceId, t.issuedAt, t.id));
      // The one line: the knocks on the service's office that came first are ahead too (a
      // priority ticket or a due appointment goes before them).
      if (!aheadOfKnocks(t, now)) {
        SP_ASSIGN(int64_t knocks, reception::knocksAhead(c, t.serviceId, t.issuedAt));
        ahead += knocks;
      }
      out.ahead = ahead;
      SP_ASSIGN(out.estimatedWaitS, estimate(c, t.siteId, s, ahead));
      SP_ASSIGN(out.countersOpen, store::openCountersFor(c, t.siteId, t.serviceId));
    }
    out.ticketTopic = ticketTopic(t.id);
    out.boardTopic = boardTopic(t.siteId);
    SP_ASSIGN(out.ticketSeq, eventlog::currentSeq(c, out.ticketTopic));
    if (!holder) {
      SP_ASSIGN(out.history, store::history(c, t.id));
    }
    return out;
  };
  co_return co_await db_.read<TicketView>(std::move(job));
}

asio::awaitable<Result<TicketView>> QueueService::cancel(const TicketActor& a) {
  std::string id = a.ticket.id;
  std::optional<std::string> opId;
  if (!a.holder) opId = a.staff.op.id;
  int64_t now = clock_.nowMs();
  auto job = [id, opId, now](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto t, store::ticket(tx.conn(), id));
    if (t.state != TicketState::kWaiting) {
      return makeError(Errc::kConflict, "si può annullare solo un biglietto in attesa");
    }
    t.state = TicketState::kCancelled;
    t.endedAt = now;
    SP_TRY(store::update(tx.conn(), t));
    SP_TRY(store::addHistory(tx.conn(), t.id, "cancelled", std::nullopt, opId, std::nullopt, now));
    SP_TRY(contactEnded(tx, t, ContactOutcome::kAbandoned, std::nullopt));
    SP_TRY(announce(tx, t, "ticket.cancelled", Json::object()));
    SP_TRY(emitWaiting(tx, t.siteId, t.serviceId));
    SP_TRY(
        reception::ticketLeftLine(tx, t.serviceId, t.issuedAt, aheadOfKnocks(t, now), "cancelled"));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await view(a);
}

// ---------------------------------------------------------------------------------------------
// Staff

asio::awaitable<Result<std::vector<CounterDesk>>> QueueService::listCounters(
    staff::StaffContext ctx, std::string site) {
  std::string enteId = ctx.op.enteId;
  auto job = [enteId, site](sql::Connection& c) -> Result<std::vector<CounterDesk>> {
    SP_ASSIGN(auto ks, store::counters(c, enteId, site));
    std::vector<CounterDesk> out;
    for (auto& k : ks) {
      SP_ASSIGN(auto cur, store::currentOf(c, k.id));
      out.push_back({std::move(k), std::move(cur)});
    }
    return out;
  };
  co_return co_await db_.read<std::vector<CounterDesk>>(std::move(job));
}

asio::awaitable<Result<Counter>> QueueService::createCounter(staff::StaffContext ctx,
                                                             std::string name, std::string site,
                                                             std::vector<std::string> services) {
  if (services.empty()) {
    co_return makeError(Errc::kInvalid, "services: almeno un servizio", "services");
  }
  Counter k;
  k.id = newId();
  k.enteId = ctx.op.enteId;
  k.name = std::move(name);
  auto job = [k, site, services](Tx& tx) mutable -> Result<Counter> {
    auto st = directory::lookup::site(tx.conn(), k.enteId, site);
    if (!st.ok()) return makeError(Errc::kInvalid, "site: sede sconosciuta", "site");
    k.siteId = st->id;
    k.serviceIds.clear();  // a retried job starts again from the request
    std::set<std::string> seen;
    for (const auto& ref : services) {
      SP_ASSIGN(auto s, findService(tx.conn(), k.enteId, ref, "services"));
      if (seen.insert(s.id).second) k.serviceIds.push_back(s.id);
    }
    auto ins = store::insertCounter(tx.conn(), k, tx.nowMs());
    if (!ins.ok()) {
      if (ins.error().code == Errc::kConflict) {
        return makeError(Errc::kConflict, "esiste già una postazione con questo nome", "name");
      }
      return ins.error();
    }
    SP_ASSIGN(auto stored, store::counter(tx.conn(), k.id));
    SP_TRY(emitCounter(tx, stored));
    return stored;
  };
  co_return co_await db_.write<Counter>(std::move(job));
}

asio::awaitable<Result<CallResult>> QueueService::callNext(staff::StaffContext ctx,
                                                           std::string counterId) {
  int64_t now = clock_.nowMs();
  std::string opId = ctx.op.id;
  std::string enteId = ctx.op.enteId;
  CallPolicyConfig policy = policy_;
  auto job = [counterId, opId, enteId, now, policy](Tx& tx) -> Result<CallResult> {
    auto& c = tx.conn();
    SP_ASSIGN(Counter k, counterForCall(c, counterId, enteId));
    SP_TRY(beforeCall(tx, k, opId, now));
    SP_ASSIGN(auto waiting, callCandidatesFor(c, k.siteId, k.serviceIds));
    std::vector<Ticket> candidates;
    candidates.reserve(waiting.size());
    for (const auto& t : waiting) candidates.push_back(modelTicket(t));
    CounterView view{k.serviceIds, k.consecutivePriorityCalls};
    std::optional<CallDecision> pick;
    std::optional<StoredTicket> called;
    // Inside the single writer no one else claims; across nodes (PostgreSQL) a claim can lose
    // the race: then choose again without that ticket.
    for (int attempt = 0; attempt < 5; ++attempt) {
      pick = chooseNext(candidates, view, millis(now), policy);
      if (!pick) break;
      SP_ASSIGN(called, callTicket(tx, k, pick->ticketId, opId, pick->kind, now));
      if (called) break;
      std::string lost = pick->ticketId;
      std::erase_if(candidates, [&](const Ticket& t) { return t.id == lost; });
      pick.reset();
    }
    if (pick) {
      k.consecutivePriorityCalls =
          consecutivePriorityCallsAfter(k.consecutivePriorityCalls, pick->kind);
    }
    SP_TRY(markOpen(tx, k));
    if (!pick) return CallResult{std::nullopt, std::move(k), std::nullopt};
    return CallResult{std::move(called), std::move(k), pick->kind};
  };
  co_return co_await db_.write<CallResult>(std::move(job));
}

asio::awaitable<Result<Counter>> QueueService::setCounter(staff::StaffContext ctx,
                                                          std::string counterId,
                                                          CounterState state) {
  std::string enteId = ctx.op.enteId;
  auto job = [counterId, enteId, state](Tx& tx) -> Result<Counter> {
    auto found = store::counter(tx.conn(), counterId);
    if (!found.ok() || found->enteId != enteId) {
      return makeError(Errc::kNotFound, "postazione non trovata");
    }
    Counter k = std::move(found.value());
    if (k.state != state) {
      k.state = state;
      SP_TRY(store::setCounterState(tx.conn(), k.id, k.state, k.consecutivePriorityCalls));
      SP_TRY(emitCounter(tx, k));
    }
    return k;
  };
  co_return co_await db_.write<Counter>(std::move(job));
}

asio::awaitable<Result<std::vector<StoredTicket>>> QueueService::siteTickets(
    staff::StaffContext ctx, std::string site, TicketState state) {
  std::string enteId = ctx.op.enteId;
  auto job = [enteId, site, state](sql::Connection& c) -> Result<std::vector<StoredTicket>> {
    auto st = directory::lookup::site(c, enteId, site);
    if (!st.ok()) return makeError(Errc::kNotFound, "sede non trovata");
    return store::ticketsOf(c, st->id, state, 1000);
  };
  co_return co_await db_.read<std::vector<StoredTicket>>(std::move(job));
}

asio::awaitable<Result<TicketView>> QueueService::act(const TicketActor& a, std::string action) {
  if (a.holder) co_return makeError(Errc::kForbidden, "operazione riservata al personale");
  std::string id = a.ticket.id;
  std::string opId = a.staff.op.id;
  int64_t now = clock_.nowMs();
  auto job = [id, opId, action, now](Tx& tx) -> Result<bool> {
    auto& c = tx.conn();
    SP_ASSIGN(auto t, store::ticket(c, id));
    auto wrong = [&]() {
      return makeError(Errc::kConflict, std::string("operazione non ammessa: il biglietto è ") +
                                            ticketStateName(t.state));
    };
    std::string event;
    if (action == "recall") {
      if (t.state != TicketState::kCalled) return wrong();
      ++t.recalls;
      event = "ticket.recalled";
      SP_TRY(tx.emit(
          boardTopic(t.siteId), "ticket.recalled",
          {{"code", t.code}, {"counter", t.counterName.value_or("")}, {"service", t.serviceName}}));
    } else if (action == "start") {
      if (t.state != TicketState::kCalled) return wrong();
      t.state = TicketState::kServing;
      t.startedAt = now;
      event = "ticket.started";
    } else if (action == "done") {
      if (t.state != TicketState::kCalled && t.state != TicketState::kServing) return wrong();
      t.state = TicketState::kDone;
      t.endedAt = now;
      event = "ticket.done";
    } else if (action == "no_show") {
      if (t.state != TicketState::kCalled) return wrong();
      t.state = TicketState::kNoShow;
      t.endedAt = now;
      event = "ticket.no_show";
    } else {
      return makeError(Errc::kInvalid, "azione sconosciuta", "action");
    }
    SP_TRY(store::update(c, t));
    std::string hist = action == "recall" ? "recalled" : action == "start" ? "started" : action;
    SP_TRY(store::addHistory(c, t.id, hist, t.counterId, opId, std::nullopt, now));
    if (action == "done") SP_TRY(contactEnded(tx, t, ContactOutcome::kServed, opId));
    if (action == "no_show") SP_TRY(contactEnded(tx, t, ContactOutcome::kNoShow, opId));
    SP_TRY(announce(
        tx, t, event,
        {{"code", t.code}, {"counter", t.counterName.value_or("")}, {"recalls", t.recalls}}));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await view(a);
}

asio::awaitable<Result<TicketView>> QueueService::transfer(const TicketActor& a,
                                                           std::string service) {
  if (a.holder) co_return makeError(Errc::kForbidden, "operazione riservata al personale");
  std::string id = a.ticket.id;
  std::string opId = a.staff.op.id;
  int64_t now = clock_.nowMs();
  auto job = [id, opId, service, now](Tx& tx) -> Result<bool> {
    auto& c = tx.conn();
    SP_ASSIGN(auto t, store::ticket(c, id));
    SP_ASSIGN(auto to, findService(c, t.enteId, service, "service"));
    if (t.state != TicketState::kWaiting && t.state != TicketState::kCalled &&
        t.state != TicketState::kServing) {
      return makeError(Errc::kConflict, std::string("operazione non ammessa: il biglietto è ") +
                                            ticketStateName(t.state));
    }
    SP_ASSIGN(bool served, servedAt(c, t.siteId, to.id));
    if (!served) {
      Error e(Errc::kConflict, "il servizio non si riceve in questa sede", "service");
      e.reason = "not_served";
      return e;
    }
    auto moved = transferTicket(modelTicket(t), to.id, millis(now));
    if (!moved.ok()) {
      Error e = moved.error();
      e.field = "service";
      return e;
    }
    std::string from = t.serviceId;
    bool wasWaiting = t.state == TicketState::kWaiting;
    std::optional<std::string> counterId = t.counterId;
    t.serviceId = to.id;
    t.serviceName = to.name;
    t.servicePrefix = to.prefix;
    t.transferredFrom = from;
    t.transferredAt = now;
    t.state = TicketState::kWaiting;
    t.counterId.reset();
    t.counterName.reset();
    t.calledAt.reset();
    t.startedAt.reset();
    t.recalls = 0;
    SP_TRY(store::update(c, t));
    SP_TRY(store::addHistory(c, t.id, "transferred", counterId, opId, from, now));
    SP_TRY(announce(tx, t, "ticket.transferred",
                    {{"code", t.code},
                     {"service", {{"id", to.id}, {"prefix", to.prefix}, {"name", to.name}}}}));
    SP_TRY(emitWaiting(tx, t.siteId, from));
    SP_TRY(emitWaiting(tx, t.siteId, to.id));
    // The one line: it keeps its arrival in the new service's office.
    bool ahead = aheadOfKnocks(t, now);
    if (wasWaiting) SP_TRY(reception::ticketLeftLine(tx, from, t.issuedAt, ahead, "transferred"));
    SP_TRY(reception::ticketJoinedLine(tx, to.id, t.issuedAt, ahead));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await view(a);
}

// ---------------------------------------------------------------------------------------------
// Counter editing, statistics, retention

asio::awaitable<Result<Counter>> QueueService::updateCounter(staff::StaffContext ctx,
                                                             std::string counterId,
                                                             CounterPatch patch) {
  if (patch.services && patch.services->empty()) {
    co_return makeError(Errc::kInvalid, "services: almeno un servizio", "services");
  }
  std::string enteId = ctx.op.enteId;
  auto job = [counterId, enteId, patch](Tx& tx) -> Result<Counter> {
    auto& c = tx.conn();
    auto found = store::counter(c, counterId);
    if (!found.ok() || found->enteId != enteId) {
      return makeError(Errc::kNotFound, "postazione non trovata");
    }
    Counter k = std::move(found.value());
    if (patch.name) k.name = *patch.name;
    if (patch.services) {
      std::set<std::string> seen;
      k.serviceIds.clear();
      for (const auto& ref : *patch.services) {
        SP_ASSIGN(auto s, findService(c, k.enteId, ref, "services"));
        if (seen.insert(s.id).second) k.serviceIds.push_back(s.id);
      }
    }
    if (patch.active) {
      if (!*patch.active) {
        SP_ASSIGN(auto cur, store::currentOf(c, k.id));
        if (cur) {
          Error e(Errc::kConflict, "la postazione ha un numero in corso: chiudilo prima",
                  "active");
          e.reason = "busy";
          return e;
        }
        k.state = CounterState::kClosed;
      }
      k.active = *patch.active;
    }
    auto st = store::updateCounter(c, k);
    if (!st.ok()) {
      if (st.error().code == Errc::kConflict) {
        return makeError(Errc::kConflict, "esiste già una postazione con questo nome", "name");
      }
      return st.error();
    }
    SP_ASSIGN(auto stored, store::counter(c, k.id));
    SP_TRY(emitCounter(tx, stored));
    return stored;
  };
  co_return co_await db_.write<Counter>(std::move(job));
}

namespace {
constexpr int64_t kMaxStatsTickets = 500000;
}  // namespace

// A bound of the statistics period: an ISO instant, or a local day ("YYYY-MM-DD": its midnight,
// or the next midnight when `end`).
static Result<int64_t> statsBound(const std::string& s, const date::time_zone* tz, bool end,
                           const char* field) {
  auto bad = [&] {
    return makeError(Errc::kInvalid,
                     std::string(field) + ": data (AAAA-MM-GG) o istante ISO 8601", field);
  };
  if (s.size() == 10) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(s.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return bad();
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return bad();
    date::local_days day{ymd};
    if (end) day += date::days{1};
    auto z = date::make_zoned(tz, day, date::choose::earliest);
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               z.get_sys_time().time_since_epoch())
        .count();
  }
  auto t = parseIso(s);
  if (!t.ok()) return bad();
  return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
}

asio::awaitable<Result<SiteStats>> QueueService::stats(staff::StaffContext ctx, std::string site,
                                                       std::string fromText, std::string toText) {
  int64_t now = clock_.nowMs();
  std::string enteId = ctx.op.enteId;
  bool everySite = ctx.op.role != staff::Role::kOperator;
  std::vector<std::string> offices;
  for (const auto& o : ctx.op.offices) offices.push_back(o.id);
  auto job = [enteId, site, fromText, toText, now, everySite,
              offices](sql::Connection& c) -> Result<SiteStats> {
    auto st = directory::lookup::site(c, enteId, site);
    if (!st.ok()) return makeError(Errc::kNotFound, "sede non trovata");
    if (!everySite) {
      bool mine = false;
      for (const auto& id : offices) {
        SP_ASSIGN(bool here, directory::lookup::officeAtSite(c, id, st->id));
        if (here) mine = true;
      }
      if (!mine)
        return makeError(Errc::kForbidden, "statistiche riservate al personale della sede");
    }
    SP_ASSIGN(auto ente, directory::lookup::enteById(c, enteId));
    const date::time_zone* tz = zoneOrNull(ente.timezone);
    if (!tz) return makeError(Errc::kInternal, "fuso orario dell'ente non valido");
    int64_t from = 0, to = now;
    if (fromText.empty()) {
      auto local = tz->to_local(std::chrono::floor<std::chrono::seconds>(millis(now)));
      auto z = date::make_zoned(tz, date::floor<date::days>(local), date::choose::earliest);
      from = std::chrono::duration_cast<std::chrono::milliseconds>(
                 z.get_sys_time().time_since_epoch())
                 .count();
    } else {
      SP_ASSIGN(from, statsBound(fromText, tz, false, "from"));
    }
    if (!toText.empty()) {
      SP_ASSIGN(to, statsBound(toText, tz, true, "to"));
    }
    if (to <= from) return makeError(Errc::kInvalid, "to: deve seguire from", "to");
    if (to - from > 367LL * 86400 * 1000) {
      return makeError(Errc::kInvalid, "to: al massimo un anno dopo from", "to");
    }
    SP_ASSIGN(auto facts, store::ticketFacts(c, st->id, from, to, kMaxStatsTickets));
    SiteStats out;
    out.siteId = st->id;
    out.siteName = st->name;
    out.from = from;
    out.to = to;
    out.timezone = ente.timezone;
    out.truncated = static_cast<int64_t>(facts.size()) >= kMaxStatsTickets;
    QueueStats qs = computeQueueStats(facts, tz);
    out.total = qs.total;
    SP_ASSIGN(auto services, directory::lookup::listServices(c, enteId));
    for (const auto& s : services) {
      auto it = qs.byService.find(s.id);
      if (it != qs.byService.end()) out.services.push_back({s.id, s.prefix, s.name, it->second});
    }
    SP_ASSIGN(auto counters, store::counters(c, enteId, st->id));
    for (const auto& k : counters) {
      auto it = qs.byCounter.find(k.id);
      if (it != qs.byCounter.end()) out.counters.push_back({k.id, "", k.name, it->second});
    }
    return out;
  };
  co_return co_await db_.read<SiteStats>(std::move(job));
}

asio::awaitable<Result<int64_t>> QueueService::closeDays() {
  auto job = [](Tx& tx) -> Result<int64_t> {
    SP_ASSIGN(auto enti, tx.conn().query("SELECT DISTINCT ente_id FROM queue_tickets WHERE state "
                                         "IN ('waiting', 'called')",
                                         {}));
    int64_t n = 0;
    for (const auto& e : enti) {
      SP_ASSIGN(int64_t k, closeDay(tx, e.str(0)));
      n += k;
    }
    return n;
  };
  co_return co_await db_.write<int64_t>(std::move(job));
}

asio::awaitable<Result<int64_t>> QueueService::purge(int days) {
  if (days <= 0) co_return int64_t{0};
  int64_t before = clock_.nowMs() - static_cast<int64_t>(days) * 86400 * 1000;
  auto job = [before](Tx& tx) -> Result<int64_t> {
    return store::forgetClientKeys(tx.conn(), before);
  };
  co_return co_await db_.write<int64_t>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Real time

// site:{id}:board is public (codes and counters only); site:{id}:staff is the ente's staff.
asio::awaitable<Result<std::string>> QueueService::authorizeSite(const WsAuth& auth,
                                                                 std::string siteId,
                                                                 bool staffSide) {
  auto job = [siteId](sql::Connection& c) -> Result<std::string> {
    return directory::lookup::siteEnte(c, siteId);
  };
  auto enteId = co_await db_.read<std::string>(std::move(job));
  if (!enteId.ok()) co_return makeError(Errc::kNotFound, "sede non trovata");
  if (!staffSide) co_return std::string();
  auto ctx = co_await staff_.session(auth.sessionToken);
  if (!ctx.ok()) co_return ctx.error();
  if (ctx->op.enteId != *enteId) co_return makeError(Errc::kForbidden, "non autorizzato");
  co_return "staff:" + ctx->op.id;
}

// ticket:{id}: the holder with the ticket's token, or the staff of its ente.
asio::awaitable<Result<std::string>> QueueService::authorizeTicket(const WsAuth& auth,
                                                                   std::string id,
                                                                   std::string token) {
  auto job = [id](sql::Connection& c) { return store::ticket(c, id); };
  auto t = co_await db_.read<StoredTicket>(std::move(job));
  if (!token.empty()) {
    if (!t.ok() || !secretEquals(sha256Hex(token), t->tokenHash)) {
      co_return makeError(Errc::kNotFound, "biglietto non trovato");
    }
    co_return "ticket:" + id;
  }
  auto ctx = co_await staff_.session(auth.sessionToken);
  if (!ctx.ok()) co_return ctx.error();
  if (!t.ok() || t->enteId != ctx->op.enteId) {
    co_return makeError(Errc::kNotFound, "biglietto non trovato");
  }
  co_return "staff:" + ctx->op.id;
}

}  // namespace sportello::queue
