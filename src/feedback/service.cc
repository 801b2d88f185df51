#include "feedback/service.h"

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
    SP_TRY(store::insertRating(tx.conn(), r));
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
  return store::insertRating(tx.conn(), r);
}

Result<SatisfactionReport> satisfactionReport(sql::Connection& c, const std::string& slug,
                                              const std::string& from, const std::string& to,
                                              const std::optional<std::string>& officeId) {
  SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(ente.timezone.empty() ? "Europe/Rome" : ente.timezone);
  } catch (const std::exception&) {
    tz = date::locate_zone("Europe/Rome");
  }
  SP_ASSIGN(auto period, periodOf(from, to, tz));
  SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ente.id));
  std::map<std::string, std::string> officeNames;
  for (const auto& o : offices) officeNames[o.id] = o.name;
  if (officeId && !officeNames.count(*officeId)) {
    return makeError(Errc::kInvalid, "office: ufficio sconosciuto", "office");
  }
  SP_ASSIGN(auto hrs, store::hours(c, ente.id, period.first, period.second, officeId));
  SatisfactionReport r;
  r.from = from;
  r.to = to;
  r.timezone = tz->name();
  std::map<std::tuple<std::string, std::string, int>, Counts> rows;
  std::map<std::string, Counts> byChannel, byOffice, byOperator;
  int64_t dayOfHour = -1;  // hours come in order: one time-zone conversion per hour
  std::string day;
  for (const auto& h : hrs) {
    if (h.hourStart != dayOfHour) {
      dayOfHour = h.hourStart;
      day = localDay(h.hourStart, tz);
    }
    auto officeName = officeNames.count(h.officeId) ? officeNames[h.officeId] : h.officeId;
    rows[{day, officeName + '\x1f' + h.officeId,
          static_cast<int>(h.channel)}] += h.counts;
    byChannel[name(h.channel)] += h.counts;
    byOffice[officeName] += h.counts;
    if (!h.operatorId.empty()) byOperator[h.operatorId] += h.counts;
    r.total += h.counts;
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

asio::awaitable<Result<int64_t>> FeedbackService::purge(int days) {
  int64_t before = clock_.nowMs() - static_cast<int64_t>(days) * kDayMs;
  auto job = [before](Tx& tx) -> Result<int64_t> { return store::forgetComments(tx.conn(), before); };
  co_return co_await db_.write<int64_t>(std::move(job));
}

}  // namespace sportello::feedback
