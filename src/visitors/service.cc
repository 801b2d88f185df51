#include "visitors/service.h"

#include <date/tz.h>

#include <cstdio>

#include "core/token.h"
#include "directory/lookup.h"
#include "platform/rights.h"
#include "platform/topic.h"
#include "queue/model/qr_svg.h"
#include "staff/lookup.h"
#include "visitors/store.h"

namespace sportello::visitors {

using staff::Role;
using staff::StaffContext;

namespace {

constexpr const char* kForbiddenInfoPoint = "riservato al punto informazioni";
constexpr const char* kForbiddenAdmin = "riservato agli amministratori";

const date::time_zone* zoneOf(const std::string& name) {
  try {
    return date::locate_zone(name.empty() ? "Europe/Rome" : name);
  } catch (const std::exception&) {
    return date::locate_zone("UTC");
  }
}

// A local day of the ente: its date and its [start, end) in ms UTC.
struct Day {
  std::string date;
  int64_t start = 0, end = 0;
};

int64_t msOf(date::sys_time<std::chrono::milliseconds> t) {
  return t.time_since_epoch().count();
}

Day localDay(const date::time_zone* tz, date::local_days d) {
  Day out;
  date::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  out.date = buf;
  out.start = msOf(std::chrono::time_point_cast<std::chrono::milliseconds>(
      tz->to_sys(date::local_seconds(d), date::choose::earliest)));
  out.end = msOf(std::chrono::time_point_cast<std::chrono::milliseconds>(
      tz->to_sys(date::local_seconds(d + date::days{1}), date::choose::earliest)));
  return out;
}

Day today(const date::time_zone* tz, int64_t nowMs) {
  auto local = tz->to_local(SysMillis(std::chrono::milliseconds(nowMs)));
  return localDay(tz, date::floor<date::days>(local));
}

// "YYYY-MM-DD" ("" = today); nullopt when malformed.
std::optional<Day> dayOf(const date::time_zone* tz, const std::string& s, int64_t nowMs) {
  if (s.empty()) return today(tz, nowMs);
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return localDay(tz, date::local_days(ymd));
}

bool isAdmin(const StaffContext& ctx) {
  return ctx.op.role == Role::kAdmin;
}

// Supervisors and admins of the ente, and the operators of its info point office.
bool isInfoPoint(const StaffContext& ctx, const Settings& s) {
  if (ctx.op.enteId != s.enteId) return false;
  if (ctx.op.role != Role::kOperator) return true;
  return s.infoOfficeId && ctx.inOffice(*s.infoOfficeId);
}

Result<bool> infoPoint(sql::Connection& c, const StaffContext& ctx) {
  SP_ASSIGN(auto s, store::settings(c, ctx.op.enteId));
  return isInfoPoint(ctx, s);
}

Result<std::vector<AreaOffice>> officesOf(sql::Connection& c, const std::string& enteId,
                                          const std::vector<std::string>& refs) {
  std::vector<AreaOffice> out;
  for (const auto& ref : refs) {
    auto id = directory::lookup::officeIdByRef(c, enteId, ref);
    if (!id.ok()) return makeError(Errc::kInvalid, "ufficio non trovato", "offices");
    SP_ASSIGN(auto o, directory::lookup::office(c, enteId, *id));
    bool dup = false;
    for (const auto& x : out) dup = dup || x.id == o.id;
    if (!dup) out.push_back({o.id, o.name});
  }
  return out;
}

// Tells the info point's pages that the lists changed (no personal data in the event log).
Status changed(Tx& tx, const std::string& enteId, const std::optional<std::string>& visitorId,
               const char* change) {
  Json data{{"id", visitorId ? Json(*visitorId) : Json(nullptr)}, {"change", change}};
  return tx.emit(visitorsTopic(enteId), "visitor.changed", data);
}

// Mints the pass of `v` (token, window within the ente's day) and stores its hash with `write`.
template <class Write>
Result<IssuedPass> mint(Tx& tx, Visitor& v, int64_t now, Write write) {
  SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), v.enteId));
  const date::time_zone* tz = zoneOf(ente.timezone);
  std::string token = newSecret();
  v.hasPass = true;
  v.validFrom = now;
  v.validUntil = passUntil(now, v.expectedMinutes, kGraceMinutes, today(tz, now).end);
  v.revokedAt.reset();
  SP_TRY(write(sha256Hex(token)));
  SP_ASSIGN(auto qr, queue::qrSvg(token));
  SP_ASSIGN(auto stored, store::visitor(tx.conn(), v.enteId, v.id));
  IssuedPass p;
  p.badgeName = badgeName(stored.firstName);
  p.destination = stored.officeName;
  p.visitor = std::move(stored);
  p.token = std::move(token);
  p.qrSvg = std::move(qr.svg);
  return p;
}

// The record of a new visitor from the request (office, host, document tail, expected time).
Result<Visitor> newVisitor(sql::Connection& c, const StaffContext& ctx, const NewVisitor& in,
                           int64_t now) {
  Visitor v;
  v.id = newId();
  v.enteId = ctx.op.enteId;
  v.firstName = in.firstName;
  v.lastName = in.lastName;
  if (in.docType && !in.docType->empty()) {
    v.docType = in.docType;
    v.docTail = documentTail(in.docNumber.value_or(""));
  } else if (in.docNumber && !in.docNumber->empty()) {
    return makeError(Errc::kInvalid, "documento: indicare il tipo", "document_type");
  }
  auto office = directory::lookup::officeIdByRef(c, ctx.op.enteId, in.office);
  if (!office.ok()) return makeError(Errc::kInvalid, "ufficio non trovato", "office");
  v.officeId = *office;
  if (in.hostOperator && !in.hostOperator->empty()) {
    auto host = staff::lookup::operatorById(c, ctx.op.enteId, *in.hostOperator);
    if (!host.ok() || !host->active) {
      return makeError(Errc::kInvalid, "operatore non trovato", "host_operator");
    }
    v.hostOperatorId = host->id;
    v.hostName = host->displayName;
  } else if (in.hostName && !in.hostName->empty()) {
    v.hostName = in.hostName;
  }
  v.reason = in.reason;
  v.expectedMinutes = in.expectedMinutes;
  if (in.expectedAt) {
    auto at = parseIso(*in.expectedAt);
    if (!at.ok()) return makeError(Errc::kInvalid, "expected_at: data e ora ISO 8601", "expected_at");
    v.expectedAt = at->time_since_epoch().count();
  }
  v.createdBy = ctx.op.id;
  v.createdAt = now;
  return v;
}

}  // namespace

std::string visitorsTopic(const std::string& enteId) {
  return Topic::make(kVisitorsTopic, {{"ente", enteId}});
}

VisitorService::VisitorService(Database& db, const Clock& clock, std::string publicOrigin)
    : db_(db), clock_(clock), publicOrigin_(std::move(publicOrigin)) {}

std::string VisitorService::origin(const Caller& caller) const {
  return publicOrigin_.empty() ? caller.origin : publicOrigin_;
}

void VisitorService::addPhoneLink(IssuedPass& p, const Caller& caller,
                                  const std::string& slug) const {
  // The token rides in the fragment, which browsers never send to a server (nor to its logs).
  p.phoneUrl = origin(caller) + "/" + slug + "/pass#" + p.token;
  auto qr = queue::qrSvg(p.phoneUrl);
  if (qr.ok()) p.phoneQrSvg = std::move(qr->svg);
}

void VisitorService::addSetupLink(TurnstileSecret& t, const Caller& caller) const {
  t.setupUrl = origin(caller) + "/turnstile/" + t.turnstile.id + "#token=" + t.token;
  auto qr = queue::qrSvg(t.setupUrl);
  if (qr.ok()) t.setupQrSvg = std::move(qr->svg);
}

// ---------------------------------------------------------------------------------------------
// Configuration

asio::awaitable<Result<VisitorRights>> VisitorService::rights(StaffContext ctx) {
  auto job = [ctx](sql::Connection& c) -> Result<VisitorRights> {
    SP_ASSIGN(auto s, store::settings(c, ctx.op.enteId));
    VisitorRights r;
    r.infoPoint = isInfoPoint(ctx, s);
    r.admin = isAdmin(ctx);
    r.topic = visitorsTopic(ctx.op.enteId);
    r.settings = std::move(s);
    return r;
  };
  co_return co_await db_.read<VisitorRights>(std::move(job));
}

asio::awaitable<Result<Settings>> VisitorService::saveSettings(StaffContext ctx,
                                                               std::optional<std::string> info,
                                                               int64_t retentionHours) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  int64_t now = clock_.nowMs();
  auto job = [ctx, info, retentionHours, now](Tx& tx) -> Result<Settings> {
    Settings s;
    s.enteId = ctx.op.enteId;
    s.retentionHours = retentionHours;
    if (info && !info->empty()) {
      auto id = directory::lookup::officeIdByRef(tx.conn(), ctx.op.enteId, *info);
      if (!id.ok()) return makeError(Errc::kInvalid, "ufficio non trovato", "info_office");
      s.infoOfficeId = *id;
    }
    SP_TRY(store::saveSettings(tx.conn(), s, now));
    // Who follows the live lists may have changed with the info point's office.
    SP_TRY(revokeTopic(tx, visitorsTopic(ctx.op.enteId)));
    return store::settings(tx.conn(), ctx.op.enteId);
  };
  co_return co_await db_.write<Settings>(std::move(job));
}

asio::awaitable<Result<std::vector<Area>>> VisitorService::areas(StaffContext ctx) {
  auto job = [ente = ctx.op.enteId](sql::Connection& c) { return store::areas(c, ente); };
  co_return co_await db_.read<std::vector<Area>>(std::move(job));
}

asio::awaitable<Result<Area>> VisitorService::createArea(StaffContext ctx, std::string name,
                                                         std::vector<std::string> offices) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  int64_t now = clock_.nowMs();
  auto job = [ctx, name, offices, now](Tx& tx) -> Result<Area> {
    Area a;
    a.id = newId();
    a.enteId = ctx.op.enteId;
    a.name = name;
    SP_ASSIGN(a.offices, officesOf(tx.conn(), ctx.op.enteId, offices));
    auto st = store::insertArea(tx.conn(), a, now);
    if (!st.ok() && st.error().code == Errc::kConflict) {
      return makeError(Errc::kConflict, "esiste già un'area con questo nome", "name");
    }
    SP_TRY(st);
    return store::area(tx.conn(), ctx.op.enteId, a.id);
  };
  co_return co_await db_.write<Area>(std::move(job));
}

asio::awaitable<Result<Area>> VisitorService::updateArea(StaffContext ctx, std::string id,
                                                         std::string name,
                                                         std::vector<std::string> offices) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  auto job = [ctx, id, name, offices](Tx& tx) -> Result<Area> {
    SP_ASSIGN(auto a, store::area(tx.conn(), ctx.op.enteId, id));
    a.name = name;
    SP_ASSIGN(a.offices, officesOf(tx.conn(), ctx.op.enteId, offices));
    auto st = store::updateArea(tx.conn(), a);
    if (!st.ok() && st.error().code == Errc::kConflict) {
      return makeError(Errc::kConflict, "esiste già un'area con questo nome", "name");
    }
    SP_TRY(st);
    return store::area(tx.conn(), ctx.op.enteId, id);
  };
  co_return co_await db_.write<Area>(std::move(job));
}

asio::awaitable<Status> VisitorService::deleteArea(StaffContext ctx, std::string id) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  auto job = [ctx, id](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto a, store::area(tx.conn(), ctx.op.enteId, id));
    SP_ASSIGN(auto in, store::inside(tx.conn(), ctx.op.enteId));
    for (const auto& v : in) {
      if (v.insideAreaId == a.id) {
        return makeError(Errc::kConflict, "ci sono visitatori nell'area");
      }
    }
    SP_TRY(store::deleteArea(tx.conn(), a.id));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<std::vector<Turnstile>>> VisitorService::turnstiles(StaffContext ctx) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  auto job = [ente = ctx.op.enteId](sql::Connection& c) { return store::turnstiles(c, ente); };
  co_return co_await db_.read<std::vector<Turnstile>>(std::move(job));
}

asio::awaitable<Result<TurnstileSecret>> VisitorService::createTurnstile(StaffContext ctx,
                                                                         std::string name,
                                                                         std::string area) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  std::string token = newSecret();
  std::string hash = sha256Hex(token);
  int64_t now = clock_.nowMs();
  auto job = [ctx, name, area, token, hash, now](Tx& tx) -> Result<TurnstileSecret> {
    auto a = store::area(tx.conn(), ctx.op.enteId, area);
    if (!a.ok()) return makeError(Errc::kInvalid, "area non trovata", "area");
    Turnstile t;
    t.id = newId();
    t.enteId = ctx.op.enteId;
    t.areaId = a->id;
    t.name = name;
    SP_TRY(store::insertTurnstile(tx.conn(), t, hash, now));
    SP_ASSIGN(t, store::turnstile(tx.conn(), ctx.op.enteId, t.id));
    return TurnstileSecret{std::move(t), token};
  };
  co_return co_await db_.write<TurnstileSecret>(std::move(job));
}

asio::awaitable<Result<TurnstileSecret>> VisitorService::newTurnstileToken(StaffContext ctx,
                                                                           std::string id) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  std::string token = newSecret();
  std::string hash = sha256Hex(token);
  auto job = [ctx, id, token, hash](Tx& tx) -> Result<TurnstileSecret> {
    SP_ASSIGN(auto t, store::turnstile(tx.conn(), ctx.op.enteId, id));
    SP_TRY(store::setTurnstileToken(tx.conn(), t.id, hash));
    t.active = true;
    return TurnstileSecret{std::move(t), token};
  };
  co_return co_await db_.write<TurnstileSecret>(std::move(job));
}

asio::awaitable<Status> VisitorService::deactivateTurnstile(StaffContext ctx, std::string id) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  auto job = [ctx, id](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto t, store::turnstile(tx.conn(), ctx.op.enteId, id));
    SP_TRY(store::deactivateTurnstile(tx.conn(), t.id));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

// ---------------------------------------------------------------------------------------------
// Info point and hosts

asio::awaitable<Result<IssuedPass>> VisitorService::registerVisitor(StaffContext ctx,
                                                                    NewVisitor in) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, in, now](Tx& tx) -> Result<IssuedPass> {
    SP_ASSIGN(bool info, infoPoint(tx.conn(), ctx));
    if (!info) return makeError(Errc::kForbidden, kForbiddenInfoPoint);
    SP_ASSIGN(auto v, newVisitor(tx.conn(), ctx, in, now));
    v.state = VisitorState::kRegistered;
    v.confirmedBy = ctx.op.id;
    v.confirmedAt = now;
    SP_TRY(changed(tx, v.enteId, v.id, "registered"));
    return mint(tx, v, now, [&](const std::string& hash) {
      return store::insertVisitor(tx.conn(), v, hash);
    });
  };
  co_return co_await db_.write<IssuedPass>(std::move(job));
}

asio::awaitable<Result<Visitor>> VisitorService::expect(StaffContext ctx, NewVisitor in) {
  int64_t now = clock_.nowMs();
  if (!in.expectedAt) co_return makeError(Errc::kInvalid, "expected_at: obbligatorio", "expected_at");
  auto job = [ctx, in, now](Tx& tx) -> Result<Visitor> {
    SP_ASSIGN(auto v, newVisitor(tx.conn(), ctx, in, now));
    SP_ASSIGN(bool info, infoPoint(tx.conn(), ctx));
    if (!info && !staff::lookup::serves(ctx, ctx.op.enteId, v.officeId)) {
      return makeError(Errc::kForbidden, "solo chi lavora nell'ufficio di destinazione");
    }
    if (!v.hostOperatorId && !v.hostName) {
      v.hostOperatorId = ctx.op.id;
      v.hostName = ctx.op.displayName;
    }
    if (*v.expectedAt < now - 3'600'000) {
      return makeError(Errc::kInvalid, "expected_at: nel passato", "expected_at");
    }
    v.state = VisitorState::kExpected;
    SP_TRY(store::insertVisitor(tx.conn(), v, std::nullopt));
    SP_TRY(changed(tx, v.enteId, v.id, "expected"));
    return store::visitor(tx.conn(), v.enteId, v.id);
  };
  co_return co_await db_.write<Visitor>(std::move(job));
}

asio::awaitable<Result<IssuedPass>> VisitorService::confirm(StaffContext ctx, std::string id,
                                                            std::optional<std::string> docType,
                                                            std::optional<std::string> docNumber) {
  int64_t now = clock_.nowMs();
  if (docNumber && !docNumber->empty() && (!docType || docType->empty())) {
    co_return makeError(Errc::kInvalid, "documento: indicare il tipo", "document_type");
  }
  auto job = [ctx, id, docType, docNumber, now](Tx& tx) -> Result<IssuedPass> {
    SP_ASSIGN(bool info, infoPoint(tx.conn(), ctx));
    if (!info) return makeError(Errc::kForbidden, kForbiddenInfoPoint);
    SP_ASSIGN(auto v, store::visitor(tx.conn(), ctx.op.enteId, id));
    if (v.state != VisitorState::kExpected) {
      return makeError(Errc::kConflict, "visitatore già registrato");
    }
    if (docType && !docType->empty()) {
      v.docType = docType;
      v.docTail = documentTail(docNumber.value_or(""));
    }
    v.confirmedBy = ctx.op.id;
    v.confirmedAt = now;
    SP_TRY(changed(tx, v.enteId, v.id, "confirmed"));
    return mint(tx, v, now, [&](const std::string& hash) {
      return store::confirm(tx.conn(), v, hash);
    });
  };
  co_return co_await db_.write<IssuedPass>(std::move(job));
}

asio::awaitable<Result<IssuedPass>> VisitorService::reissue(StaffContext ctx, std::string id) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, id, now](Tx& tx) -> Result<IssuedPass> {
    SP_ASSIGN(bool info, infoPoint(tx.conn(), ctx));
    if (!info) return makeError(Errc::kForbidden, kForbiddenInfoPoint);
    SP_ASSIGN(auto v, store::visitor(tx.conn(), ctx.op.enteId, id));
    if (v.state != VisitorState::kRegistered) {
      return makeError(Errc::kConflict, "il visitatore non è ancora registrato");
    }
    bool inside = v.insideAreaId.has_value();
    int64_t from = v.validFrom;
    SP_TRY(changed(tx, v.enteId, v.id, "reissued"));
    return mint(tx, v, now, [&](const std::string& hash) {
      // A visitor inside keeps the window's start; the new window counts from now.
      if (inside) v.validFrom = from;
      return store::replacePass(tx.conn(), v, hash);
    });
  };
  co_return co_await db_.write<IssuedPass>(std::move(job));
}

asio::awaitable<Result<Visitor>> VisitorService::revoke(StaffContext ctx, std::string id) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, id, now](Tx& tx) -> Result<Visitor> {
    SP_ASSIGN(bool info, infoPoint(tx.conn(), ctx));
    if (!info) return makeError(Errc::kForbidden, kForbiddenInfoPoint);
    SP_ASSIGN(auto v, store::visitor(tx.conn(), ctx.op.enteId, id));
    if (!v.hasPass) return makeError(Errc::kConflict, "il visitatore non ha un pass");
    if (!v.revokedAt) {
      SP_TRY(store::revokePass(tx.conn(), v.id, now));
      SP_TRY(changed(tx, v.enteId, v.id, "revoked"));
    }
    return store::visitor(tx.conn(), ctx.op.enteId, id);
  };
  co_return co_await db_.write<Visitor>(std::move(job));
}

asio::awaitable<Result<VisitorList>> VisitorService::list(StaffContext ctx, std::string day) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, day, now](Tx& tx) -> Result<VisitorList> {
    SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), ctx.op.enteId));
    auto d = dayOf(zoneOf(ente.timezone), day, now);
    if (!d) return makeError(Errc::kInvalid, "day: una data AAAA-MM-GG", "day");
    SP_ASSIGN(bool info, infoPoint(tx.conn(), ctx));
    store::VisitorFilter f;
    f.enteId = ctx.op.enteId;
    f.from = d->start;
    f.to = d->end;
    if (!info) {
      // A host sees the visitors of the offices they serve, nobody else's.
      std::vector<std::string> mine;
      for (const auto& o : ctx.op.offices) mine.push_back(o.id);
      f.officeIds = std::move(mine);
    }
    SP_ASSIGN(auto vs, store::visitors(tx.conn(), f));
    SP_TRY(store::insertListView(tx.conn(), ctx.op.enteId,
                                 {ctx.op.id, ctx.op.displayName, "list:" + d->date, now}));
    return VisitorList{d->date, std::move(vs), now};
  };
  co_return co_await db_.write<VisitorList>(std::move(job));
}

asio::awaitable<Result<Occupancy>> VisitorService::occupancy(StaffContext ctx) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, now](Tx& tx) -> Result<Occupancy> {
    SP_ASSIGN(bool info, infoPoint(tx.conn(), ctx));
    if (!info) return makeError(Errc::kForbidden, kForbiddenInfoPoint);
    SP_ASSIGN(auto areas, store::areas(tx.conn(), ctx.op.enteId));
    SP_ASSIGN(auto in, store::inside(tx.conn(), ctx.op.enteId));
    Occupancy o;
    o.at = now;
    for (auto& a : areas) {
      AreaInside ai{a.id, a.name, {}};
      for (const auto& v : in) {
        if (v.insideAreaId == a.id) ai.inside.push_back(v);
      }
      o.areas.push_back(std::move(ai));
    }
    SP_TRY(store::insertListView(tx.conn(), ctx.op.enteId,
                                 {ctx.op.id, ctx.op.displayName, "occupancy", now}));
    return o;
  };
  co_return co_await db_.write<Occupancy>(std::move(job));
}

asio::awaitable<Result<std::vector<ListView>>> VisitorService::listViews(StaffContext ctx,
                                                                         int64_t days) {
  if (!isAdmin(ctx)) co_return makeError(Errc::kForbidden, kForbiddenAdmin);
  int64_t since = clock_.nowMs() - days * 86'400'000;
  auto job = [ente = ctx.op.enteId, since](sql::Connection& c) {
    return store::listViews(c, ente, since);
  };
  co_return co_await db_.read<std::vector<ListView>>(std::move(job));
}

asio::awaitable<Result<EntriesPerHour>> VisitorService::entriesPerHour(StaffContext ctx,
                                                                       std::string day) {
  if (ctx.op.role == Role::kOperator) {
    co_return makeError(Errc::kForbidden, "riservato ai responsabili");
  }
  int64_t now = clock_.nowMs();
  auto job = [ctx, day, now](sql::Connection& c) -> Result<EntriesPerHour> {
    SP_ASSIGN(auto ente, directory::lookup::enteById(c, ctx.op.enteId));
    auto d = dayOf(zoneOf(ente.timezone), day, now);
    if (!d) return makeError(Errc::kInvalid, "day: una data AAAA-MM-GG", "day");
    SP_ASSIGN(auto hours, store::checksPerHour(c, ctx.op.enteId, d->start, d->end));
    return EntriesPerHour{d->date, std::move(hours)};
  };
  co_return co_await db_.read<EntriesPerHour>(std::move(job));
}

asio::awaitable<Result<std::string>> VisitorService::authorizeLive(StaffContext ctx,
                                                                   std::string enteId) {
  if (ctx.op.enteId != enteId) co_return makeError(Errc::kForbidden, kForbiddenInfoPoint);
  auto job = [ctx](sql::Connection& c) { return infoPoint(c, ctx); };
  auto info = co_await db_.read<bool>(std::move(job));
  if (!info.ok()) co_return info.error();
  if (!*info) co_return makeError(Errc::kForbidden, kForbiddenInfoPoint);
  co_return "staff:" + ctx.op.id;
}

// ---------------------------------------------------------------------------------------------
// The visitor's phone

asio::awaitable<Result<PassView>> VisitorService::passView(std::string passToken) {
  std::string hash = sha256Hex(passToken);
  int64_t now = clock_.nowMs();
  auto job = [hash, now](sql::Connection& c) -> Result<PassView> {
    auto v = store::visitorByPass(c, hash);
    if (!v.ok()) {
      if (v.error().code == Errc::kNotFound) return makeError(Errc::kNotFound, "pass non trovato");
      return v.error();
    }
    SP_ASSIGN(auto ente, directory::lookup::enteById(c, v->enteId));
    PassView p;
    p.enteName = ente.name;
    p.enteTimezone = ente.timezone.empty() ? "Europe/Rome" : ente.timezone;
    p.firstName = badgeName(v->firstName);
    p.destination = v->officeName;
    p.validFrom = v->validFrom;
    p.validUntil = v->validUntil;
    p.insideAreaName = v->insideAreaName;
    if (v->revokedAt) {
      p.state = PassPhase::kRevoked;
    } else if (v->insideAreaId) {
      p.state = PassPhase::kInside;
    } else if (now >= v->validUntil) {
      p.state = PassPhase::kExpired;
    } else if (now < v->validFrom) {
      p.state = PassPhase::kNotYetValid;
    }
    return p;
  };
  auto p = co_await db_.read<PassView>(std::move(job));
  if (!p.ok()) co_return p.error();
  auto qr = queue::qrSvg(passToken);
  if (qr.ok()) p->qrSvg = std::move(qr->svg);
  co_return p;
}

// ---------------------------------------------------------------------------------------------
// Turnstiles

asio::awaitable<Result<TurnstileHome>> VisitorService::home(const Caller& caller) {
  if (caller.device.empty()) {
    co_return makeError(Errc::kUnauthorized, "tornello non autorizzato: token mancante");
  }
  std::string hash = sha256Hex(caller.device);
  int64_t now = clock_.nowMs();
  auto job = [hash, now](Tx& tx) -> Result<TurnstileHome> {
    auto t = store::turnstileByToken(tx.conn(), hash);
    if (!t.ok()) return makeError(Errc::kUnauthorized, "tornello non autorizzato");
    SP_TRY(store::touchTurnstile(tx.conn(), t->id, now));
    SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), t->enteId));
    return TurnstileHome{std::move(t.value()), ente.slug, ente.name};
  };
  co_return co_await db_.write<TurnstileHome>(std::move(job));
}

asio::awaitable<Result<CheckAnswer>> VisitorService::check(const Caller& caller,
                                                           std::string passToken,
                                                           Direction direction) {
  if (caller.device.empty()) {
    co_return makeError(Errc::kUnauthorized, "tornello non autorizzato: token mancante");
  }
  std::string deviceHash = sha256Hex(caller.device);
  std::string passHash = sha256Hex(passToken);
  int64_t now = clock_.nowMs();
  auto job = [deviceHash, passHash, direction, now](Tx& tx) -> Result<CheckAnswer> {
    auto& c = tx.conn();
    auto t = store::turnstileByToken(c, deviceHash);
    if (!t.ok()) return makeError(Errc::kUnauthorized, "tornello non autorizzato");
    if (!t->lastSeenAt || now - *t->lastSeenAt > 60'000) SP_TRY(store::touchTurnstile(c, t->id, now));
    const Gate gate{t->enteId, t->areaId};
    CheckAnswer a;
    a.direction = direction;
    a.areaName = t->areaName;
    a.at = now;
    CheckRecord rec{newId(), t->enteId, std::nullopt, t->id, t->areaId, directionName(direction),
                    "", false, now};
    // Twice at most: a compare-and-set lost to another node's check reads the pass again.
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto v = store::visitorByPass(c, passHash);
      if (!v.ok()) {
        if (v.error().code != Errc::kNotFound) return v.error();
        a.reason = CheckReason::kUnknownToken;
        break;
      }
      PassState ps;
      ps.enteId = v->enteId;
      ps.validFrom = v->validFrom;
      ps.validUntil = v->validUntil;
      ps.revoked = v->revokedAt.has_value();
      ps.insideArea = v->insideAreaId;
      if (v->enteId == t->enteId) {
        SP_ASSIGN(ps.areas, store::areasOfOffice(c, v->officeId));
      }
      a.reason = decide(ps, gate, direction, now);
      // Another ente's pass: nothing of it enters this ente's log.
      if (a.reason != CheckReason::kOtherEnte) rec.visitorId = v->id;
      if (a.reason != CheckReason::kOk) break;
      Visitor moved = *v;
      moved.insideAreaId = apply(ps, gate, direction).insideArea;
      SP_ASSIGN(bool done, store::movePass(c, moved, now));
      if (!done) {
        a.reason = CheckReason::kAntiPassback;  // unless the read again says otherwise
        continue;
      }
      a.allowed = true;
      SP_TRY(changed(tx, v->enteId, v->id, direction == Direction::kIn ? "entered" : "exited"));
      a.firstName = badgeName(v->firstName);
      a.destination = v->officeName;
      break;
    }
    rec.allowed = a.allowed;
    rec.reason = reasonName(a.reason);
    SP_TRY(store::insertCheck(c, rec));
    return a;
  };
  co_return co_await db_.write<CheckAnswer>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Upkeep

asio::awaitable<Result<int64_t>> VisitorService::closeDays() {
  auto job = [](Tx& tx) -> Result<int64_t> {
    SP_ASSIGN(auto ids, store::flagOverstays(tx.conn(), tx.nowMs()));
    for (const auto& [id, ente] : ids) SP_TRY(changed(tx, ente, id, "flagged"));
    return static_cast<int64_t>(ids.size());
  };
  co_return co_await db_.write<int64_t>(std::move(job));
}

asio::awaitable<Result<int64_t>> VisitorService::purge(int days) {
  int64_t now = clock_.nowMs();
  auto job = [days, now](Tx& tx) -> Result<int64_t> {
    SP_ASSIGN(auto enti, store::retentionByEnte(tx.conn()));
    int64_t n = 0;
    for (const auto& [ente, hours] : enti) {
      SP_ASSIGN(int64_t k, store::eraseVisitors(tx.conn(), ente, now - hours * 3'600'000));
      if (k > 0) SP_TRY(changed(tx, ente, std::nullopt, "erased"));
      n += k;
    }
    if (days > 0) SP_TRY(store::purgeLogs(tx.conn(), now - int64_t{days} * 86'400'000));
    return n;
  };
  co_return co_await db_.write<int64_t>(std::move(job));
}

}  // namespace sportello::visitors
