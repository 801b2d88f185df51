#include "reception/service.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "core/contact.h"
#include "core/token.h"
#include "directory/lookup.h"
#include "platform/ratelimit.h"
#include "platform/rights.h"
#include "reception/admit.h"
#include "reception/line.h"
#include "reception/store.h"
#include "staff/lookup.h"

namespace sportello::reception {

std::string queueTopic(const std::string& officeId) {
  return Topic::make(kQueueTopic, {{"id", officeId}});
}
std::string staffTopic(const std::string& officeId) {
  return Topic::make(kStaffTopic, {{"id", officeId}});
}
std::string visitTopic(const std::string& visitId) {
  return Topic::make(kVisitTopic, {{"id", visitId}});
}

namespace {

constexpr size_t kMaxSdpBytes = 16 * 1024;
constexpr size_t kMaxCandidateBytes = 2048;

Json optJson(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

OfficeRef officeRef(const directory::Office& o) {
  return {o.id, o.slug, o.name};
}
OfficeRef officeOf(const Visit& v) {
  return {v.officeId, v.officeSlug, v.officeName};
}

struct Place {
  directory::Ente ente;
  directory::Office office;
};

// The ente by slug and one of its offices by id or slug.
Result<Place> findOffice(sql::Connection& c, const std::string& slug, const std::string& ref) {
  SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
  SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ente.id));
  for (auto& o : offices) {
    if (o.id == ref || o.slug == ref) return Place{std::move(ente), std::move(o)};
  }
  return makeError(Errc::kNotFound, "ufficio non trovato");
}

Result<directory::OpenStatus> openStatus(sql::Connection& c, const Place& p, Mode mode,
                                         int64_t nowMs) {
  return directory::lookup::openStatus(c, p.ente, p.office.id, std::string(scheduleChannel(mode)),
                                       nowMs);
}

bool offers(const directory::Office& o, Mode mode) {
  return std::find(o.channels.begin(), o.channels.end(), scheduleChannel(mode)) !=
         o.channels.end();
}

std::string isoSeconds(std::chrono::sys_seconds t) {
  return formatIsoMs(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
                         .count());
}

// An appointment ticket counts ahead of the waiting rooms from this long before its time, as the
// one line's policy serves it (line/model/policy.h, PolicyConfig::appointmentGrace).
constexpr int64_t kAppointmentDueGraceMs = 5 * 60 * 1000;

// The visit plus what the waiting room shows, read in one transaction so that `position` and
// `queue_seq` describe the same moment (the client then applies queue events after it).
Result<VisitView> viewIn(sql::Connection& c, const std::string& visitId, int64_t now) {
  bool pg = c.dialect() == sql::Dialect::kPostgres;
  SP_TRY(c.exec(pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", {}));
  auto body = [&]() -> Result<VisitView> {
    VisitView out;
    SP_ASSIGN(out.visit, store::visit(c, visitId));
    const Visit& v = out.visit;
    SP_ASSIGN(out.figures, store::figures(c, v.officeId));
    out.queueTopic = queueTopic(v.officeId);
    out.visitTopic = visitTopic(v.id);
    SP_ASSIGN(out.queueSeq, eventlog::currentSeq(c, out.queueTopic));
    SP_ASSIGN(out.visitSeq, eventlog::currentSeq(c, out.visitTopic));
    int64_t pos = 0;
    if (v.state == VisitState::kWaiting) {
      SP_ASSIGN(pos, store::position(c, v, now, kAppointmentDueGraceMs));
      out.position = pos;
    }
    out.estimatedWaitMs =
        estimatedWaitMs(pos, out.figures.avgHandleMs, out.figures.operatorsAvailable);
    return out;
  };
  auto r = body();
  auto done = c.exec(pg ? "COMMIT" : "COMMIT", {});
  if (!done.ok() && r.ok()) return done.error();
  return r;
}

Status emitQueue(Tx& tx, const std::string& officeId, const char* type, Json data) {
  return tx.emit(queueTopic(officeId), type, data);
}

// The figures' record of a visit that ended, left or was refused (platform/contact_fact.h):
// waiting from knock to admission, service from admission to end; an admitted visit's outcome
// says whether it was resolved at first contact.
Status contactEnded(Tx& tx, const Visit& v) {
  ContactFact f;
  f.enteId = v.enteId;
  f.officeId = v.officeId;
  f.operatorId = v.operatorId;
  f.channel = "visit";
  f.arrivedAt = v.knockedAt;
  f.startedAt = v.admittedAt;
  f.endedAt = v.endedAt.value_or(tx.nowMs());
  f.outcome = v.state == VisitState::kRejected ? ContactOutcome::kOther
              : v.admittedAt                    ? ContactOutcome::kServed
                                                : ContactOutcome::kAbandoned;
  auto outcome = v.outcome ? parseOutcome(*v.outcome) : std::nullopt;
  if (v.admittedAt && outcome && *outcome != Outcome::kAbandoned) {
    f.firstContactResolved = *outcome == Outcome::kResolved;
  }
  return tx.recordContact(f);
}

// Announces a change of `v` to its parties and to its office's staff (and, when it ends it,
// to the figures).
Status announce(Tx& tx, const Visit& v, const char* type, Json data) {
  std::string_view t = type;
  if (t == "visit.ended" || t == "visit.left" || t == "visit.rejected") {
    SP_TRY(contactEnded(tx, v));
  }
  SP_TRY(tx.emit(visitTopic(v.id), type, data));
  return tx.emit(staffTopic(v.officeId), "visit.updated", toJson(v));
}

Status validClientId(const std::string& s) {
  if (s.size() > 40 || !std::all_of(s.begin(), s.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
      })) {
    return makeError(Errc::kInvalid, "client_id: fino a 40 caratteri tra lettere, cifre, - e _",
                     "client_id");
  }
  return okStatus();
}

Status validContact(const std::string& s) {
  if (s.find('@') != std::string::npos) {
    if (contact::validEmail(s)) return okStatus();
    return makeError(Errc::kInvalid, "indirizzo email non valido", "contact");
  }
  if (contact::validPhone(s)) return okStatus();
  bool phoneLike = std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == ' ' || ch == '-' ||
           ch == '/' || ch == '.';
  });
  if (!phoneLike) {
    return makeError(Errc::kInvalid, "indica un indirizzo email o un numero di telefono",
                     "contact");
  }
  return makeError(Errc::kInvalid, "numero di telefono non valido", "contact");
}

}  // namespace

ReceptionService::ReceptionService(Database& db, const Clock& clock, staff::StaffService& staff,
                                   TurnOptions turn, int knocksPerAddressPerHour)
    : db_(db),
      clock_(clock),
      staff_(staff),
      turn_(std::move(turn)),
      knocksPerHour_(knocksPerAddressPerHour) {}

// ---------------------------------------------------------------------------------------------
// Citizen

namespace {

// What the citizen sees of an office before knocking (one read transaction).
Result<ReceptionStatus> statusOf(sql::Connection& c, const Place& p, int64_t now) {
  ReceptionStatus out;
  out.office = officeRef(p.office);
  SP_ASSIGN(out.figures, store::figures(c, p.office.id));
  const QueueFigures& f = out.figures;
  for (Mode m : {Mode::kChat, Mode::kVideo}) {
    ModeStatus& st = m == Mode::kChat ? out.chat : out.video;
    st.offered = offers(p.office, m);
    if (st.offered) {
      SP_ASSIGN(auto s, openStatus(c, p, m, now));
      st.open = s.open;
      st.nextOpensAt = s.nextOpensAt;
      st.closesAt = s.closesAt;
    }
    bool can = st.offered && st.open && f.operatorsAvailable > 0;
    (m == Mode::kChat ? out.canKnockChat : out.canKnockVideo) = can;
  }
  out.estimatedWaitMs = estimatedWaitMs(f.waiting + 1, f.avgHandleMs, f.operatorsAvailable);
  out.queueTopic = queueTopic(p.office.id);
  return out;
}

}  // namespace

asio::awaitable<Result<ReceptionStatus>> ReceptionService::receptionStatus(std::string slug,
                                                                           std::string office) {
  int64_t now = clock_.nowMs();
  auto job = [slug, office, now](sql::Connection& c) -> Result<ReceptionStatus> {
    SP_ASSIGN(auto p, findOffice(c, slug, office));
    return statusOf(c, p, now);
  };
  co_return co_await db_.read<ReceptionStatus>(std::move(job));
}

asio::awaitable<Result<WidgetStatus>> ReceptionService::widgetStatus(
    std::string slug, std::vector<std::string> offices, std::string origin) {
  constexpr size_t kMaxOffices = 10;
  if (offices.empty()) co_return makeError(Errc::kInvalid, "indicare almeno un ufficio", "offices");
  if (offices.size() > kMaxOffices) {
    co_return makeError(Errc::kInvalid, "al massimo 10 uffici", "offices");
  }
  int64_t now = clock_.nowMs();
  auto job = [slug, offices = std::move(offices), origin = std::move(origin),
              now](sql::Connection& c) -> Result<WidgetStatus> {
    WidgetStatus out;
    for (const auto& ref : offices) {
      SP_ASSIGN(auto p, findOffice(c, slug, ref));
      if (out.offices.empty()) {
        const auto& allowed = p.ente.embedOrigins;
        out.framing = !origin.empty() &&
                      std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
      }
      SP_ASSIGN(auto st, statusOf(c, p, now));
      WidgetOffice w{st.office, st.chat.open || st.video.open,
                     st.canKnockChat || st.canKnockVideo, std::nullopt};
      if (!w.open) {
        for (const ModeStatus* m : {&st.chat, &st.video}) {
          if (m->nextOpensAt && (!w.nextOpensAt || *m->nextOpensAt < *w.nextOpensAt)) {
            w.nextOpensAt = m->nextOpensAt;
          }
        }
      }
      out.offices.push_back(std::move(w));
    }
    return out;
  };
  co_return co_await db_.read<WidgetStatus>(std::move(job));
}

asio::awaitable<Result<Knocked>> ReceptionService::knock(std::string slug, std::string office,
                                                         KnockInput in, std::string remote,
                                                         std::string kioskId) {
  // Knocks per client address (kiosks are exempt): counted in the write below, checked here
  // first so that a refused knock costs no checks.
  ratelimit::Rule perAddress{"knock.address", kioskId.empty() ? knocksPerHour_ : 0};
  constexpr std::string_view tooMany = "Troppe richieste da questo indirizzo.";
  {
    int64_t at = clock_.nowMs();
    auto peek = [perAddress, remote, at](sql::Connection& c) {
      return ratelimit::peek(c, perAddress, remote, 1, at);
    };
    auto wait = co_await db_.read<int64_t>(std::move(peek));
    if (!wait.ok()) co_return wait.error();
    if (*wait > 0) co_return ratelimit::tooMany(tooMany, *wait);
  }
  int64_t now = clock_.nowMs();
  // Hours and operators on duty are checked on a reader; the write only numbers and stores.
  auto check = [slug, office, now, mode = in.mode](sql::Connection& c) -> Result<Place> {
    SP_ASSIGN(auto p, findOffice(c, slug, office));
    if (!offers(p.office, mode)) {
      Error e(Errc::kConflict, std::string("questo ufficio non riceve in ") +
                                   (mode == Mode::kChat ? "chat" : "videochiamata"));
      e.reason = "closed";
      return e;
    }
    SP_ASSIGN(auto st, openStatus(c, p, mode, now));
    if (!st.open) {
      Error e(Errc::kConflict, "L'ufficio ora è chiuso per questo canale.");
      e.reason = "closed";
      if (st.nextOpensAt) e.details.emplace_back("next_opens_at", isoSeconds(*st.nextOpensAt));
      return e;
    }
    SP_ASSIGN(auto f, store::figures(c, p.office.id));
    if (f.operatorsAvailable == 0) {
      Error e(Errc::kConflict, "In questo momento nessun operatore è disponibile.");
      e.reason = "unstaffed";
      return e;
    }
    return p;
  };
  auto place = co_await db_.read<Place>(std::move(check));
  if (!place.ok()) co_return place.error();

  std::string token = newSecret();
  Visit v;
  v.id = newId();
  v.enteId = place->ente.id;
  v.officeId = place->office.id;
  v.officeSlug = place->office.slug;
  v.officeName = place->office.name;
  v.tokenHash = sha256Hex(token);
  v.mode = in.mode;
  v.channel = in.channel;
  v.kioskId = kioskId;
  v.name = in.name;
  v.topic = in.topic;
  v.knockedAt = now;
  auto job = [v, perAddress, remote, tooMany](Tx& tx) mutable -> Result<Visit> {
    SP_TRY(ratelimit::hit(tx, perAddress, remote, tooMany));
    SP_ASSIGN(v.knockNo, store::nextKnockNo(tx.conn(), v.enteId));
    SP_TRY(store::insertVisit(tx.conn(), v));
    // No queue.joined: a new knock goes to the end of the line and moves nobody, so telling
    // every waiting citizen would cost N messages per knock (N² to fill a room) for nothing.
    SP_TRY(tx.emit(staffTopic(v.officeId), "visit.knocked", toJson(v)));
    SP_TRY(assignWaiting(tx, v.officeId));
    return v;
  };
  auto stored = co_await db_.write<Visit>(std::move(job));
  if (!stored.ok()) co_return stored.error();
  std::string id = stored->id;
  auto viewJob = [id, now = clock_.nowMs()](sql::Connection& c) { return viewIn(c, id, now); };
  auto view = co_await db_.read<VisitView>(std::move(viewJob));
  if (!view.ok()) co_return view.error();
  co_return Knocked{std::move(view.value()), token};
}

asio::awaitable<Result<CallbackReceipt>> ReceptionService::createCallback(std::string slug,
                                                                          std::string office,
                                                                          CallbackInput in,
                                                                          std::string remote) {
  SP_CO_TRY(validContact(in.contact));
  // Each message opens a case and mails the contact: limited per address and per contact.
  ratelimit::Rule perAddress{"callback.address", limits_.callbackRequestsPerAddressPerHour};
  ratelimit::Rule perContact{"callback.contact", limits_.callbackRequestsPerContactPerDay,
                             86'400'000};
  std::string contactKey;
  for (char ch : in.contact) {
    if (ch != ' ')
      contactKey.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  CallbackRequest r;
  r.id = newId();
  r.code = readableCode(8);
  r.code.insert(4, "-");
  r.name = std::move(in.name);
  r.contact = std::move(in.contact);
  r.message = std::move(in.message);
  r.state = "new";
  int64_t now = clock_.nowMs();
  r.createdAt = now;
  auto job = [slug, office, r, now, hook = callbackHook_, perAddress, perContact, remote,
              contactKey](Tx& tx) mutable -> Result<CallbackReceipt> {
    SP_ASSIGN(auto p, findOffice(tx.conn(), slug, office));
    SP_TRY(ratelimit::hit(tx, perAddress, remote,
                          "Hai lasciato troppi messaggi da questo indirizzo."));
    SP_TRY(ratelimit::hit(tx, perContact, contactKey,
                          "Sono già stati lasciati troppi messaggi con questo recapito."));
    r.enteId = p.ente.id;
    r.officeId = p.office.id;
    r.officeSlug = p.office.slug;
    r.officeName = p.office.name;
    SP_TRY(store::insertCallback(tx.conn(), r, now));
    CallbackReceipt out{r.code, officeRef(p.office)};
    if (hook) {
      SP_ASSIGN(out.extra, hook(tx, r));
    }
    SP_TRY(tx.emit(staffTopic(r.officeId), "callback.created", toJson(r)));
    return out;
  };
  co_return co_await db_.write<CallbackReceipt>(std::move(job));
}

asio::awaitable<Result<Actor>> ReceptionService::actor(const Caller& caller, std::string visitId) {
  const std::string& token = caller.holder;
  auto job = [visitId](sql::Connection& c) { return store::visit(c, visitId); };
  auto v = co_await db_.read<Visit>(std::move(job));
  if (!token.empty()) {
    // A wrong token and an unknown visit look the same: the id alone reveals nothing.
    if (!v.ok() || !secretEquals(sha256Hex(token), v->tokenHash)) {
      co_return makeError(Errc::kNotFound, "visita non trovata");
    }
    Actor a;
    a.citizen = true;
    a.visit = std::move(v.value());
    a.remote = caller.remote;
    co_return a;
  }
  auto ctx = co_await staff_.require(caller, "", staff::Role::kOperator);
  if (!ctx.ok()) co_return ctx.error();
  if (!v.ok()) co_return v.error();
  if (!staff::lookup::serves(*ctx, v->enteId, v->officeId)) {
    co_return makeError(Errc::kForbidden, "la visita è di un ufficio a cui non appartieni");
  }
  Actor a;
  a.staff = std::move(ctx.value());
  a.visit = std::move(v.value());
  a.remote = caller.remote;
  co_return a;
}

asio::awaitable<Result<VisitView>> ReceptionService::view(const Actor& a) {
  std::string id = a.visit.id;
  auto job = [id, now = clock_.nowMs()](sql::Connection& c) { return viewIn(c, id, now); };
  co_return co_await db_.read<VisitView>(std::move(job));
}

// Runs `fn` on the visit as stored inside a write transaction (the state read when
// authorising may be stale), then answers the visit's view.
asio::awaitable<Result<VisitView>> ReceptionService::change(const Actor& a,
                                                            std::function<Status(Tx&, Visit&)> fn) {
  std::string id = a.visit.id;
  auto job = [id, fn = std::move(fn)](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto v, store::visit(tx.conn(), id));
    SP_TRY(fn(tx, v));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await view(a);
}

asio::awaitable<Result<VisitView>> ReceptionService::leave(const Actor& a) {
  if (!a.citizen) co_return makeError(Errc::kForbidden, "solo il cittadino può lasciare la coda");
  int64_t now = clock_.nowMs();
  auto fn = [now](Tx& tx, Visit& v) -> Status {
    SP_TRY(allowed(Action::kLeave, v.state));
    v.state = VisitState::kLeft;
    v.endedAt = now;
    v.endedBy = "citizen";
    SP_TRY(store::update(tx.conn(), v));
    SP_TRY(emitQueue(tx, v.officeId, "queue.left", {{"k", v.knockNo}, {"why", "left"}}));
    SP_TRY(announce(tx, v, "visit.left", Json::object()));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<MessagePage>> ReceptionService::messages(const Actor& a, int64_t after) {
  std::string id = a.visit.id;
  auto job = [id, after](sql::Connection& c) -> Result<MessagePage> {
    SP_ASSIGN(auto v, store::visit(c, id));
    MessagePage out;
    SP_ASSIGN(out.messages, store::messages(c, id, after));
    out.citizenRead = v.citizenRead;
    out.operatorRead = v.operatorRead;
    return out;
  };
  co_return co_await db_.read<MessagePage>(std::move(job));
}

asio::awaitable<Result<Message>> ReceptionService::sendMessage(const Actor& a, std::string body,
                                                               std::string clientId) {
  if (!a.citizen && !a.isAdmittedOperator()) {
    co_return makeError(Errc::kForbidden, "scrive solo l'operatore che ha aperto la porta");
  }
  auto len = utf8Length(body);
  if (!len || *len == 0 || *len > 2000 || !cleanText(body, true)) {
    co_return makeError(Errc::kInvalid, "messaggio: da 1 a 2000 caratteri", "body");
  }
  SP_CO_TRY(validClientId(clientId));
  std::string from = a.citizen ? "citizen" : "operator";
  std::string opId = a.citizen ? "" : a.staff.op.id;
  int64_t now = clock_.nowMs();
  // A citizen's new messages count per visit and per address (a retry with the same client_id
  // is not new); a refused one rolls back with the job and is neither stored nor announced.
  ratelimit::Rule perVisit{"chat.visit", a.citizen ? limits_.chatMessagesPerVisitPerHour : 0};
  ratelimit::Rule perAddress{"chat.address", a.citizen ? limits_.chatMessagesPerAddressPerHour : 0};
  auto job = [id = a.visit.id, from, opId, body, clientId, now, perVisit, perAddress,
              remote = a.remote](Tx& tx) -> Result<Message> {
    SP_ASSIGN(auto v, store::visit(tx.conn(), id));
    SP_TRY(allowed(Action::kMessage, v.state));
    if (from == "operator" && v.operatorId != opId) {
      return makeError(Errc::kForbidden, "scrive solo l'operatore che ha aperto la porta");
    }
    int64_t before = v.lastMessage;
    SP_ASSIGN(auto m, store::appendMessage(tx.conn(), v, from, body, clientId, now));
    if (m.seq > before) {
      SP_TRY(ratelimit::hit(tx, perVisit, v.id,
                            "Hai inviato troppi messaggi in questa conversazione."));
      SP_TRY(ratelimit::hit(tx, perAddress, remote, "Troppi messaggi da questo indirizzo."));
    }
    if (m.seq > before) SP_TRY(tx.emit(visitTopic(v.id), "message", toJson(m)));
    return m;
  };
  co_return co_await db_.write<Message>(std::move(job));
}

asio::awaitable<Status> ReceptionService::markRead(const Actor& a, int64_t seq) {
  if (!a.citizen && !a.isAdmittedOperator()) {
    co_return makeError(Errc::kForbidden, "solo le parti della conversazione");
  }
  bool citizen = a.citizen;
  auto job = [id = a.visit.id, seq, citizen](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto v, store::visit(tx.conn(), id));
    int64_t& mark = citizen ? v.citizenRead : v.operatorRead;
    int64_t upTo = std::min(seq, v.lastMessage);
    if (upTo <= mark) return true;
    mark = upTo;
    SP_TRY(store::update(tx.conn(), v));
    SP_TRY(tx.emit(visitTopic(v.id), "read",
                   {{"by", citizen ? "citizen" : "operator"}, {"seq", upTo}}));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<VisitView>> ReceptionService::startCall(const Actor& a) {
  if (!a.citizen && !a.isAdmittedOperator()) {
    co_return makeError(Errc::kForbidden, "solo le parti della conversazione");
  }
  const char* by = a.citizen ? "citizen" : "operator";
  auto fn = [by](Tx& tx, Visit& v) -> Status {
    SP_TRY(allowed(Action::kCall, v.state));
    if (v.call == CallState::kActive) return okStatus();
    if (v.operatorId) {
      SP_ASSIGN(auto other, store::activeCallOf(tx.conn(), *v.operatorId, v.id));
      if (other) {
        return makeError(Errc::kConflict,
                         "l'operatore ha già una videochiamata in corso: una alla volta");
      }
    }
    v.call = CallState::kActive;
    SP_TRY(store::update(tx.conn(), v));
    SP_TRY(announce(tx, v, "call.started", {{"by", by}}));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Status> ReceptionService::proposeCall(const Actor& a) {
  if (!a.isAdmittedOperator()) {
    co_return makeError(Errc::kForbidden, "propone la videochiamata l'operatore della visita");
  }
  auto fn = [](Tx& tx, Visit& v) -> Status {
    SP_TRY(allowed(Action::kCall, v.state));
    if (v.call != CallState::kNone) return okStatus();
    v.call = CallState::kProposed;
    SP_TRY(store::update(tx.conn(), v));
    SP_TRY(announce(tx, v, "call.proposed", Json::object()));
    return okStatus();
  };
  auto r = co_await change(a, std::move(fn));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<VisitView>> ReceptionService::endCall(const Actor& a) {
  if (!a.citizen && !a.isAdmittedOperator()) {
    co_return makeError(Errc::kForbidden, "solo le parti della conversazione");
  }
  const char* by = a.citizen ? "citizen" : "operator";
  auto fn = [by](Tx& tx, Visit& v) -> Status {
    if (v.call == CallState::kNone) return okStatus();
    v.call = CallState::kNone;
    SP_TRY(store::update(tx.conn(), v));
    SP_TRY(announce(tx, v, "call.ended", {{"by", by}}));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<IceConfig>> ReceptionService::iceServers(const Actor& a) {
  if ((!a.citizen && !a.isAdmittedOperator()) || a.visit.state != VisitState::kAdmitted) {
    co_return makeError(Errc::kForbidden, "credenziali solo per le parti di una visita in corso");
  }
  IceConfig out;
  out.transportPolicy = turn_.policy;
  out.ttlSeconds = turn_.ttlSeconds;
  if (!turn_.urls.empty()) {
    IceServer entry{turn_.urls, {}, {}};
    if (!turn_.secret.empty()) {
      // coturn checks the expiry against the real time, not the injected clock of a demo.
      int64_t realNow = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
      int64_t expires = realNow + turn_.ttlSeconds;
      auto cred = turnCredential(turn_.secret, a.visit.id, expires);
      entry.username = cred.username;
      entry.credential = cred.credential;
    }
    out.servers.push_back(std::move(entry));
  }
  co_return out;
}

asio::awaitable<Result<VisitView>> ReceptionService::end(const Actor& a,
                                                         std::optional<Outcome> outcome,
                                                         std::optional<FollowUp> followUp) {
  if (!a.citizen && !outcome) {
    co_return makeError(Errc::kInvalid, "indica l'esito della visita", "outcome");
  }
  if (a.citizen && outcome) {
    co_return makeError(Errc::kInvalid, "l'esito lo registra l'operatore", "outcome");
  }
  if (followUp && outcome != Outcome::kNeedsCallback) {
    co_return makeError(Errc::kInvalid, "callback: solo con l'esito \"da richiamare\"",
                        "callback");
  }
  bool citizen = a.citizen;
  std::string opId = a.staff.op.id;
  staff::Operator opRef = a.staff.op;
  int64_t now = clock_.nowMs();
  EndHook endHook = endHook_;
  auto fn = [citizen, opId, opRef, outcome, now, followUp, endHook](Tx& tx, Visit& v) -> Status {
    if (!citizen && v.state == VisitState::kEnded) {
      // The citizen hung up first: the operator still records how it went.
      if (v.outcome) return makeError(Errc::kConflict, "esito già registrato");
      if (v.operatorId && *v.operatorId != opId) {
        return makeError(Errc::kForbidden, "registra l'esito l'operatore della visita");
      }
      v.outcome = name(*outcome);
      SP_TRY(store::update(tx.conn(), v));
      if (outcome == Outcome::kNeedsCallback && endHook) {
        SP_TRY(endHook(tx, v, opRef, followUp));
      }
      SP_TRY(tx.emit(staffTopic(v.officeId), "visit.updated", toJson(v)));
      return okStatus();
    }
    SP_TRY(allowed(Action::kEnd, v.state));
    if (!citizen && v.operatorId != opId) {
      return makeError(Errc::kForbidden, "chiude la visita l'operatore che l'ha accolta");
    }
    v.state = VisitState::kEnded;
    v.endedAt = now;
    v.endedBy = citizen ? "citizen" : "operator";
    v.call = CallState::kNone;
    if (outcome) v.outcome = name(*outcome);
    SP_TRY(store::update(tx.conn(), v));
    Json data = {{"by", v.endedBy}, {"outcome", optJson(v.outcome)}};
    if (outcome == Outcome::kNeedsCallback && endHook) {
      SP_ASSIGN(auto extra, endHook(tx, v, opRef, followUp));
      for (auto& [k, val] : extra.items()) data[k] = val;
    }
    SP_TRY(announce(tx, v, "visit.ended", std::move(data)));
    // A conversation fewer for its operator: someone waiting may be given to them.
    SP_TRY(assignWaiting(tx, v.officeId));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Status> ReceptionService::rate(const Actor& a, Score score,
                                               std::vector<std::string> reasons,
                                               std::string comment) {
  if (!a.citizen) co_return makeError(Errc::kForbidden, "il giudizio lo esprime il cittadino");
  SP_CO_TRY(validateRating(score, reasons, comment));
  auto fn = [this, score, reasons, comment](Tx& tx, Visit& v) -> Status {
    SP_TRY(allowed(Action::kRate, v.state));
    if (v.rating) return makeError(Errc::kConflict, "hai già espresso il tuo giudizio");
    v.rating = name(score);
    v.ratingReasons = reasons;
    v.ratingComment = comment;
    SP_TRY(store::update(tx.conn(), v));
    if (ratingHook_) SP_TRY(ratingHook_(tx, v));
    SP_TRY(announce(tx, v, "visit.rated", Json::object()));
    return okStatus();
  };
  auto r = co_await change(a, std::move(fn));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

// ---------------------------------------------------------------------------------------------
// Staff

namespace {

// The settings that apply to an office: its own, else the ente's.
Result<ContactSettings> effectiveSettings(sql::Connection& c, const std::string& enteId,
                                          const std::string& officeId) {
  return store::effectiveSettings(c, enteId, officeId);
}

// The cap on concurrent conversations of `op` for a visit of `officeId`: kConflict "cap" when
// they already have as many as allowed. The operator's load row is locked first, so another
// node admitting for them waits and then counts this admission too.
Status underCap(sql::Connection& c, const std::string& enteId, const std::string& officeId,
                const staff::Operator& op) {
  SP_ASSIGN(auto s, effectiveSettings(c, enteId, officeId));
  if (!s.maxChats) return okStatus();
  SP_TRY(store::lockOperatorLoad(c, op.id));
  SP_ASSIGN(int64_t open, store::activeVisitsOf(c, op.id));
  if (open < *s.maxChats) return okStatus();
  Error e(Errc::kConflict, "hai già " + std::to_string(open) +
                               " conversazioni aperte, il massimo per operatore: chiudine una "
                               "prima di accoglierne un'altra");
  e.reason = "cap";
  return e;
}

// Admits the visit `id` for `op` inside `tx`; conflict when someone else was faster.
Status admitIn(Tx& tx, const std::string& id, const staff::Operator& op) {
  SP_ASSIGN(auto v, store::visit(tx.conn(), id));
  SP_TRY(allowed(Action::kAdmit, v.state));
  if (v.awaySince) {
    return makeError(Errc::kConflict,
                     "Questa persona ha chiuso la pagina o ha perso il collegamento: tiene il "
                     "posto per qualche minuto se torna, ma ora non c'è. Apri al prossimo.");
  }
  if (v.reservedFor && *v.reservedFor != op.id) {
    return makeError(Errc::kForbidden, "Questo appuntamento è assegnato a " +
                                           v.reservedForName.value_or("un altro operatore") +
                                           ": può accoglierlo solo chi lo ha in carico.");
  }
  if (v.mode == Mode::kVideo) {
    SP_ASSIGN(auto other, store::activeCallOf(tx.conn(), op.id, v.id));
    if (other) {
      return makeError(Errc::kConflict,
                       "hai già una videochiamata in corso: chiudila prima di aprire a un'altra");
    }
  }
  SP_TRY(underCap(tx.conn(), v.enteId, v.officeId, op));
  SP_ASSIGN(bool won, store::admit(tx.conn(), v.id, op.id, tx.nowMs()));
  if (!won) {
    Error e(Errc::kConflict, "la visita è già stata accolta da un altro operatore");
    e.reason = "taken";
    return e;
  }
  SP_ASSIGN(v, store::visit(tx.conn(), id));
  // The admitted citizen's "your turn" first, then the broadcast to everyone still waiting.
  SP_TRY(announce(tx, v, "visit.admitted",
                  {{"operator", {{"display_name", op.displayName}}}}));
  SP_TRY(emitQueue(tx, v.officeId, "queue.left", {{"k", v.knockNo}, {"why", "admitted"}}));
  return okStatus();
}
}  // namespace

namespace {
Status ticketMoved(Tx& tx, const std::string& serviceId, int64_t issuedAt, bool aheadOfAll,
                   const char* type, const char* why) {
  SP_ASSIGN(auto of, directory::lookup::serviceOffice(tx.conn(), serviceId));
  if (!of) return okStatus();  // a service of no office: no waiting room to move
  std::string office = *of;
  SP_ASSIGN(auto k, store::lineMark(tx.conn(), office, issuedAt, aheadOfAll));
  if (!k) return okStatus();
  Json data = {{"k", *k}, {"ticket", true}};
  if (why) data["why"] = why;
  return emitQueue(tx, office, type, std::move(data));
}
}  // namespace

Status ticketJoinedLine(Tx& tx, const std::string& serviceId, int64_t issuedAt, bool aheadOfAll) {
  // A ticket issued now, in arrival order, is behind every knock made so far: nobody moves.
  if (!aheadOfAll && issuedAt >= tx.nowMs()) return okStatus();
  return ticketMoved(tx, serviceId, issuedAt, aheadOfAll, "queue.joined", nullptr);
}

Status ticketLeftLine(Tx& tx, const std::string& serviceId, int64_t issuedAt, bool aheadOfAll,
                      const char* why) {
  return ticketMoved(tx, serviceId, issuedAt, aheadOfAll, "queue.left", why);
}

Result<int64_t> knocksAhead(sql::Connection& c, const std::string& serviceId, int64_t issuedAt) {
  SP_ASSIGN(auto office, directory::lookup::serviceOffice(c, serviceId));
  if (!office) return int64_t{0};
  return store::knocksAhead(c, *office, issuedAt);
}

Status admitVisit(Tx& tx, const std::string& id, const staff::Operator& op) {
  return admitIn(tx, id, op);
}

namespace {
// A refusal that leaves the transaction usable and means "not this operator / not now".
bool passOver(const Error& e) {
  return !e.transactionConflict && e.code != Errc::kInternal && e.code != Errc::kUnavailable;
}
}  // namespace

Result<int64_t> assignWaiting(Tx& tx, const std::string& officeId) {
  auto& c = tx.conn();
  SP_ASSIGN(auto enteId, directory::lookup::officeEnte(c, officeId));
  SP_ASSIGN(auto s, effectiveSettings(c, enteId, officeId));
  if (!s.autoAssign.value_or(false)) return int64_t{0};
  SP_ASSIGN(auto waiting, store::assignable(c, officeId, 20));
  if (waiting.empty()) return int64_t{0};
  SP_ASSIGN(auto everyone, staff::lookup::operatorsOf(c, enteId));
  std::vector<staff::Operator> ops;
  for (auto& o : everyone) {
    bool member = std::any_of(o.offices.begin(), o.offices.end(),
                              [&](const staff::OfficeRef& r) { return r.id == officeId; });
    if (o.active && o.presence == "available" && member) ops.push_back(std::move(o));
  }
  if (ops.empty()) return int64_t{0};
  std::vector<std::string> ids;
  for (const auto& o : ops) ids.push_back(o.id);
  SP_ASSIGN(auto last, store::lastAssigned(c, ids));
  int64_t given = 0;
  for (const auto& vid : waiting) {
    // Round robin: the operator given a contact longest ago first (never: first of all).
    std::stable_sort(ops.begin(), ops.end(), [&](const auto& a, const auto& b) {
      return std::tie(last[a.id], a.id) < std::tie(last[b.id], b.id);
    });
    for (const auto& o : ops) {
      auto r = admitIn(tx, vid, o);
      if (r.ok()) {
        SP_ASSIGN(last[o.id], store::markAssigned(c, o.id));
        ++given;
        break;
      }
      if (!passOver(r.error())) return r.error();
      if (r.error().reason == "taken") break;  // another node admitted it first
      // This operator cannot take it now (their cap, a call in progress): the next one.
    }
    // Nobody could take it: it keeps its place; the next visit may still fit someone.
  }
  return given;
}

asio::awaitable<Result<VisitView>> ReceptionService::admit(const Actor& a) {
  if (a.citizen) co_return makeError(Errc::kForbidden, "apre la porta un operatore");
  auto fn = [op = a.staff.op](Tx& tx, Visit& v) { return admitIn(tx, v.id, op); };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<VisitView>> ReceptionService::admitNext(staff::StaffContext ctx,
                                                               std::string office) {
  std::string slug = ctx.enteSlug;
  auto job = [slug, office, ctx](Tx& tx) -> Result<std::string> {
    SP_ASSIGN(auto p, findOffice(tx.conn(), slug, office));
    if (!staff::lookup::serves(ctx, p.ente.id, p.office.id)) {
      return makeError(Errc::kForbidden, "non appartieni a questo ufficio");
    }
    SP_ASSIGN(auto next, store::oldestWaiting(tx.conn(), p.office.id, ctx.op.id));
    if (!next) return makeError(Errc::kNotFound, "nessuno in attesa");
    SP_TRY(admitIn(tx, *next, ctx.op));
    return *next;
  };
  auto id = co_await db_.write<std::string>(std::move(job));
  if (!id.ok()) co_return id.error();
  Actor a;
  a.staff = std::move(ctx);
  a.visit.id = std::move(id.value());
  co_return co_await view(a);
}

asio::awaitable<Result<VisitView>> ReceptionService::reject(const Actor& a, std::string reason) {
  if (a.citizen) co_return makeError(Errc::kForbidden, "rifiuta un operatore");
  auto len = utf8Length(reason);
  if (!len || *len == 0 || *len > 300 || !cleanText(reason, false)) {
    co_return makeError(Errc::kInvalid, "motivo: da 1 a 300 caratteri", "reason");
  }
  int64_t now = clock_.nowMs();
  auto fn = [reason, now](Tx& tx, Visit& v) -> Status {
    SP_TRY(allowed(Action::kReject, v.state));
    v.state = VisitState::kRejected;
    v.rejectReason = reason;
    v.endedAt = now;
    v.endedBy = "operator";
    SP_TRY(store::update(tx.conn(), v));
    SP_TRY(emitQueue(tx, v.officeId, "queue.left", {{"k", v.knockNo}, {"why", "rejected"}}));
    SP_TRY(announce(tx, v, "visit.rejected", {{"reason", reason}}));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<VisitView>> ReceptionService::transfer(const Actor& a, std::string office) {
  if (a.citizen) co_return makeError(Errc::kForbidden, "trasferisce un operatore");
  std::string slug = a.staff.enteSlug;
  int64_t now = clock_.nowMs();
  auto fn = [slug, office, now](Tx& tx, Visit& v) -> Status {
    SP_TRY(allowed(Action::kTransfer, v.state));
    auto target = findOffice(tx.conn(), slug, office);
    if (!target.ok() || target->ente.id != v.enteId) {
      return makeError(Errc::kInvalid, "ufficio di destinazione non trovato", "office");
    }
    if (target->office.id == v.officeId) {
      return makeError(Errc::kInvalid, "la visita è già in questo ufficio", "office");
    }
    std::string from = v.officeId;
    if (v.state == VisitState::kWaiting) {
      SP_TRY(emitQueue(tx, from, "queue.left", {{"k", v.knockNo}, {"why", "transferred"}}));
    }
    // Back in line at the new office, in its original place by knock time.
    v.officeId = target->office.id;
    v.officeSlug = target->office.slug;
    v.officeName = target->office.name;
    v.state = VisitState::kWaiting;
    v.reservedFor.reset();  // the assigned operator belongs to the office it leaves
    v.operatorId.reset();
    v.operatorName.reset();
    v.admittedAt.reset();
    v.call = CallState::kNone;
    SP_TRY(store::update(tx.conn(), v));
    SP_ASSIGN(auto m, store::appendMessage(tx.conn(), v, "system",
                                           "Trasferito all'ufficio " + v.officeName, "", now));
    SP_TRY(tx.emit(visitTopic(v.id), "message", toJson(m)));
    SP_TRY(emitQueue(tx, v.officeId, "queue.joined", {{"k", v.knockNo}}));
    SP_TRY(tx.emit(visitTopic(v.id), "visit.transferred", {{"office", toJson(officeOf(v))}}));
    SP_TRY(tx.emit(staffTopic(from), "visit.updated", toJson(v)));
    SP_TRY(tx.emit(staffTopic(v.officeId), "visit.knocked", toJson(v)));
    // The old office's staff told (above), their live rights on the visit end here: its chat
    // and signalling now belong to the new office.
    SP_TRY(revokeTopic(tx, visitTopic(v.id)));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<Console>> ReceptionService::console(staff::StaffContext ctx) {
  auto job = [ctx](sql::Connection& c) -> Result<Console> {
    SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ctx.op.enteId));
    Console out;
    for (const auto& o : offices) {
      // An operator sees their offices; supervisors and admins without offices see all.
      bool mine = ctx.inOffice(o.id) ||
                  (ctx.op.offices.empty() && ctx.op.role != staff::Role::kOperator);
      if (!mine) continue;
      ConsoleOffice row{o.id, o.slug, o.name, o.channels, {}, {}, {}, staffTopic(o.id)};
      SP_ASSIGN(row.waiting, store::visitsOf(c, o.id, VisitState::kWaiting, 500));
      SP_ASSIGN(row.active, store::visitsOf(c, o.id, VisitState::kAdmitted, 500));
      SP_ASSIGN(row.figures, store::figures(c, o.id));
      out.offices.push_back(std::move(row));
    }
    return out;
  };
  co_return co_await db_.read<Console>(std::move(job));
}

asio::awaitable<Result<std::vector<Visit>>> ReceptionService::officeVisits(staff::StaffContext ctx,
                                                                           std::string office,
                                                                           VisitState state,
                                                                           int64_t limit) {
  auto job = [ctx, office, state, limit](sql::Connection& c) -> Result<std::vector<Visit>> {
    SP_ASSIGN(auto p, findOffice(c, ctx.enteSlug, office));
    if (!staff::lookup::serves(ctx, p.ente.id, p.office.id)) {
      return makeError(Errc::kForbidden, "non appartieni a questo ufficio");
    }
    return store::visitsOf(c, p.office.id, state, limit);
  };
  co_return co_await db_.read<std::vector<Visit>>(std::move(job));
}

asio::awaitable<Result<std::vector<CallbackRequest>>> ReceptionService::listCallbacks(
    staff::StaffContext ctx, std::string office, std::string state) {
  auto job = [ctx, office, state](sql::Connection& c) -> Result<std::vector<CallbackRequest>> {
    SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ctx.op.enteId));
    std::vector<std::string> ids;
    for (const auto& o : offices) {
      if (!office.empty() && o.id != office && o.slug != office) continue;
      if (staff::lookup::serves(ctx, o.enteId, o.id)) ids.push_back(o.id);
    }
    if (!office.empty() && ids.empty()) {
      return makeError(Errc::kForbidden, "ufficio non trovato o non tuo");
    }
    return store::callbacks(c, ctx.op.enteId, ids, state);
  };
  co_return co_await db_.read<std::vector<CallbackRequest>>(std::move(job));
}

asio::awaitable<Result<CallbackRequest>> ReceptionService::callbackDone(staff::StaffContext ctx,
                                                                        std::string id,
                                                                        std::string note) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, id, note, now](Tx& tx) -> Result<CallbackRequest> {
    SP_ASSIGN(auto r, store::callback(tx.conn(), ctx.op.enteId, id));
    if (!staff::lookup::serves(ctx, r.enteId, r.officeId)) {
      return makeError(Errc::kForbidden, "il messaggio è di un ufficio a cui non appartieni");
    }
    SP_TRY(store::markCallbackDone(tx.conn(), id, ctx.op.id, note, now));
    SP_ASSIGN(r, store::callback(tx.conn(), ctx.op.enteId, id));
    SP_TRY(tx.emit(staffTopic(r.officeId), "callback.updated", toJson(r)));
    return r;
  };
  co_return co_await db_.write<CallbackRequest>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Kiosks

asio::awaitable<Result<std::vector<Kiosk>>> ReceptionService::listKiosks(std::string enteId) {
  auto job = [enteId](sql::Connection& c) { return store::kiosks(c, enteId); };
  co_return co_await db_.read<std::vector<Kiosk>>(std::move(job));
}

asio::awaitable<Result<KioskSecret>> ReceptionService::createKiosk(
    std::string enteId, std::string name, std::string office, std::optional<std::string> site) {
  std::string token = newSecret();
  std::string hash = sha256Hex(token);
  int64_t now = clock_.nowMs();
  auto job = [enteId, name, office, site, hash, token, now](Tx& tx) -> Result<KioskSecret> {
    SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), enteId));
    auto p = findOffice(tx.conn(), ente.slug, office);
    if (!p.ok()) return makeError(Errc::kInvalid, "ufficio non trovato", "office");
    if (site) {
      auto s = directory::lookup::site(tx.conn(), enteId, *site);
      if (!s.ok()) return makeError(Errc::kInvalid, "sede non trovata", "site");
    }
    Kiosk k;
    k.id = newId();
    k.enteId = enteId;
    k.officeId = p->office.id;
    k.name = name;
    k.siteId = site;
    SP_TRY(store::insertKiosk(tx.conn(), k, hash, now));
    SP_ASSIGN(k, store::kiosk(tx.conn(), enteId, k.id));
    return KioskSecret{std::move(k), token};
  };
  co_return co_await db_.write<KioskSecret>(std::move(job));
}

asio::awaitable<Result<KioskSecret>> ReceptionService::newKioskToken(std::string enteId,
                                                                     std::string id) {
  std::string token = newSecret();
  std::string hash = sha256Hex(token);
  auto job = [enteId, id, hash, token](Tx& tx) -> Result<KioskSecret> {
    SP_ASSIGN(auto k, store::kiosk(tx.conn(), enteId, id));
    SP_TRY(store::setKioskToken(tx.conn(), id, hash));
    k.active = true;
    return KioskSecret{std::move(k), token};
  };
  co_return co_await db_.write<KioskSecret>(std::move(job));
}

asio::awaitable<Status> ReceptionService::deactivateKiosk(std::string enteId, std::string id) {
  auto job = [enteId, id](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto k, store::kiosk(tx.conn(), enteId, id));
    SP_TRY(store::deactivateKiosk(tx.conn(), k.id));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<Kiosk>> ReceptionService::kiosk(const Caller& caller) {
  if (caller.device.empty()) {
    co_return makeError(Errc::kUnauthorized, "totem non autorizzato: token mancante");
  }
  std::string hash = sha256Hex(caller.device);
  int64_t now = clock_.nowMs();
  auto job = [hash, now](Tx& tx) -> Result<Kiosk> {
    auto k = store::kioskByToken(tx.conn(), hash);
    if (!k.ok()) return makeError(Errc::kUnauthorized, "totem non autorizzato");
    SP_TRY(store::touchKiosk(tx.conn(), k->id, now));
    return k;
  };
  co_return co_await db_.write<Kiosk>(std::move(job));
}

asio::awaitable<Result<KioskHome>> ReceptionService::kioskHome(Kiosk k) {
  auto job = [enteId = k.enteId](sql::Connection& c) {
    return directory::lookup::enteById(c, enteId);
  };
  auto ente = co_await db_.read<directory::Ente>(std::move(job));
  if (!ente.ok()) co_return ente.error();
  auto status = co_await receptionStatus(ente->slug, k.officeId);
  if (!status.ok()) co_return status.error();
  co_return KioskHome{std::move(k),
                      ente->slug,
                      ente->name,
                      ente->primaryColor,
                      std::move(ente->logoUrl),
                      std::move(status.value())};
}

// ---------------------------------------------------------------------------------------------
// Real time

// office:{id}:queue is public (knock numbers only); office:{id}:staff is the office's staff.
asio::awaitable<Result<std::string>> ReceptionService::authorizeOffice(const WsAuth& auth,
                                                                       std::string officeId,
                                                                       bool staffSide) {
  auto job = [officeId](sql::Connection& c) -> Result<std::string> {
    return directory::lookup::officeEnte(c, officeId);
  };
  auto enteId = co_await db_.read<std::string>(std::move(job));
  if (!enteId.ok()) co_return makeError(Errc::kNotFound, "ufficio non trovato");
  if (!staffSide) co_return std::string();
  auto ctx = co_await staff_.session(auth.sessionToken);
  if (!ctx.ok()) co_return ctx.error();
  if (!staff::lookup::serves(*ctx, *enteId, officeId)) {
    co_return makeError(Errc::kForbidden, "non appartieni a questo ufficio");
  }
  co_return "staff:" + ctx->op.id;
}

// visit:{id}: the citizen with the visit's token, or the staff of its office.
asio::awaitable<Result<std::string>> ReceptionService::authorizeVisit(const WsAuth& auth,
                                                                      std::string id,
                                                                      std::string token) {
  auto job = [id](sql::Connection& c) { return store::visit(c, id); };
  auto v = co_await db_.read<Visit>(std::move(job));
  if (!token.empty()) {
    if (!v.ok() || !secretEquals(sha256Hex(token), v->tokenHash)) {
      co_return makeError(Errc::kNotFound, "visita non trovata");
    }
    co_return "citizen:" + id;
  }
  auto ctx = co_await staff_.session(auth.sessionToken);
  if (!ctx.ok()) co_return ctx.error();
  if (!v.ok()) co_return makeError(Errc::kNotFound, "visita non trovata");
  if (!staff::lookup::serves(*ctx, v->enteId, v->officeId)) {
    co_return makeError(Errc::kForbidden, "la visita è di un altro ufficio");
  }
  co_return "staff:" + ctx->op.id;
}

namespace {
Status validSignal(const Json& d) {
  auto bad = [](std::string m) { return makeError(Errc::kInvalid, std::move(m), "data"); };
  if (!d.contains("kind") || !d["kind"].is_string()) return bad("data.kind mancante");
  std::string kind = d["kind"];
  for (auto it = d.begin(); it != d.end(); ++it) {
    if (it.key() != "kind" && it.key() != "sdp" && it.key() != "candidate" &&
        !(kind == "typing" && it.key() == "active")) {
      return bad("campo sconosciuto: data." + it.key());
    }
  }
  if (kind == "offer" || kind == "answer") {
    if (!d.contains("sdp") || !d["sdp"].is_string() || d.contains("candidate")) {
      return bad("data.sdp mancante");
    }
    if (d["sdp"].get_ref<const std::string&>().size() > kMaxSdpBytes) {
      return bad("SDP troppo grande (massimo 16 KiB)");
    }
    return okStatus();
  }
  if (kind == "ice") {
    if (!d.contains("candidate") || !(d["candidate"].is_object() || d["candidate"].is_null()) ||
        d.contains("sdp")) {
      return bad("data.candidate mancante");
    }
    if (d["candidate"].dump().size() > kMaxCandidateBytes) return bad("candidato troppo grande");
    return okStatus();
  }
  if (kind == "bye") {
    if (d.size() != 1) return bad("bye non ha altri campi");
    return okStatus();
  }
  if (kind == "typing") {
    // Someone is writing (active true) or stopped (false) in the visit's chat: relayed, never
    // stored, and lost without harm.
    if (!d.contains("active") || !d["active"].is_boolean()) return bad("data.active mancante");
    return okStatus();
  }
  return bad("data.kind: offer, answer, ice, bye o typing");
}
}  // namespace

asio::awaitable<Result<SignalRoute>> ReceptionService::routeSignal(std::string id,
                                                                   std::string identity,
                                                                   Json data) {
  SP_CO_TRY(validSignal(data));
  auto job = [id](sql::Connection& c) { return store::visit(c, id); };
  auto v = co_await db_.read<Visit>(std::move(job));
  if (!v.ok()) co_return makeError(Errc::kNotFound, "visita non trovata");
  if (v->state != VisitState::kAdmitted || !v->operatorId) {
    co_return makeError(Errc::kConflict, "la visita non è in corso");
  }
  std::string citizen = "citizen:" + id;
  std::string operatorIdentity = "staff:" + *v->operatorId;
  bool confirm = data.value("kind", std::string()) != "typing";
  if (identity == citizen) co_return SignalRoute{operatorIdentity, "citizen", confirm};
  if (identity == operatorIdentity) co_return SignalRoute{citizen, "operator", confirm};
  co_return makeError(Errc::kForbidden, "non sei parte di questa visita");
}

// ---------------------------------------------------------------------------------------------
// Liveness

namespace {
// Serialises the sweep and the reconnection on one visit across nodes (SQLite's write
// transaction already holds the database).
Status lockVisit(sql::Connection& c, const std::string& id) {
  if (c.dialect() != sql::Dialect::kPostgres) return okStatus();
  SP_TRY(c.query("SELECT id FROM visits WHERE id = ? FOR UPDATE", {id}));
  return okStatus();
}
}  // namespace

namespace {
// The citizen answered "ci sei ancora?": the question is closed and, if not answering had set
// the entry aside, it is back at its place (admission clears an open question by itself).
Status markHere(Tx& tx, const std::string& id) {
  SP_ASSIGN(auto v, store::visit(tx.conn(), id));
  if (v.state != VisitState::kWaiting && v.state != VisitState::kAdmitted) return okStatus();
  bool wasAsked = v.askedAt.has_value();
  bool back = v.awaySince.has_value() && wasAsked;
  SP_TRY(store::markHere(tx.conn(), id, tx.nowMs(), back));
  if (!wasAsked) return okStatus();
  SP_ASSIGN(v, store::visit(tx.conn(), id));
  if (back && v.state == VisitState::kWaiting) {
    SP_TRY(emitQueue(tx, v.officeId, "queue.joined", {{"k", v.knockNo}, {"why", "back"}}));
  }
  SP_TRY(tx.emit(visitTopic(v.id), "visit.here", {{"at", formatIsoMs(tx.nowMs())}}));
  return tx.emit(staffTopic(v.officeId), "visit.updated", toJson(v));
}
}  // namespace

asio::awaitable<Result<VisitView>> ReceptionService::here(const Actor& a) {
  if (!a.citizen) co_return makeError(Errc::kForbidden, "risponde solo il cittadino");
  auto fn = [](Tx& tx, Visit& v) -> Status {
    if (v.state != VisitState::kWaiting && v.state != VisitState::kAdmitted) {
      Error e(Errc::kConflict, "Questa visita è già terminata.");
      e.reason = "ended";
      return e;
    }
    SP_TRY(store::touch(tx.conn(), v.id, tx.nowMs()));
    SP_TRY(markHere(tx, v.id));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Status> ReceptionService::seenLive(std::vector<std::string> visitIds) {
  if (visitIds.empty()) co_return okStatus();
  auto job = [ids = std::move(visitIds)](Tx& tx) -> Result<bool> {
    for (const auto& id : ids) {
      SP_ASSIGN(bool away, store::touch(tx.conn(), id, tx.nowMs()));  // locks the row
      if (!away) continue;
      auto v = store::visit(tx.conn(), id);
      if (!v.ok()) continue;  // erased meanwhile
      if (!v->awaySince ||
          (v->state != VisitState::kWaiting && v->state != VisitState::kAdmitted)) {
        continue;
      }
      // Asked "ci sei ancora?" and not answered: a live page is not a person; only the answer
      // (markHere) brings it back.
      if (v->askedAt) continue;
      v->awaySince.reset();
      SP_TRY(store::update(tx.conn(), *v));
      if (v->state == VisitState::kWaiting) {
        SP_TRY(emitQueue(tx, v->officeId, "queue.joined", {{"k", v->knockNo}, {"why", "back"}}));
      }
      SP_TRY(tx.emit(staffTopic(v->officeId), "visit.updated", toJson(*v)));
    }
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<int64_t>> ReceptionService::sweepGone(LivenessRules citizen,
                                                             LivenessRules op) {
  auto job = [citizen, op](Tx& tx) -> Result<int64_t> {
    int64_t now = tx.nowMs();
    int64_t idleBefore =
        citizen.askAfterMs > 0 ? now - citizen.askAfterMs : std::numeric_limits<int64_t>::min();
    SP_ASSIGN(auto stale, store::staleVisits(tx.conn(), now - citizen.graceMs, now - op.graceMs,
                                             idleBefore, now - citizen.answerMs, 200));
    int64_t changed = 0;
    for (const auto& candidate : stale) {
      SP_TRY(lockVisit(tx.conn(), candidate.id));
      SP_ASSIGN(auto v, store::visit(tx.conn(), candidate.id));  // as it is now
      Liveness page = livenessOf(v.seenAt, now, citizen);
      Liveness question = questionLiveness(v.askedAt, now, citizen);
      LiveFacts f{v.state, v.call, v.awaySince.has_value(), worse(page, question),
                  Liveness::kConnected};
      f.askDue = askDue(v.state, f.markedAway, f.citizen, std::max(v.hereAt, v.knockedAt),
                        v.askedAt, now, citizen);
      const char* why = question > page ? "unanswered" : "disconnected";
      if (v.state == VisitState::kAdmitted && v.operatorId) {
        SP_ASSIGN(int64_t seen, store::operatorSeenAt(tx.conn(), *v.operatorId));
        f.op = livenessOf(seen, now, op);
      }
      LiveSteps steps = livenessSteps(f);
      if (!steps.any()) continue;
      ++changed;
      bool waiting = v.state == VisitState::kWaiting;
      if (steps.markAway) {
        v.awaySince = now;
        if (waiting) {
          SP_TRY(emitQueue(tx, v.officeId, "queue.left", {{"k", v.knockNo}, {"why", why}}));
        }
        // The page is open but nobody answered: it is told it will not be called until then.
        if (question > page && !steps.leaveLine) {
          SP_TRY(tx.emit(
              visitTopic(v.id), "visit.set_aside",
              {{"reason", why},
               {"keep_place_until",
                formatIsoMs(*v.askedAt + std::max(citizen.keepPlaceMs, citizen.answerMs))}}));
        }
      }
      if (steps.ask) {
        v.askedAt = now;
        SP_TRY(tx.emit(visitTopic(v.id), "visit.still_there",
                       {{"asked_at", formatIsoMs(now)},
                        {"answer_by", formatIsoMs(now + citizen.answerMs)},
                        {"keep_place_until",
                         formatIsoMs(now + std::max(citizen.keepPlaceMs, citizen.answerMs))}}));
      }
      if (steps.endCall) {
        v.call = CallState::kNone;
        SP_TRY(tx.emit(visitTopic(v.id), "call.ended",
                       {{"by", "system"}, {"reason", "disconnected"}}));
      }
      if (steps.leaveLine) {
        v.state = VisitState::kLeft;
        v.endedAt = now;
        v.endedBy = "system";
        SP_TRY(store::update(tx.conn(), v));
        SP_TRY(announce(tx, v, "visit.left", {{"reason", why}}));
        continue;
      }
      if (steps.endConversation) {
        v.state = VisitState::kEnded;
        v.endedAt = now;
        v.endedBy = "system";
        if (!v.outcome) v.outcome = name(Outcome::kAbandoned);
        SP_TRY(store::update(tx.conn(), v));
        SP_ASSIGN(auto m, store::appendMessage(
                              tx.conn(), v, "system",
                              "Conversazione chiusa: il cittadino non è più collegato.", "", now));
        SP_TRY(tx.emit(visitTopic(v.id), "message", toJson(m)));
        SP_TRY(announce(
            tx, v, "visit.ended",
            {{"by", "system"}, {"outcome", optJson(v.outcome)}, {"reason", "disconnected"}}));
        continue;
      }
      if (steps.backToLine) {
        // Its first arrival (knock number) is kept: it goes back to the place it had.
        v.state = VisitState::kWaiting;
        v.operatorId.reset();
        v.operatorName.reset();
        v.admittedAt.reset();
        v.call = CallState::kNone;
        v.hereAt = now;  // they were talking a moment ago
        SP_TRY(store::update(tx.conn(), v));
        SP_ASSIGN(
            auto m,
            store::appendMessage(
                tx.conn(), v, "system",
                "L'operatore non è più collegato: sei di nuovo in fila, al tuo posto.", "", now));
        SP_TRY(tx.emit(visitTopic(v.id), "message", toJson(m)));
        if (!v.awaySince) SP_TRY(emitQueue(tx, v.officeId, "queue.joined", {{"k", v.knockNo}}));
        SP_TRY(announce(tx, v, "visit.requeued", {{"reason", "operator_disconnected"}}));
        SP_TRY(tx.emit(staffTopic(v.officeId), "visit.knocked", toJson(v)));
        continue;
      }
      SP_TRY(store::update(tx.conn(), v));
      SP_TRY(tx.emit(staffTopic(v.officeId), "visit.updated", toJson(v)));
    }
    return changed;
  };
  co_return co_await db_.write<int64_t>(std::move(job));
}

Status ReceptionService::onPresence(Tx& tx, const staff::Operator& op) {
  for (const auto& o : op.offices) {
    SP_ASSIGN(auto f, store::figures(tx.conn(), o.id));
    SP_TRY(emitQueue(tx, o.id, "queue.status",
                     {{"operators_available", f.operatorsAvailable},
                      {"avg_handle_ms", f.avgHandleMs}}));
    // Back on duty: offices that assign automatically give them who is waiting.
    if (op.presence == "available" && op.active) SP_TRY(assignWaiting(tx, o.id));
  }
  return okStatus();
}

asio::awaitable<Result<int64_t>> ReceptionService::assignAll() {
  auto job = [](Tx& tx) -> Result<int64_t> {
    SP_ASSIGN(auto offices, store::autoAssignOffices(tx.conn()));
    int64_t n = 0;
    for (const auto& o : offices) {
      SP_ASSIGN(int64_t given, assignWaiting(tx, o));
      n += given;
    }
    return n;
  };
  co_return co_await db_.write<int64_t>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// The workspace: settings, supervision, reassignment

namespace {
bool isSupervisor(const staff::StaffContext& ctx) {
  return ctx.op.role != staff::Role::kOperator;
}
}  // namespace

asio::awaitable<Result<ContactSettingsView>> ReceptionService::contactSettings(
    staff::StaffContext ctx, std::string office) {
  std::string slug = ctx.enteSlug;
  auto job = [ctx, slug, office](sql::Connection& c) -> Result<ContactSettingsView> {
    ContactSettingsView out;
    if (!office.empty()) {
      SP_ASSIGN(auto p, findOffice(c, slug, office));
      if (!staff::lookup::serves(ctx, p.ente.id, p.office.id)) {
        return makeError(Errc::kForbidden, "non appartieni a questo ufficio");
      }
      out.office = officeRef(p.office);
      SP_ASSIGN(out.own, store::settings(c, p.ente.id, p.office.id));
      SP_ASSIGN(out.effective, effectiveSettings(c, p.ente.id, p.office.id));
    } else {
      SP_ASSIGN(out.own, store::settings(c, ctx.op.enteId, ""));
      out.effective = out.own;
    }
    return out;
  };
  co_return co_await db_.read<ContactSettingsView>(std::move(job));
}

asio::awaitable<Result<ContactSettingsView>> ReceptionService::setContactSettings(
    staff::StaffContext ctx, std::string office, ContactSettings in, bool keepTargetWait) {
  if (in.maxChats && (*in.maxChats < 1 || *in.maxChats > 50)) {
    co_return makeError(Errc::kInvalid, "max_chats: da 1 a 50, o null per nessun limite",
                        "max_chats");
  }
  if (in.targetWaitMinutes && (*in.targetWaitMinutes < 1 || *in.targetWaitMinutes > 480)) {
    co_return makeError(Errc::kInvalid,
                        "target_wait_minutes: da 1 a 480 minuti, o null per nessun obiettivo",
                        "target_wait_minutes");
  }
  if (office.empty() && ctx.op.role != staff::Role::kAdmin) {
    co_return makeError(Errc::kForbidden, "le regole dell'ente le cambia un amministratore");
  }
  if (!isSupervisor(ctx)) {
    co_return makeError(Errc::kForbidden, "riservato ai responsabili");
  }
  std::string slug = ctx.enteSlug;
  int64_t now = clock_.nowMs();
  auto job = [ctx, slug, office, in, now, keepTargetWait](Tx& tx) mutable -> Result<bool> {
    auto& c = tx.conn();
    std::string officeId;
    if (!office.empty()) {
      SP_ASSIGN(auto p, findOffice(c, slug, office));
      if (!staff::lookup::serves(ctx, p.ente.id, p.office.id)) {
        return makeError(Errc::kForbidden, "non appartieni a questo ufficio");
      }
      officeId = p.office.id;
    }
    if (keepTargetWait) {
      SP_ASSIGN(auto stored, store::settings(c, ctx.op.enteId, officeId));
      in.targetWaitMinutes = stored.targetWaitMinutes;
    }
    SP_TRY(store::saveSettings(c, ctx.op.enteId, officeId, in, now));
    // Turned on (or a higher cap): whoever waits may be given to someone now.
    if (!officeId.empty()) {
      SP_TRY(assignWaiting(tx, officeId));
    } else {
      SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ctx.op.enteId));
      for (const auto& o : offices) SP_TRY(assignWaiting(tx, o.id));
    }
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await contactSettings(std::move(ctx), std::move(office));
}

asio::awaitable<Result<std::vector<VisitNote>>> ReceptionService::notes(const Actor& a) {
  if (a.citizen) co_return makeError(Errc::kForbidden, "le note interne sono solo per il personale");
  auto job = [id = a.visit.id](sql::Connection& c) { return store::notesOf(c, id); };
  co_return co_await db_.read<std::vector<VisitNote>>(std::move(job));
}

asio::awaitable<Result<VisitNote>> ReceptionService::addNote(const Actor& a, std::string body) {
  if (a.citizen) co_return makeError(Errc::kForbidden, "le note interne sono solo per il personale");
  auto len = utf8Length(body);
  if (!len || *len == 0 || *len > 2000 || !cleanText(body, true) ||
      body.find_first_not_of(" \n\r\t") == std::string::npos) {
    co_return makeError(Errc::kInvalid, "nota: da 1 a 2000 caratteri", "body");
  }
  VisitNote n;
  n.id = newId();
  n.visitId = a.visit.id;
  n.enteId = a.visit.enteId;
  n.officeId = a.visit.officeId;
  n.authorId = a.staff.op.id;
  n.authorName = a.staff.op.displayName;
  n.body = std::move(body);
  n.at = clock_.nowMs();
  auto job = [n](Tx& tx) -> Result<VisitNote> {
    // The visit as it is now: a transfer since the request was authorised moves its notes'
    // readers to the new office, and this one is written for that office.
    SP_ASSIGN(auto v, store::visit(tx.conn(), n.visitId));
    VisitNote out = n;
    out.officeId = v.officeId;
    SP_TRY(store::insertNote(tx.conn(), out));
    SP_TRY(tx.emit(staffTopic(v.officeId), "visit.note", toJson(out)));
    return out;
  };
  co_return co_await db_.write<VisitNote>(std::move(job));
}

asio::awaitable<Result<std::vector<Visit>>> ReceptionService::activeVisits(
    staff::StaffContext ctx) {
  if (!isSupervisor(ctx)) co_return makeError(Errc::kForbidden, "riservato ai responsabili");
  auto job = [ente = ctx.op.enteId](sql::Connection& c) { return store::admittedOf(c, ente, 1000); };
  co_return co_await db_.read<std::vector<Visit>>(std::move(job));
}

asio::awaitable<Result<VisitView>> ReceptionService::reassign(const Actor& a,
                                                              std::string operatorId) {
  if (a.citizen || !isSupervisor(a.staff)) {
    co_return makeError(Errc::kForbidden, "riassegna un contatto un responsabile");
  }
  staff::StaffContext ctx = a.staff;
  int64_t now = clock_.nowMs();
  auto fn = [ctx, operatorId, now](Tx& tx, Visit& v) -> Status {
    auto& c = tx.conn();
    auto found = staff::lookup::operatorById(c, v.enteId, operatorId);
    if (!found.ok()) return makeError(Errc::kInvalid, "operatore sconosciuto", "operator_id");
    staff::Operator to = std::move(found.value());
    bool member = std::any_of(to.offices.begin(), to.offices.end(),
                              [&](const staff::OfficeRef& r) { return r.id == v.officeId; });
    if (!to.active || (!member && to.role == staff::Role::kOperator)) {
      return makeError(Errc::kInvalid, "questo operatore non lavora per l'ufficio della visita",
                       "operator_id");
    }
    if (to.presence == "away" && to.id != ctx.op.id) {
      return makeError(Errc::kConflict, to.displayName + " non è in servizio");
    }
    if (v.state == VisitState::kWaiting) return admitIn(tx, v.id, to);
    if (v.state != VisitState::kAdmitted || !v.operatorId) {
      return makeError(Errc::kConflict, "la visita non è in corso né in attesa");
    }
    if (*v.operatorId == to.id) {
      return makeError(Errc::kInvalid, "la visita è già di questo operatore", "operator_id");
    }
    SP_TRY(underCap(c, v.enteId, v.officeId, to));
    std::string from = *v.operatorId;
    SP_ASSIGN(bool won, store::reassign(c, v.id, from, to.id));
    if (!won) {
      Error e(Errc::kConflict, "la visita è cambiata nel frattempo: ricarica");
      e.reason = "taken";
      return e;
    }
    bool hadCall = v.call != CallState::kNone;
    SP_ASSIGN(v, store::visit(c, v.id));
    std::string who = ctx.op.id == to.id ? "" : " da " + ctx.op.displayName;
    // A client id of its own: (visit, sender, client_id) is unique, and a visit may change
    // hands more than once.
    SP_ASSIGN(auto m, store::appendMessage(c, v, "system",
                                           "Conversazione affidata a " + to.displayName + who,
                                           "assign-" + newId(), now));
    SP_TRY(tx.emit(visitTopic(v.id), "message", toJson(m)));
    if (hadCall) SP_TRY(tx.emit(visitTopic(v.id), "call.ended", {{"by", "operator"}}));
    SP_TRY(announce(tx, v, "visit.reassigned",
                    {{"from", from},
                     {"operator", {{"id", to.id}, {"display_name", to.displayName}}},
                     {"by", ctx.op.id}}));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<int64_t>> ReceptionService::purge(int days) {
  int64_t before = clock_.nowMs() - int64_t{days} * 24 * 3600 * 1000;
  auto job = [before](Tx& tx) { return store::purgePersonalData(tx.conn(), before); };
  co_return co_await db_.write<int64_t>(std::move(job));
}

}  // namespace sportello::reception
