#include "feedback/service.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "booking/lookup.h"
#include "cases/lookup.h"
#include "core/token.h"
#include "directory/lookup.h"
#include "feedback/store.h"
#include "queue/lookup.h"
#include "staff/lookup.h"

namespace sportello::feedback {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// A contact as feedback sees it: the rating it would get (without the vote) and whether it is
// over, i.e. may be rated now.
struct Contact {
  Rating row;
  bool over = false;
};

const date::time_zone* zoneOf(const std::string& name) {
  try {
    return date::locate_zone(name.empty() ? "Europe/Rome" : name);
  } catch (const std::exception&) {
    return date::locate_zone("Europe/Rome");
  }
}

Result<const date::time_zone*> enteZone(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto ente, directory::lookup::enteById(c, enteId));
  return zoneOf(ente.timezone);
}

Error unknownContact(Channel ch) {
  switch (ch) {
    case Channel::kTicket:
      return Error(Errc::kNotFound, "biglietto non trovato");
    case Channel::kAppointment:
      return Error(Errc::kNotFound, "prenotazione non trovata");
    case Channel::kVisit:
      return Error(Errc::kNotFound, "visita non trovata");
    case Channel::kCase:
    case Channel::kPhone:
      break;
  }
  return Error(Errc::kNotFound, "pratica non trovata: controlla il codice e il codice segreto");
}

// The ticket, booking or case `ref` of ente `enteId` as its holder (or, phone, the staff member
// `ctx`) may see it; kNotFound for another ente's.
Result<Contact> contactOf(sql::Connection& c, const std::string& enteId, Channel ch,
                          const std::string& ref, const std::string& token,
                          const staff::StaffContext* ctx) {
  Contact k;
  k.row.enteId = enteId;
  k.row.channel = ch;
  switch (ch) {
    case Channel::kTicket: {
      SP_ASSIGN(auto t, queue::lookup::holderTicket(c, ref, token));
      if (t.enteId != enteId) return unknownContact(ch);
      SP_ASSIGN(auto office, directory::lookup::serviceOffice(c, t.serviceId));
      k.row.contactId = t.id;
      k.row.officeId = office.value_or("");
      k.row.serviceId = t.serviceId;
      k.row.contactAt = t.endedAt.value_or(t.issuedAt);
      k.over = t.state == queue::TicketState::kDone;
      return k;
    }
    case Channel::kAppointment: {
      SP_ASSIGN(auto b, booking::lookup::holderBooking(c, enteId, ref, token));
      k.row.contactId = b.id;
      k.row.officeId = b.officeId;
      k.row.serviceId = b.serviceId;
      k.row.operatorId = b.operatorId;
      k.row.contactAt = b.updatedAt;
      k.over = b.state == booking::BookingState::kDone;
      return k;
    }
    case Channel::kCase: {
      SP_ASSIGN(auto x, cases::lookup::holderCase(c, enteId, ref, token));
      k.row.contactId = x.id;
      k.row.officeId = x.officeId;
      k.row.operatorId = x.assignedOperatorId;
      k.row.contactAt = x.resolvedAt.value_or(x.closedAt.value_or(x.updatedAt));
      k.over = x.state == cases::CaseState::kResolved || x.state == cases::CaseState::kClosed;
      return k;
    }
    case Channel::kPhone: {
      auto x = cases::lookup::caseById(c, ref);
      if (!x.ok()) {
        if (x.error().code == Errc::kNotFound) return makeError(Errc::kNotFound, "pratica non trovata");
        return x.error();
      }
      if (x->enteId != enteId) return makeError(Errc::kNotFound, "pratica non trovata");
      if (!ctx || !staff::lookup::serves(*ctx, enteId, x->officeId)) {
        return makeError(Errc::kForbidden, "la pratica è di un ufficio che non segui");
      }
      if (x->channel != cases::Channel::kPhone) {
        return makeError(Errc::kInvalid, "la pratica non è nata da una telefonata", "channel");
      }
      k.row.contactId = x->id;
      k.row.officeId = x->officeId;
      k.row.operatorId = ctx->op.id;
      k.row.contactAt = x->createdAt;
      k.over = true;  // the call is over once its case is written
      return k;
    }
    case Channel::kVisit:
      break;
  }
  return unknownContact(ch);
}

}  // namespace

FeedbackService::FeedbackService(Database& db, const Clock& clock, staff::StaffService& staff,
                                 reception::ReceptionService& reception)
    : db_(db), clock_(clock), staff_(staff), reception_(reception) {}

const char* FeedbackService::holderHeader(Channel ch) {
  switch (ch) {
    case Channel::kVisit:
      return "X-Visit-Token";
    case Channel::kTicket:
      return "X-Ticket-Token";
    case Channel::kAppointment:
      return "X-Booking-Token";
    case Channel::kCase:
      return "X-Case-Token";
    case Channel::kPhone:
      break;
  }
  return "";
}

asio::awaitable<Result<RatingStatus>> FeedbackService::status(Caller caller, std::string slug,
                                                              Channel ch, std::string ref) {
  RatingStatus out{ch};
  if (ch == Channel::kVisit) {
    auto a = co_await reception_.actor(caller, ref);
    if (!a.ok()) co_return a.error();
    auto job = [slug](sql::Connection& c) -> Result<directory::Ente> {
      return directory::lookup::enteBySlug(c, slug);
    };
    auto ente = co_await db_.read<directory::Ente>(std::move(job));
    if (!ente.ok() || ente->id != a->visit.enteId) co_return unknownContact(ch);
    out.rated = a->visit.rating.has_value();
    out.rateable = !out.rated && a->visit.state == reception::VisitState::kEnded;
    co_return out;
  }
  std::optional<staff::StaffContext> ctx;
  if (ch == Channel::kPhone) {
    auto s = co_await staff_.require(caller, slug, staff::Role::kOperator);
    if (!s.ok()) co_return s.error();
    ctx = std::move(s.value());
  }
  auto job = [slug, ch, ref, token = caller.holder, ctx](sql::Connection& c) -> Result<RatingStatus> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    SP_ASSIGN(auto k, contactOf(c, ente.id, ch, ref, token, ctx ? &*ctx : nullptr));
    SP_ASSIGN(auto existing, store::ratingOf(c, ch, k.row.contactId));
    RatingStatus s{ch};
    s.rated = existing.has_value();
    s.rateable = k.over && !s.rated;
    return s;
  };
  co_return co_await db_.read<RatingStatus>(std::move(job));
}

asio::awaitable<Result<RatingStatus>> FeedbackService::rate(Caller caller, std::string slug,
                                                            Channel ch, std::string ref,
                                                            RatingInput in) {
  SP_CO_TRY(validate(in.score, in.reasons, in.comment));
  if (ch == Channel::kVisit) {
    // Reception's own use case: the visit page shows the rating; the hook writes our row.
    auto a = co_await reception_.actor(caller, ref);
    if (!a.ok()) co_return a.error();
    auto job = [slug](sql::Connection& c) -> Result<directory::Ente> {
      return directory::lookup::enteBySlug(c, slug);
    };
    auto ente = co_await db_.read<directory::Ente>(std::move(job));
    if (!ente.ok() || ente->id != a->visit.enteId) co_return unknownContact(ch);
    auto score = reception::parseScore(name(in.score));
    SP_CO_TRY(co_await reception_.rate(*a, *score, std::move(in.reasons), std::move(in.comment)));
    co_return RatingStatus{ch, false, true};
  }
  std::optional<staff::StaffContext> ctx;
  if (ch == Channel::kPhone) {
    auto s = co_await staff_.require(caller, slug, staff::Role::kOperator);
    if (!s.ok()) co_return s.error();
    ctx = std::move(s.value());
  }
  auto job = [slug, ch, ref, token = caller.holder, ctx,
              in = std::move(in)](Tx& tx) -> Result<RatingStatus> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(tx.conn(), slug));
    SP_ASSIGN(auto k, contactOf(tx.conn(), ente.id, ch, ref, token, ctx ? &*ctx : nullptr));
    if (!k.over) {
      return makeError(Errc::kConflict, "si può esprimere un giudizio a servizio concluso");
    }
    Rating r = std::move(k.row);
    r.id = newId();
    r.score = in.score;
    r.reasons = in.reasons;
    r.comment = in.comment;
    r.ratedAt = tx.nowMs();
    SP_TRY(store::insertRating(tx.conn(), r, zoneOf(ente.timezone)));
    return RatingStatus{ch, false, true};
  };
  co_return co_await db_.write<RatingStatus>(std::move(job));
}

Status FeedbackService::recordVisit(Tx& tx, const reception::Visit& v) {
  Rating r;
  r.id = newId();
  r.enteId = v.enteId;
  r.channel = Channel::kVisit;
  r.contactId = v.id;
  r.officeId = v.officeId;
  r.operatorId = v.operatorId;
  r.score = parseScore(v.rating.value_or("")).value_or(Score::kNeutral);
  r.reasons = v.ratingReasons;
  r.comment = v.ratingComment;
  r.contactAt = v.endedAt.value_or(v.knockedAt);
  r.ratedAt = tx.nowMs();
  SP_ASSIGN(auto tz, enteZone(tx.conn(), v.enteId));
  return store::insertRating(tx.conn(), r, tz);
}

Result<SatisfactionReport> satisfactionReport(sql::Connection& c, const std::string& slug,
                                              const std::string& from, const std::string& to,
                                              const std::optional<std::string>& officeId) {
  SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
  const date::time_zone* tz = zoneOf(ente.timezone);
  SP_TRY(periodOf(from, to, tz));  // validates the days and the length
  SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ente.id));
  std::map<std::string, std::string> officeNames;
  for (const auto& o : offices) officeNames[o.id] = o.name;
  if (officeId && !officeNames.count(*officeId)) {
    return makeError(Errc::kInvalid, "office: ufficio sconosciuto", "office");
  }
  // The daily roll-ups (migration 1202): a cell per local day, office, service and channel, and
  // per local day, office, operator and channel for the operators' totals.
  store::DailyFilter f;
  f.officeId = officeId;
  SP_ASSIGN(auto cells, store::dailyCells(c, ente.id, from, to, f, false));
  SP_ASSIGN(auto opCells, store::dailyCells(c, ente.id, from, to, f, true));
  SatisfactionReport r;
  r.from = from;
  r.to = to;
  r.timezone = tz->name();
  std::map<std::tuple<std::string, std::string, int>, Counts> rows;
  std::map<std::string, Counts> byChannel, byOffice, byOperator;
  for (const auto& x : cells) {
    if (x.ratings.total() == 0) continue;
    auto ch = parseChannel(x.channel);
    if (!ch) continue;
    auto officeName = officeNames.count(x.officeId) ? officeNames[x.officeId] : x.officeId;
    rows[{x.day, officeName + '\x1f' + x.officeId, static_cast<int>(*ch)}] += x.ratings;
    byChannel[x.channel] += x.ratings;
    byOffice[officeName] += x.ratings;
    r.total += x.ratings;
  }
  for (const auto& x : opCells) {
    if (x.ratings.total() > 0) byOperator[x.operatorId] += x.ratings;
  }
  for (const auto& [k, counts] : rows) {
    const auto& key = std::get<1>(k);
    auto sep = key.find('\x1f');
    r.rows.push_back({std::get<0>(k), key.substr(sep + 1), key.substr(0, sep),
                      static_cast<Channel>(std::get<2>(k)), counts});
  }
  r.byChannel.assign(byChannel.begin(), byChannel.end());
  r.byOffice.assign(byOffice.begin(), byOffice.end());
  r.byOperator.assign(byOperator.begin(), byOperator.end());
  return r;
}

asio::awaitable<Result<SatisfactionReport>> FeedbackService::satisfaction(
    Caller caller, std::string slug, std::string from, std::string to,
    std::optional<std::string> officeId) {
  auto ctx = co_await staff_.require(caller, slug, staff::Role::kSupervisor);
  if (!ctx.ok()) co_return ctx.error();
  auto job = [slug, from, to, officeId](sql::Connection& c) -> Result<SatisfactionReport> {
    return satisfactionReport(c, slug, from, to, officeId);
  };
  co_return co_await db_.read<SatisfactionReport>(std::move(job));
}

Status recordContact(Tx& tx, const ContactFact& f) {
  SP_ASSIGN(auto tz, enteZone(tx.conn(), f.enteId));
  auto slot = localSlot(f.arrivedAt, tz);
  store::Cell x;
  x.day = slot.day;
  x.officeId = f.officeId;
  x.serviceId = f.serviceId.value_or("");
  x.operatorId = f.operatorId.value_or("");
  x.channel = f.channel;
  auto& k = x.contacts;
  k.contacts = 1;
  k.byHour[static_cast<size_t>(slot.hour)] = 1;
  switch (f.outcome) {
    case ContactOutcome::kServed: k.served = 1; break;
    case ContactOutcome::kAbandoned: k.abandoned = 1; break;
    case ContactOutcome::kNoShow: k.noShow = 1; break;
    case ContactOutcome::kOther: break;
  }
  if (f.startedAt) {
    int64_t wait = std::max<int64_t>(*f.startedAt - f.arrivedAt, 0);
    k.waitN = 1;
    k.waitSumMs = wait;
    k.wait[bucketOf(wait)] = 1;
    if (f.outcome == ContactOutcome::kServed) {
      int64_t service = std::max<int64_t>(f.endedAt - *f.startedAt, 0);
      k.serviceN = 1;
      k.serviceSumMs = service;
      k.service[bucketOf(service)] = 1;
    }
  }
  if (f.firstContactResolved) {
    k.fcrEligible = 1;
    k.fcrYes = *f.firstContactResolved ? 1 : 0;
  }
  return store::bumpDaily(tx.conn(), f.enteId, x);
}

namespace {

// Sums cells into groups keyed by `key`, in key order.
template <class KeyFn>
std::vector<FigureGroup> groupBy(const std::vector<store::Cell>& cells, KeyFn key) {
  std::map<std::string, FigureGroup> m;
  for (const auto& x : cells) {
    auto k = key(x);
    auto& g = m[k];
    g.key = k;
    g.contacts += x.contacts;
    g.ratings += x.ratings;
  }
  std::vector<FigureGroup> out;
  out.reserve(m.size());
  for (auto& [k, g] : m) out.push_back(std::move(g));
  return out;
}

}  // namespace

Result<FiguresReport> figuresReport(sql::Connection& c, const std::string& slug,
                                    const FiguresQuery& q) {
  SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
  const date::time_zone* tz = zoneOf(ente.timezone);
  SP_TRY(periodOf(q.from, q.to, tz));  // validates the days and the length
  if (q.serviceId && q.operatorId) {
    return makeError(Errc::kInvalid, "operator: non insieme a service", "operator");
  }
  FiguresReport r;
  r.from = q.from;
  r.to = q.to;
  r.timezone = tz->name();
  std::map<std::string, std::string> names;
  SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ente.id));
  for (const auto& o : offices) names["o:" + o.id] = o.name;
  SP_ASSIGN(auto services, directory::lookup::listServices(c, ente.id));
  for (const auto& x : services) names["s:" + x.id] = x.name;
  SP_ASSIGN(auto ops, staff::lookup::operatorsOf(c, ente.id));
  for (const auto& o : ops) names["p:" + o.id] = o.displayName;
  auto check = [&](const std::optional<std::string>& v, const char* prefix, const char* field,
                   const char* unknown) -> Status {
    if (!v) return okStatus();
    r.filter[field] = *v;
    if (!names.count(prefix + *v)) return makeError(Errc::kInvalid, unknown, field);
    return okStatus();
  };
  SP_TRY(check(q.officeId, "o:", "office", "office: ufficio sconosciuto"));
  SP_TRY(check(q.serviceId, "s:", "service", "service: servizio sconosciuto"));
  SP_TRY(check(q.operatorId, "p:", "operator", "operator: operatore sconosciuto"));
  if (q.channel) {
    if (!parseChannel(*q.channel)) {
      return makeError(Errc::kInvalid, "channel: visit, ticket, appointment, case o phone",
                       "channel");
    }
    r.filter["channel"] = *q.channel;
  }
  store::DailyFilter f{q.officeId, q.serviceId, q.channel, q.operatorId};
  std::vector<store::Cell> cells, opCells;
  if (!q.operatorId) {
    SP_ASSIGN(cells, store::dailyCells(c, ente.id, q.from, q.to, f, false));
  }
  if (!q.serviceId) {
    SP_ASSIGN(opCells, store::dailyCells(c, ente.id, q.from, q.to, f, true));
  } else {
    r.operatorsAvailable = false;
  }
  // With an operator chosen, the per-operator cells are the figures.
  const auto& main = q.operatorId ? opCells : cells;
  auto nameOf = [&](const char* prefix, const std::string& id) {
    auto it = names.find(prefix + id);
    return it == names.end() ? id : it->second;
  };
  for (const auto& x : main) {
    r.total.contacts += x.contacts;
    r.total.ratings += x.ratings;
  }
  r.byDay = groupBy(main, [](const store::Cell& x) { return x.day; });
  r.byOffice = groupBy(main, [](const store::Cell& x) { return x.officeId; });
  for (auto& g : r.byOffice) g.name = nameOf("o:", g.key);
  if (!q.operatorId) {
    r.byService = groupBy(main, [](const store::Cell& x) { return x.serviceId; });
    for (auto& g : r.byService) g.name = g.key.empty() ? "" : nameOf("s:", g.key);
  }
  r.byChannel = groupBy(main, [](const store::Cell& x) { return x.channel; });
  r.byOperator = groupBy(opCells, [](const store::Cell& x) { return x.operatorId; });
  for (auto& g : r.byOperator) g.name = nameOf("p:", g.key);
  for (int h = 0; h < 24; ++h) {
    FigureGroup g;
    g.key = std::to_string(h);
    g.contacts.contacts = r.total.contacts.byHour[static_cast<size_t>(h)];
    r.byHour.push_back(std::move(g));
  }
  return r;
}

asio::awaitable<Result<FiguresReport>> FeedbackService::figures(Caller caller, std::string slug,
                                                                FiguresQuery q) {
  auto ctx = co_await staff_.require(caller, slug, staff::Role::kSupervisor);
  if (!ctx.ok()) co_return ctx.error();
  auto job = [slug, q](sql::Connection& c) -> Result<FiguresReport> {
    return figuresReport(c, slug, q);
  };
  co_return co_await db_.read<FiguresReport>(std::move(job));
}

asio::awaitable<Result<OpenDataset>> FeedbackService::openData(std::string slug, std::string year,
                                                               std::string origin) {
  int64_t now = clock_.nowMs();
  auto job = [slug, year, origin, now](sql::Connection& c) -> Result<OpenDataset> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    const date::time_zone* tz = zoneOf(ente.timezone);
    std::string y = year.empty() ? localSlot(now, tz).day.substr(0, 4) : year;
    if (y.size() != 4 || !std::all_of(y.begin(), y.end(), [](char ch) {
          return ch >= '0' && ch <= '9';
        })) {
      return makeError(Errc::kInvalid, "year: un anno AAAA", "year");
    }
    SP_ASSIGN(auto cells, store::dailyCells(c, ente.id, y + "-01-01", y + "-12-31", {}, false));
    SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ente.id));
    std::map<std::string, std::string> names;
    for (const auto& o : offices) names[o.id] = o.name;
    std::map<std::pair<std::string, std::string>, OpenDataRow> rows;
    for (const auto& x : cells) {
      auto& row = rows[{x.day.substr(0, 7), x.officeId}];
      row.month = x.day.substr(0, 7);
      row.officeId = x.officeId;
      row.officeName = names.count(x.officeId) ? names[x.officeId] : x.officeId;
      row.contacts += x.contacts;
      row.ratings += x.ratings;
    }
    OpenDataset d;
    d.enteName = ente.name;
    d.enteSlug = ente.slug;
    d.year = y;
    d.origin = origin;
    d.modified = localSlot(now, tz).day;
    for (auto& [k, row] : rows) d.rows.push_back(std::move(row));
    return d;
  };
  co_return co_await db_.read<OpenDataset>(std::move(job));
}

asio::awaitable<Result<int64_t>> FeedbackService::purge(int days) {
  int64_t before = clock_.nowMs() - static_cast<int64_t>(days) * kDayMs;
  auto job = [before](Tx& tx) -> Result<int64_t> { return store::forgetComments(tx.conn(), before); };
  co_return co_await db_.write<int64_t>(std::move(job));
}

}  // namespace sportello::feedback
