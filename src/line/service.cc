#include "line/service.h"

#include <algorithm>
#include <set>

#include "cases/lookup.h"
#include "cases/service.h"
#include "core/token.h"
#include "directory/lookup.h"
#include "line/store.h"
#include "platform/topic.h"
#include "queue/call.h"
#include "queue/lookup.h"
#include "queue/service.h"
#include "reception/admit.h"
#include "reception/lookup.h"
#include "reception/service.h"
#include "staff/lookup.h"

namespace sportello::line {

std::string supervisionTopic(const std::string& slug) {
  return Topic::make(kSupervisionTopic, {{"slug", slug}});
}

namespace {

// Spares per source and office for call-next; the policy only ever takes the oldest of a
// class, the rest are there when another node takes one first.
constexpr int64_t kRemoteCandidates = 8;
// How much of the line a desk's list shows.
constexpr int64_t kListedTickets = 200;
constexpr int64_t kListedRemote = 50;

SysMillis millis(int64_t ms) {
  return SysMillis(std::chrono::milliseconds(ms));
}

// The supervisors' topic (line/service.h): a desk opened or closed.
Status announceDesk(Tx& tx, const StoredDesk& d, const char* type) {
  SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), d.enteId));
  return tx.emit(supervisionTopic(ente.slug), type, toJson(d));
}

// Who serves whom: every operator of the ente at work, with desk and conversations.
Result<Supervision> supervisionIn(sql::Connection& c, const std::string& ente, int64_t now,
                                  int64_t* available = nullptr, int64_t* busy = nullptr,
                                  int64_t* away = nullptr) {
  SP_ASSIGN(auto ops, staff::lookup::operatorsOf(c, ente));
  SP_ASSIGN(auto desks, store::openDesks(c, ente));
  SP_ASSIGN(auto visits, reception::lookup::admittedOf(c, ente));
  Supervision out;
  out.at = now;
  for (const auto& o : ops) {
    OperatorAtWork w{o.id, o.displayName, std::string(staff::roleName(o.role)), o.presence,
                     {}, std::nullopt, {}};
    for (const auto& r : o.offices) w.officeIds.push_back(r.id);
    for (const auto& d : desks) {
      if (d.operatorId == o.id) w.desk = d;
    }
    for (const auto& v : visits) {
      if (v.operatorId && *v.operatorId == o.id) w.visits.push_back(v);
    }
    if (o.active) {
      if (o.presence == "available" && available) ++*available;
      if (o.presence == "busy" && busy) ++*busy;
      if (o.presence == "away" && away) ++*away;
    }
    if (!o.active || (o.presence == "away" && !w.desk && w.visits.empty())) continue;
    out.operators.push_back(std::move(w));
  }
  return out;
}

Desk modelDesk(const StoredDesk& d) {
  Desk m;
  m.serviceIds = d.serviceIds;
  m.officeIds = d.officeIds;
  m.siteId = d.siteId.value_or("");
  if (!d.counterId) m.siteId.clear();
  m.remote = d.remote;
  m.operatorId = d.operatorId;
  m.consecutivePriorityCalls = d.priorityStreak;
  return m;
}

Waiting ticketEntry(const queue::StoredTicket& t) {
  Waiting w;
  w.entry.id = t.id;
  w.entry.channel = Channel::kTicket;
  w.entry.serviceId = t.serviceId;
  w.entry.siteId = t.siteId;
  w.entry.priority = t.priority == queue::PriorityReason::kPregnancy ||
                     t.priority == queue::PriorityReason::kAge ||
                     t.priority == queue::PriorityReason::kDisability;
  if (t.priority == queue::PriorityReason::kAppointment && t.appointmentAt) {
    w.entry.appointmentAt = millis(*t.appointmentAt);
  }
  w.entry.arrivedAt = millis(t.issuedAt);
  w.entry.number = t.number;
  w.show =
      TicketShown{t.code,   t.serviceId,     t.serviceName, queue::priorityReasonName(t.priority),
                  t.source, t.appointmentAt, t.issuedAt};
  return w;
}

// Everything waiting that may fit the desk: the hall's tickets (counter desks), the offices'
// connected visits and due callbacks (desks that take remote contacts).
Result<std::vector<Waiting>> gather(sql::Connection& c, const StoredDesk& d, int64_t now,
                                    bool listing) {
  std::vector<Waiting> out;
  if (d.counterId && d.siteId) {
    std::vector<queue::StoredTicket> ts;
    if (listing) {
      SP_ASSIGN(
          ts, queue::lookup::ticketsOf(c, *d.siteId, queue::TicketState::kWaiting, kListedTickets));
    } else {
      SP_ASSIGN(ts, queue::callCandidatesFor(c, *d.siteId, d.serviceIds));
    }
    for (const auto& t : ts) out.push_back(ticketEntry(t));
  }
  if (d.remote) {
    SP_ASSIGN(auto remote,
              store::remoteEntries(c, d, now, listing ? kListedRemote : kRemoteCandidates));
    for (auto& w : remote) out.push_back(std::move(w));
  }
  return out;
}

Result<std::vector<std::string>> allowedOffices(sql::Connection& c, const staff::StaffContext& ctx,
                                                const std::vector<std::string>& refs) {
  std::vector<std::string> out;
  for (const auto& ref : refs) {
    auto found = directory::lookup::officeIdByRef(c, ctx.op.enteId, ref);
    if (!found.ok() && found.error().code != Errc::kNotFound) return found.error();
    if (!found.ok()) return makeError(Errc::kInvalid, "offices: ufficio sconosciuto", "offices");
    std::string id = found.value();
    if (!staff::lookup::serves(ctx, ctx.op.enteId, id)) {
      Error e(Errc::kForbidden, "non appartieni a questo ufficio");
      e.field = "offices";
      return e;
    }
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

// The counter's tickets go to the board as before; the desk closes it when it closes.
Status closeCounter(Tx& tx, const StoredDesk& d) {
  if (!d.counterId) return okStatus();
  auto k = queue::lookup::counter(tx.conn(), *d.counterId);
  if (!k.ok()) return okStatus();  // deleted meanwhile
  return queue::markClosed(tx, k.value());
}

}  // namespace

LineService::LineService(Database& db, const Clock& clock, PolicyConfig policy)
    : db_(db), clock_(clock), policy_(policy) {}

asio::awaitable<Result<StoredDesk>> LineService::open(staff::StaffContext ctx, OpenDeskInput in) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, in, now](Tx& tx) -> Result<StoredDesk> {
    auto& c = tx.conn();
    StoredDesk d;
    d.id = newId();
    d.enteId = ctx.op.enteId;
    d.operatorId = ctx.op.id;
    d.openedAt = now;
    d.remote = in.remote || !in.counterId;
    std::vector<std::string> refs = in.offices;
    if (in.counterId) {
      auto k = queue::counterForCall(c, *in.counterId, ctx.op.enteId);
      if (!k.ok()) {
        Error e = k.error();
        e.field = "counter_id";
        return e;
      }
      d.counterId = k->id;
      d.counterName = k->name;
      d.siteId = k->siteId;
      d.serviceIds = k->serviceIds;
      // Remote contacts at a counter: those of the offices its services belong to (and the ones
      // named), as far as the operator may receive them.
      if (d.remote) {
        SP_ASSIGN(auto services, directory::lookup::listServices(c, ctx.op.enteId));
        for (const auto& s : services) {
          if (s.officeId &&
              std::find(d.serviceIds.begin(), d.serviceIds.end(), s.id) != d.serviceIds.end() &&
              staff::lookup::serves(ctx, ctx.op.enteId, *s.officeId) &&
              std::find(refs.begin(), refs.end(), *s.officeId) == refs.end()) {
            refs.push_back(*s.officeId);
          }
        }
      }
    } else if (refs.empty()) {
      for (const auto& o : ctx.op.offices) refs.push_back(o.id);
    }
    if (d.remote) {
      SP_ASSIGN(d.officeIds, allowedOffices(c, ctx, refs));
      if (d.officeIds.empty()) {
        return makeError(Errc::kInvalid, "offices: scegli almeno un ufficio da servire", "offices");
      }
    }
    SP_TRY(store::openDesk(c, d));
    SP_ASSIGN(auto stored, store::openDeskOf(c, ctx.op.id));
    SP_TRY(announceDesk(tx, *stored, "desk.opened"));
    return std::move(stored.value());
  };
  co_return co_await db_.write<StoredDesk>(std::move(job));
}

asio::awaitable<Result<std::optional<StoredDesk>>> LineService::mine(staff::StaffContext ctx) {
  auto job = [id = ctx.op.id](sql::Connection& c) { return store::openDeskOf(c, id); };
  co_return co_await db_.read<std::optional<StoredDesk>>(std::move(job));
}

asio::awaitable<Result<StoredDesk>> LineService::close(staff::StaffContext ctx) {
  int64_t now = clock_.nowMs();
  auto job = [id = ctx.op.id, now](Tx& tx) -> Result<StoredDesk> {
    SP_ASSIGN(auto d, store::closeDeskOf(tx.conn(), id, now));
    if (!d) return makeError(Errc::kNotFound, "nessuno sportello aperto");
    SP_TRY(closeCounter(tx, *d));
    SP_TRY(announceDesk(tx, *d, "desk.closed"));
    return std::move(*d);
  };
  co_return co_await db_.write<StoredDesk>(std::move(job));
}

asio::awaitable<Result<std::vector<StoredDesk>>> LineService::desks(staff::StaffContext ctx) {
  if (ctx.op.role == staff::Role::kOperator) {
    co_return makeError(Errc::kForbidden, "riservato ai responsabili");
  }
  auto job = [ente = ctx.op.enteId](sql::Connection& c) { return store::openDesks(c, ente); };
  co_return co_await db_.read<std::vector<StoredDesk>>(std::move(job));
}

asio::awaitable<Result<Supervision>> LineService::supervision(staff::StaffContext ctx) {
  if (ctx.op.role == staff::Role::kOperator) {
    co_return makeError(Errc::kForbidden, "riservato ai responsabili");
  }
  int64_t now = clock_.nowMs();
  auto job = [ente = ctx.op.enteId, now](sql::Connection& c) -> Result<Supervision> {
    return supervisionIn(c, ente, now);
  };
  co_return co_await db_.read<Supervision>(std::move(job));
}

asio::awaitable<Result<Wall>> LineService::wall(staff::StaffContext ctx, std::string site) {
  if (ctx.op.role == staff::Role::kOperator) {
    co_return makeError(Errc::kForbidden, "riservato ai responsabili");
  }
  int64_t now = clock_.nowMs();
  auto job = [ente = ctx.op.enteId, site, now](sql::Connection& c) -> Result<Wall> {
    Wall w;
    w.at = now;
    SP_ASSIGN(w.sites, directory::lookup::listSites(c, ente));
    if (!site.empty()) {
      auto s = directory::lookup::site(c, ente, site);
      if (!s.ok()) return makeError(Errc::kInvalid, "site: sede sconosciuta", "site");
      w.siteId = s->id;
    }
    SP_ASSIGN(w.people, supervisionIn(c, ente, now, &w.available, &w.busy, &w.away));
    SP_ASSIGN(auto lines, store::wallLines(c, ente, site, now));
    SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ente));
    SP_ASSIGN(auto services, directory::lookup::listServices(c, ente));
    for (const auto& o : offices) {
      if (w.siteId) {
        SP_ASSIGN(bool here, directory::lookup::officeAtSite(c, o.id, *w.siteId));
        if (!here) continue;
      }
      WallOffice out{o.id, o.name, o.siteId, {}, std::nullopt, 0};
      if (auto it = lines.find(o.id); it != lines.end()) out.line = it->second;
      SP_ASSIGN(auto settings, reception::lookup::contactSettings(c, ente, o.id));
      out.targetWaitMinutes = settings.targetWaitMinutes;
      for (const auto& p : w.people.operators) {
        if (!p.desk) continue;
        const auto& d = *p.desk;
        bool serves = std::find(d.officeIds.begin(), d.officeIds.end(), o.id) != d.officeIds.end();
        if (!serves && d.counterId) {
          for (const auto& sv : services) {
            if (sv.officeId == o.id &&
                std::find(d.serviceIds.begin(), d.serviceIds.end(), sv.id) != d.serviceIds.end()) {
              serves = true;
            }
          }
        }
        if (serves) ++out.desksOpen;
      }
      w.offices.push_back(std::move(out));
    }
    // The tickets being called or served at each counter with a desk open.
    std::set<std::string> sites;
    for (const auto& p : w.people.operators) {
      if (p.desk && p.desk->counterId && p.desk->siteId) sites.insert(*p.desk->siteId);
    }
    for (const auto& sid : sites) {
      for (auto state : {queue::TicketState::kCalled, queue::TicketState::kServing}) {
        SP_ASSIGN(auto ts, queue::lookup::ticketsOf(c, sid, state, 200));
        for (const auto& t : ts) {
          if (t.counterId) w.serving.push_back({*t.counterId, t.code, queue::ticketStateName(state)});
        }
      }
    }
    return w;
  };
  co_return co_await db_.read<Wall>(std::move(job));
}


asio::awaitable<Result<DeskLine>> LineService::line(staff::StaffContext ctx) {
  int64_t now = clock_.nowMs();
  PolicyConfig policy = policy_;
  auto job = [id = ctx.op.id, now, policy](sql::Connection& c) -> Result<DeskLine> {
    SP_ASSIGN(auto d, store::openDeskOf(c, id));
    if (!d) return makeError(Errc::kNotFound, "nessuno sportello aperto");
    SP_ASSIGN(auto waiting, gather(c, *d, now, true));
    std::vector<Entry> entries;
    entries.reserve(waiting.size());
    for (const auto& w : waiting) entries.push_back(w.entry);
    auto order = ordered(entries, modelDesk(*d), millis(now), policy);
    DeskLine out{std::move(*d), {}};
    for (const auto& o : order) {
      auto it = std::find_if(waiting.begin(), waiting.end(),
                             [&](const Waiting& w) { return w.entry.id == o.entryId; });
      out.entries.push_back({*it, o.channel, o.kind});
    }
    return out;
  };
  co_return co_await db_.read<DeskLine>(std::move(job));
}

asio::awaitable<Result<DeskCall>> LineService::next(staff::StaffContext ctx,
                                                    std::optional<std::string> only) {
  int64_t now = clock_.nowMs();
  PolicyConfig policy = policy_;
  auto job = [ctx, now, policy, only](Tx& tx) -> Result<DeskCall> {
    auto& c = tx.conn();
    SP_ASSIGN(auto found, store::openDeskOf(c, ctx.op.id));
    if (!found) {
      Error e(Errc::kConflict, "prima apri uno sportello");
      e.reason = "no_desk";
      return e;
    }
    StoredDesk d = std::move(*found);
    std::optional<queue::Counter> counter;
    if (d.counterId) {
      SP_ASSIGN(counter, queue::counterForCall(c, *d.counterId, d.enteId));
      SP_TRY(queue::beforeCall(tx, *counter, ctx.op.id, now));
    }
    // A pick looks at the whole listed line; call-next at the candidates the policy needs.
    SP_ASSIGN(auto waiting, gather(c, d, now, only.has_value()));
    std::vector<Entry> entries;
    entries.reserve(waiting.size());
    for (const auto& w : waiting) entries.push_back(w.entry);
    Desk view = modelDesk(d);
    std::optional<Decision> pick;
    if (only) {
      for (const auto& o : ordered(entries, view, millis(now), policy)) {
        if (o.entryId == *only) pick = o;
      }
      if (!pick) {
        Error e(Errc::kNotFound, "non è (più) in attesa per questo sportello");
        e.reason = "gone";
        return e;
      }
    }
    DeskCall out;
    out.at = now;
    // Inside the single writer no one else takes; across nodes (PostgreSQL) a take can lose the
    // race: then choose again without that entry (a pick is refused instead).
    std::optional<Error> atCap;
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (!only) pick = chooseNext(entries, view, millis(now), policy);
      if (!pick) break;
      bool won = false;
      switch (pick->channel) {
        case Channel::kTicket: {
          SP_ASSIGN(auto t,
                    queue::callTicket(tx, *counter, pick->entryId, ctx.op.id, pick->kind, now));
          if (t) {
            won = true;
            out.ticket = std::move(*t);
          }
          break;
        }
        case Channel::kVisit: {
          auto r = reception::admitVisit(tx, pick->entryId, ctx.op);
          if (r.ok()) {
            won = true;
            SP_ASSIGN(out.visit, reception::lookup::visit(c, pick->entryId));
          } else if (r.error().transactionConflict || r.error().code == Errc::kInternal ||
                     r.error().code == Errc::kUnavailable) {
            // The database refused the statement (PostgreSQL: a serialization conflict or
            // deadlock with another node's desk): the transaction is aborted, nothing more may
            // run in it. A conflict is retried whole by the writer; anything else is an error.
            return r.error();
          } else if (r.error().reason == "cap") {
            // At their cap of conversations: no visit for this desk now, the rest of the line
            // (tickets, callbacks) still is.
            atCap = r.error();
            std::erase_if(entries, [](const Entry& e) { return e.channel == Channel::kVisit; });
            pick.reset();
            continue;
          } else if (r.error().reason != "taken") {
            // Another node may have admitted it (or the citizen left) after this line was read:
            // then its state says so, and that is a lost race like "taken", not an error.
            SP_ASSIGN(auto v, reception::lookup::visit(c, pick->entryId));
            if (v.state == reception::VisitState::kWaiting && !v.awaySince) return r.error();
          }
          break;
        }
        case Channel::kCallback: {
          SP_ASSIGN(won, cases::lookup::takeCallback(c, pick->entryId, ctx.op.id, now));
          if (won) {
            SP_ASSIGN(out.callback, cases::lookup::callback(c, pick->entryId));
          }
          break;
        }
      }
      if (won) break;
      if (only) {
        Error e(Errc::kConflict, "un collega lo ha appena preso");
        e.reason = "taken";
        return e;
      }
      std::string lost = pick->entryId;
      std::erase_if(entries, [&](const Entry& e) { return e.id == lost; });
      pick.reset();
    }
    if (!pick && atCap) return *atCap;
    if (pick) {
      d.priorityStreak = consecutivePriorityCallsAfter(d.priorityStreak, pick->kind);
      SP_TRY(store::setStreak(c, d.id, d.priorityStreak));
    }
    if (counter) SP_TRY(queue::markOpen(tx, *counter));
    out.desk = std::move(d);
    if (pick) {
      out.channel = pick->channel;
      out.kind = pick->kind;
    }
    return out;
  };
  co_return co_await db_.write<DeskCall>(std::move(job));
}

Status LineService::onPresence(Tx& tx, const staff::Operator& op) {
  if (op.presence != "away" && op.active) return okStatus();
  SP_ASSIGN(auto d, store::closeDeskOf(tx.conn(), op.id, tx.nowMs()));
  if (d) SP_TRY(closeCounter(tx, *d));
  if (d) SP_TRY(announceDesk(tx, *d, "desk.closed"));
  return okStatus();
}

}  // namespace sportello::line
