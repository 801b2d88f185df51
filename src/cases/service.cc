#include "cases/service.h"

#include <algorithm>

#include "cases/lookup.h"
#include "cases/store.h"
#include "core/token.h"
#include "directory/lookup.h"
#include "platform/mail.h"
#include "platform/ratelimit.h"
#include "reception/lookup.h"
#include "staff/lookup.h"

namespace sportello::cases {

std::string officeCasesTopic(const std::string& officeId) {
  return Topic::make(kOfficeCasesTopic, {{"id", officeId}});
}

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

bool canAccess(const staff::StaffContext& ctx, const StoredCase& k, bool touched) {
  if (ctx.op.enteId != k.enteId) return false;
  return staff::lookup::serves(ctx, k.enteId, k.officeId) || touched;
}

std::vector<std::string> officeIdsOf(const staff::StaffContext& ctx) {
  std::vector<std::string> ids;
  for (const auto& o : ctx.op.offices) ids.push_back(o.id);
  return ids;
}

// An office of the ente by id or slug; kInvalid naming `field` when unknown.
Result<directory::Office> findOffice(sql::Connection& c, const std::string& enteId,
                                     const std::string& ref, const char* field) {
  SP_ASSIGN(auto all, directory::lookup::listOffices(c, enteId));
  for (auto& o : all) {
    if (o.id == ref || o.slug == ref) return std::move(o);
  }
  return makeError(Errc::kInvalid, std::string(field) + ": ufficio sconosciuto", field);
}

// A new case secret: what the citizen is shown (grouped, see model/case.h) and its stored hash.
struct CaseSecret {
  std::string shown, hash;
};
CaseSecret newCaseSecret() {
  std::string chars = readableCode(kSecretChars);
  return {formatCaseSecret(chars).value(), sha256Hex(chars)};
}

// An office of the ente by id or slug for the canned answers: 404 when unknown, 403 when an
// operator does not belong to it (offices are public: saying it exists discloses nothing).
Result<directory::Office> cannedOffice(sql::Connection& c, const staff::StaffContext& ctx,
                                       const std::string& ref) {
  auto o = findOffice(c, ctx.op.enteId, ref, "office");
  if (!o.ok()) return makeError(Errc::kNotFound, "ufficio non trovato", "office");
  if (!staff::lookup::serves(ctx, ctx.op.enteId, o->id)) {
    return makeError(Errc::kForbidden, "non appartieni a questo ufficio", "office");
  }
  return o;
}

// A new unique tracking code (retries on the rare collision).
Result<std::string> newCode(sql::Connection& c) {
  for (int i = 0; i < 8; ++i) {
    SP_ASSIGN(auto code, formatTrackingCode(readableCode(8)));
    SP_ASSIGN(bool taken, store::codeTaken(c, code));
    if (!taken) return code;
  }
  return makeError(Errc::kUnavailable, "impossibile generare un codice di pratica");
}

TimelineEntry makeEntry(const StoredCase& k, std::string kind, bool visible,
                        std::optional<std::string> operatorId, std::string body, Json data,
                        int64_t at) {
  TimelineEntry e;
  e.id = newId();
  e.caseId = k.id;
  e.kind = std::move(kind);
  e.visible = visible;
  e.operatorId = std::move(operatorId);
  e.officeId = k.officeId;
  e.body = std::move(body);
  e.data = data.dump();
  e.at = at;
  return e;
}

Status announce(Tx& tx, const StoredCase& k, const std::string& type, int64_t now) {
  return tx.emit(officeCasesTopic(k.officeId), type, toJson(k, now));
}

std::string trackingLink(const std::string& origin, const std::string& slug,
                         const std::string& code) {
  return origin + "/" + slug + "/pratica/" + code;
}

// Queues a mail to the citizen, if they gave an address (inside the transaction: nothing is
// sent unless it commits).
Status mailCitizen(Tx& tx, const StoredCase& k, const std::string& subject, const std::string& text,
                   const std::string& dedupKey) {
  if (k.citizenEmail.empty()) return okStatus();
  mail::Mail m;
  m.enteId = k.enteId;
  m.to = k.citizenEmail;
  m.subject = subject;
  m.text = text;
  m.dedupKey = dedupKey;
  SP_TRY(mail::enqueue(tx, m));
  return okStatus();
}

// Never the name the citizen typed: the first line of a mail is what a reader (and a spam
// filter) trusts, and an anonymous form must not let anyone write it to any address.
std::string greeting(const StoredCase&) {
  return "Gentile cittadina, gentile cittadino,\n\n";
}

std::string dayText(int64_t ms) {
  return formatIsoMs(ms).substr(0, 10);
}

std::string htmlEscape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(ch);
    }
  }
  return out;
}

// The state change: the case row, the timeline, the events and the citizen's mail.
Status applyState(Tx& tx, StoredCase& k, CaseState to, const std::optional<std::string>& opId,
                  const std::string& note, const std::string& slug, const std::string& origin,
                  int64_t now, bool notify = true) {
  SP_TRY(checkTransition(k.state, to));
  CaseState from = k.state;
  if (isReopen(from, to)) {
    ++k.reopens;
    k.resolvedAt.reset();
    k.closedAt.reset();
  }
  k.state = to;
  if (to == CaseState::kResolved) k.resolvedAt = now;
  if (to == CaseState::kClosed) k.closedAt = now;
  k.firstContactResolved =
      firstContactResolved({k.resolvedAtCreation && k.state != CaseState::kNew,
                            static_cast<int>(k.transfers), static_cast<int>(k.escalations),
                            static_cast<int>(k.callbacks), static_cast<int>(k.reopens)});
  k.updatedAt = now;
  SP_TRY(store::updateCase(tx.conn(), k));
  if (to == CaseState::kResolved && k.reopens == 0) {
    // The figures (platform/contact_fact.h): a case counts once, at its first resolution, with
    // whether it was resolved at first contact (a later reopening does not recount it).
    ContactFact f;
    f.enteId = k.enteId;
    f.officeId = k.officeId;
    f.operatorId = k.assignedOperatorId ? k.assignedOperatorId : opId;
    f.channel = k.channel == Channel::kPhone ? "phone" : "case";
    f.outcome = ContactOutcome::kServed;
    f.arrivedAt = k.createdAt;
    f.endedAt = now;
    f.firstContactResolved = k.firstContactResolved;
    SP_TRY(tx.recordContact(f));
  }
  SP_TRY(store::append(tx.conn(),
                       makeEntry(k, "state", true, opId, note,
                                 {{"from", caseStateName(from)}, {"to", caseStateName(to)}}, now)));
  SP_TRY(announce(tx, k, "case.updated", now));
  if (!notify) return okStatus();
  std::string text = greeting(k) + "la pratica " + k.code + " (\"" + k.subject +
                     "\") è ora: " + caseStateLabel(to) + ".\n";
  if (!note.empty()) text += "\n" + note + "\n";
  text += "\nUfficio che la segue: " + k.officeName +
          "\nPuoi seguirla qui, con il codice segreto che ti abbiamo inviato all'apertura:\n" +
          trackingLink(origin, slug, k.code) + "\n";
  if (to == CaseState::kResolved) {
    // Feedback: the tracking page asks for a rating once the case is resolved.
    text += "\nCom'è andata? Sulla stessa pagina puoi esprimere il tuo giudizio.\n";
  }
  text += "\nComune — messaggio automatico.\n";
  return mailCitizen(tx, k, "Pratica " + k.code + ": " + caseStateLabel(to), text,
                     "case:" + k.id + ":state:" + std::to_string(k.reopens) + ":" +
                         caseStateName(to) + ":" + std::to_string(now));
}

}  // namespace

CaseService::CaseService(Database& db, const Clock& clock, staff::StaffService& staff,
                         std::string publicOrigin)
    : db_(db), clock_(clock), staff_(staff), publicOrigin_(std::move(publicOrigin)) {}

// ---------------------------------------------------------------------------------------------
// Create

namespace {

// The internal notes taken on the visit a case comes from go with it: each becomes an internal
// note of the case's timeline (author and the note's own time kept in its data).
Status copyVisitNotes(sql::Connection& c, const StoredCase& k, const std::string& visitId,
                      int64_t now) {
  SP_ASSIGN(auto notes, reception::lookup::visitNotes(c, visitId));
  for (const auto& n : notes) {
    SP_TRY(store::append(c, makeEntry(k, "note_internal", false, n.authorId, n.body,
                                      {{"from_visit", visitId}, {"noted_at", formatIsoMs(n.at)}},
                                      now)));
  }
  return okStatus();
}

}  // namespace


asio::awaitable<Result<NewCase>> CaseService::create(staff::StaffContext ctx, CreateInput in) {
  if (in.citizen.email.empty() && in.channel == Channel::kEmail) {
    co_return makeError(Errc::kInvalid, "citizen.email: obbligatoria per un'email",
                        "citizen.email");
  }
  if (in.resolvedNow && in.answer.empty()) {
    co_return makeError(Errc::kInvalid, "answer: indica la risposta data", "answer");
  }
  int64_t now = clock_.nowMs();
  CaseSecret cs = newCaseSecret();
  std::string secret = cs.shown;
  StoredCase k;
  k.id = newId();
  k.secretHash = cs.hash;
  k.enteId = ctx.op.enteId;
  k.level = in.level;
  k.priority = in.priority;
  k.dueAt = in.dueAt.value_or(defaultDueAt(in.priority, now));
  k.subject = in.subject;
  k.channel = in.channel;
  k.citizenName = in.citizen.name;
  k.citizenEmail = in.citizen.email;
  k.citizenPhone = in.citizen.phone;
  k.lang = in.lang;
  k.assignedOperatorId = ctx.op.id;
  k.createdAt = k.updatedAt = now;
  std::string origin = publicOrigin_;
  std::string slug = ctx.enteSlug;
  std::string opId = ctx.op.id;
  auto job = [k, in, ctx, now, secret, origin, slug, opId](Tx& tx) mutable -> Result<NewCase> {
    auto& c = tx.conn();
    std::string officeRef = in.office;
    if (in.visitId) {
      auto v = reception::lookup::visit(c, *in.visitId);
      if (!v.ok() || v->enteId != k.enteId) {
        return makeError(Errc::kInvalid, "visit: visita sconosciuta", "visit");
      }
      if (v->state == reception::VisitState::kWaiting ||
          v->state == reception::VisitState::kAdmitted) {
        return makeError(Errc::kConflict, "la visita non è ancora terminata", "visit");
      }
      if (officeRef.empty()) officeRef = v->officeId;
      if (k.citizenName.empty()) k.citizenName = v->name;
      k.visitId = v->id;
    }
    if (officeRef.empty()) return makeError(Errc::kInvalid, "office: obbligatorio", "office");
    SP_ASSIGN(auto office, findOffice(c, k.enteId, officeRef, "office"));
    if (!staff::lookup::serves(ctx, k.enteId, office.id)) {
      return makeError(Errc::kForbidden, "non appartieni a questo ufficio", "office");
    }
    k.officeId = office.id;
    k.officeName = office.name;
    SP_ASSIGN(k.code, newCode(c));
    SP_TRY(store::insertCase(c, k));
    SP_TRY(store::append(
        c, makeEntry(k, "created", true, opId, "",
                     {{"channel", channelName(k.channel)}, {"level", k.level}}, now)));
    if (k.visitId) SP_TRY(copyVisitNotes(c, k, *k.visitId, now));
    if (!in.answer.empty()) {
      SP_TRY(store::append(
          c, makeEntry(k, "reply_public", true, opId, in.answer,
                       {{"channel", k.channel == Channel::kEmail ? "email" : "phone"}}, now)));
      SP_TRY(store::indexText(c, k.id, in.answer));
    }
    if (in.resolvedNow) {
      k.resolvedAtCreation = true;
      SP_TRY(c.exec("UPDATE cases SET resolved_at_creation = 1 WHERE id = ?", {k.id}));
      SP_TRY(applyState(tx, k, CaseState::kResolved, opId, "", slug, origin, now, false));
    } else {
      bool callback = in.callbackDueAt || in.waitInLine ||
                      (!k.citizenPhone.empty() && k.channel == Channel::kPhone);
      if (callback) {
        Callback b;
        b.id = newId();
        b.caseId = k.id;
        b.enteId = k.enteId;
        b.officeId = k.officeId;
        b.phone = k.citizenPhone;
        b.note = in.waitInLine ? "Ha telefonato: richiamare appena si libera uno sportello"
                               : "Richiamare quando la risposta è pronta";
        b.dueAt = in.waitInLine ? now : in.callbackDueAt.value_or(now + kDayMs);
        b.inLine = in.waitInLine;
        b.createdAt = now;
        SP_TRY(store::insertCallback(c, b));
        ++k.callbacks;
        k.updatedAt = now;
        SP_TRY(store::updateCase(c, k));
        SP_TRY(store::append(
            c, makeEntry(k, "callback", false, opId, b.note,
                         {{"callback_id", b.id}, {"due_at", formatIsoMs(b.dueAt)}}, now)));
      }
    }
    SP_ASSIGN(k, store::caseById(c, k.id));
    SP_TRY(announce(tx, k, "case.created", now));
    std::string link = trackingLink(origin, slug, k.code);
    std::string text = greeting(k) + "abbiamo registrato la tua richiesta \"" + k.subject +
                       "\".\n\nCodice pratica: " + k.code + "\nCodice segreto: " + secret +
                       "\nUfficio: " + k.officeName + "\nStato: " + caseStateLabel(k.state) +
                       "\nData prevista di conclusione: " + dayText(k.dueAt) +
                       "\n\nSegui la pratica qui (il link contiene il codice segreto: non "
                       "inoltrarlo):\n" +
                       link + "#" + secret + "\n\nComune — messaggio automatico.\n";
    SP_TRY(
        mailCitizen(tx, k, "Pratica " + k.code + " registrata", text, "case:" + k.id + ":created"));
    std::string path = "/" + slug + "/pratica/" + k.code;
    return NewCase{std::move(k), now, secret, std::move(path)};
  };
  co_return co_await db_.write<NewCase>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Staff access

asio::awaitable<Result<CaseActor>> CaseService::actor(const Caller& caller, std::string caseId) {
  auto ctx = co_await staff_.require(caller, "", staff::Role::kOperator);
  if (!ctx.ok()) co_return ctx.error();
  std::vector<std::string> mine = officeIdsOf(*ctx);
  auto job = [caseId, mine](sql::Connection& c) -> Result<std::pair<StoredCase, bool>> {
    SP_ASSIGN(auto k, store::caseById(c, caseId));
    SP_ASSIGN(bool touched, store::officeTouched(c, k.id, mine));
    return std::make_pair(std::move(k), touched);
  };
  auto r = co_await db_.read<std::pair<StoredCase, bool>>(std::move(job));
  // Another ente's or office's case is "not found": its existence is not disclosed.
  if (!r.ok() || !canAccess(*ctx, r->first, r->second)) {
    co_return makeError(Errc::kNotFound, "pratica non trovata");
  }
  co_return CaseActor{std::move(ctx.value()), std::move(r->first)};
}

asio::awaitable<Result<CaseList>> CaseService::list(staff::StaffContext ctx, CaseFilter f,
                                                    std::string office) {
  f.enteId = ctx.op.enteId;
  f.now = clock_.nowMs();
  bool privileged = ctx.op.role != staff::Role::kOperator;
  auto job = [f, office, ctx, privileged](sql::Connection& c) mutable -> Result<CaseList> {
    if (!office.empty()) {
      SP_ASSIGN(auto o, findOffice(c, f.enteId, office, "office"));
      if (!staff::lookup::serves(ctx, f.enteId, o.id)) {
        return makeError(Errc::kForbidden, "non appartieni a questo ufficio", "office");
      }
      f.officeIds = {o.id};
    } else if (!privileged) {
      f.officeIds = officeIdsOf(ctx);
      if (f.officeIds.empty()) return CaseList{{}, f.now};
    }
    SP_ASSIGN(auto ks, store::search(c, f));
    return CaseList{std::move(ks), f.now};
  };
  co_return co_await db_.read<CaseList>(std::move(job));
}

asio::awaitable<Result<CaseDetail>> CaseService::view(const CaseActor& a) {
  std::string id = a.kase.id;
  int64_t now = clock_.nowMs();
  auto job = [id, now](sql::Connection& c) -> Result<CaseDetail> {
    CaseDetail d;
    d.at = now;
    SP_ASSIGN(d.kase, store::caseById(c, id));
    SP_ASSIGN(d.timeline, store::timeline(c, id, false));
    SP_ASSIGN(d.callbacks, store::callbacks(c, d.kase.enteId, {}, false, now, id));
    SP_ASSIGN(d.attachments, store::attachments(c, id));
    return d;
  };
  co_return co_await db_.read<CaseDetail>(std::move(job));
}

asio::awaitable<Result<CaseDetail>> CaseService::change(
    const CaseActor& a, std::function<Status(Tx&, StoredCase&)> fn) {
  std::string id = a.kase.id;
  auto job = [id, fn = std::move(fn)](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto k, store::caseById(tx.conn(), id));
    SP_TRY(fn(tx, k));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await view(a);
}

asio::awaitable<Result<CaseDetail>> CaseService::setState(const CaseActor& a, CaseState to,
                                                          std::string note) {
  int64_t now = clock_.nowMs();
  std::string opId = a.staff.op.id, slug = a.staff.enteSlug, origin = publicOrigin_;
  auto fn = [=](Tx& tx, StoredCase& k) -> Status {
    SP_TRY(applyState(tx, k, to, opId, note, slug, origin, now));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<CaseDetail>> CaseService::note(const CaseActor& a, std::string body) {
  int64_t now = clock_.nowMs();
  std::string opId = a.staff.op.id;
  auto fn = [=](Tx& tx, StoredCase& k) -> Status {
    SP_TRY(store::append(tx.conn(),
                         makeEntry(k, "note_internal", false, opId, body, Json::object(), now)));
    k.updatedAt = now;
    SP_TRY(store::touchCase(tx.conn(), k.id, now));
    SP_TRY(announce(tx, k, "case.updated", now));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<CaseDetail>> CaseService::reply(const CaseActor& a, std::string channel,
                                                       std::string body) {
  if (channel != "email" && channel != "phone" && channel != "post") {
    co_return makeError(Errc::kInvalid, "channel: email, phone o post", "channel");
  }
  if (channel == "email" && a.kase.citizenEmail.empty()) {
    co_return makeError(Errc::kConflict, "il cittadino non ha indicato un indirizzo email",
                        "channel");
  }
  int64_t now = clock_.nowMs();
  std::string opId = a.staff.op.id, slug = a.staff.enteSlug, origin = publicOrigin_;
  auto fn = [=](Tx& tx, StoredCase& k) -> Status {
    SP_ASSIGN(auto e, store::append(tx.conn(), makeEntry(k, "reply_public", true, opId, body,
                                                         {{"channel", channel}}, now)));
    SP_TRY(store::indexText(tx.conn(), k.id, body));
    k.updatedAt = now;
    SP_TRY(store::touchCase(tx.conn(), k.id, now));
    SP_TRY(announce(tx, k, "case.updated", now));
    if (channel == "email") {
      std::string text = greeting(k) + body + "\n\n—\n" + k.officeName + "\nPratica " + k.code +
                         ": " + trackingLink(origin, slug, k.code) + "\n";
      SP_TRY(mailCitizen(tx, k, "Risposta alla pratica " + k.code, text,
                         "case:" + k.id + ":reply:" + e.id));
    }
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<std::string>> CaseService::letter(const CaseActor& a, std::string replyId) {
  std::string id = a.kase.id;
  auto job = [id, replyId](sql::Connection& c) -> Result<std::string> {
    SP_ASSIGN(auto k, store::caseById(c, id));
    auto e = store::entry(c, id, replyId);
    if (!e.ok() || e->kind != "reply_public") {
      return makeError(Errc::kNotFound, "risposta non trovata");
    }
    SP_ASSIGN(auto ente, directory::lookup::enteById(c, k.enteId));
    SP_ASSIGN(auto office, directory::lookup::office(c, k.enteId, e->officeId));
    std::string h =
        "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>"
        "Lettera — pratica " +
        htmlEscape(k.code) +
        "</title><link rel=\"stylesheet\" href=\"/letter.css\"></head><body>"
        "<main class=\"letter\"><header class=\"letterhead\"><p class=\"ente\">" +
        htmlEscape(ente.name) + "</p><p class=\"office\">" + htmlEscape(office.name) +
        "</p><p class=\"contacts\">" + htmlEscape(office.email) + " · " + htmlEscape(office.phone) +
        "</p></header>";
    h += "<p class=\"date\">" + htmlEscape(dayText(e->at)) + "</p>";
    h += "<address class=\"to\">" +
         htmlEscape(k.citizenName.empty() ? "Al cittadino" : k.citizenName) + "</address>";
    h += "<p class=\"subject\"><strong>Oggetto:</strong> pratica " + htmlEscape(k.code) + " — " +
         htmlEscape(k.subject) + "</p>";
    h += "<div class=\"body\">";
    std::string para;
    for (char ch : e->body + "\n") {
      if (ch == '\n') {
        if (!para.empty()) h += "<p>" + htmlEscape(para) + "</p>";
        para.clear();
      } else {
        para.push_back(ch);
      }
    }
    h += "</div><p class=\"sign\">" + htmlEscape(e->operatorName.value_or("")) + "<br>" +
         htmlEscape(office.name) + "</p></main></body></html>";
    return h;
  };
  co_return co_await db_.read<std::string>(std::move(job));
}

asio::awaitable<Result<CaseDetail>> CaseService::transfer(const CaseActor& a, TransferInput in) {
  if (!in.office && !in.level) {
    co_return makeError(Errc::kInvalid, "office o level: indica dove trasferire", "office");
  }
  int64_t now = clock_.nowMs();
  std::string opId = a.staff.op.id;
  auto fn = [=](Tx& tx, StoredCase& k) -> Status {
    if (!isOpen(k.state)) {
      return makeError(Errc::kConflict, "la pratica è chiusa: riaprila prima di trasferirla");
    }
    std::string fromOffice = k.officeId, fromName = k.officeName;
    int fromLevel = k.level;
    if (in.office) {
      SP_ASSIGN(auto o, findOffice(tx.conn(), k.enteId, *in.office, "office"));
      k.officeId = o.id;
      k.officeName = o.name;
    }
    if (in.level) k.level = *in.level;
    if (k.officeId == fromOffice && k.level == fromLevel) {
      return makeError(Errc::kConflict, "la pratica è già in questo ufficio e livello", "office");
    }
    ++k.transfers;
    k.firstContactResolved = false;
    k.assignedOperatorId.reset();
    k.assignedOperatorName.reset();
    k.updatedAt = now;
    SP_TRY(store::updateCase(tx.conn(), k));
    // The note is internal; the citizen sees who handles it now.
    SP_TRY(store::append(tx.conn(),
                         makeEntry(k, "transfer", false, opId, in.note,
                                   {{"from_office", {{"id", fromOffice}, {"name", fromName}}},
                                    {"to_office", {{"id", k.officeId}, {"name", k.officeName}}},
                                    {"from_level", fromLevel},
                                    {"to_level", k.level}},
                                   now)));
    SP_TRY(tx.emit(officeCasesTopic(fromOffice), "case.transferred", toJson(k, now)));
    SP_TRY(announce(tx, k, "case.updated", now));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<CaseDetail>> CaseService::escalate(const CaseActor& a, std::string reason) {
  int64_t now = clock_.nowMs();
  std::string opId = a.staff.op.id;
  auto fn = [=](Tx& tx, StoredCase& k) -> Status {
    if (!isOpen(k.state)) {
      return makeError(Errc::kConflict, "la pratica è chiusa: riaprila prima di inoltrarla");
    }
    SP_ASSIGN(auto chain, store::escalationChain(tx.conn(), k.enteId));
    std::optional<size_t> cur;
    if (k.escalationLevel) cur = static_cast<size_t>(*k.escalationLevel);
    SP_ASSIGN(size_t next, nextEscalation(chain, cur, k.officeId));
    std::string fromOffice = k.officeId;
    const auto& level = chain[next];
    SP_ASSIGN(auto o, directory::lookup::office(tx.conn(), k.enteId, level.officeId));
    k.officeId = o.id;
    k.officeName = o.name;
    k.escalationLevel = static_cast<int64_t>(next);
    ++k.escalations;
    k.firstContactResolved = false;
    k.assignedOperatorId.reset();
    k.updatedAt = now;
    SP_TRY(store::updateCase(tx.conn(), k));
    SP_TRY(store::append(tx.conn(), makeEntry(k, "escalation", false, opId, reason,
                                              {{"level", next},
                                               {"level_name", level.name},
                                               {"from_office", fromOffice},
                                               {"to_office", {{"id", o.id}, {"name", o.name}}}},
                                              now)));
    if (fromOffice != k.officeId) {
      SP_TRY(tx.emit(officeCasesTopic(fromOffice), "case.transferred", toJson(k, now)));
    }
    SP_TRY(announce(tx, k, "case.escalated", now));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<CaseDetail>> CaseService::addCallback(const CaseActor& a, CallbackInput in) {
  int64_t now = clock_.nowMs();
  std::string opId = a.staff.op.id;
  Callback b;
  b.id = newId();
  b.dueAt = in.dueAt;
  b.note = in.note;
  b.createdAt = now;
  b.operatorId = in.operatorId;
  auto fn = [=](Tx& tx, StoredCase& k) mutable -> Status {
    b.caseId = k.id;
    b.enteId = k.enteId;
    b.officeId = k.officeId;
    if (in.office) {
      SP_ASSIGN(auto o, findOffice(tx.conn(), k.enteId, *in.office, "office"));
      b.officeId = o.id;
    }
    if (b.operatorId) {
      auto op = staff::lookup::operatorById(tx.conn(), k.enteId, *b.operatorId);
      if (!op.ok() || op->enteId != k.enteId) {
        return makeError(Errc::kInvalid, "operator: operatore sconosciuto", "operator");
      }
    }
    b.phone = in.phone.value_or(k.citizenPhone);
    if (b.phone.empty()) {
      return makeError(Errc::kInvalid, "phone: il cittadino non ha lasciato un numero", "phone");
    }
    SP_TRY(store::insertCallback(tx.conn(), b));
    ++k.callbacks;
    k.firstContactResolved = false;
    k.updatedAt = now;
    SP_TRY(store::updateCase(tx.conn(), k));
    SP_TRY(store::append(
        tx.conn(), makeEntry(k, "callback", false, opId, b.note,
                             {{"callback_id", b.id}, {"due_at", formatIsoMs(b.dueAt)}}, now)));
    SP_ASSIGN(auto stored, store::callback(tx.conn(), b.id));
    SP_TRY(tx.emit(officeCasesTopic(b.officeId), "callback.created", toJson(stored, now)));
    SP_TRY(announce(tx, k, "case.updated", now));
    return okStatus();
  };
  co_return co_await change(a, std::move(fn));
}

asio::awaitable<Result<CallbackList>> CaseService::listCallbacks(staff::StaffContext ctx,
                                                                 bool overdueOnly,
                                                                 std::string office) {
  int64_t now = clock_.nowMs();
  bool privileged = ctx.op.role != staff::Role::kOperator;
  auto job = [ctx, overdueOnly, office, now,
              privileged](sql::Connection& c) -> Result<CallbackList> {
    std::vector<std::string> ids;
    if (!office.empty()) {
      SP_ASSIGN(auto o, findOffice(c, ctx.op.enteId, office, "office"));
      if (!staff::lookup::serves(ctx, ctx.op.enteId, o.id)) {
        return makeError(Errc::kForbidden, "non appartieni a questo ufficio", "office");
      }
      ids = {o.id};
    } else if (!privileged) {
      ids = officeIdsOf(ctx);
      if (ids.empty()) return CallbackList{{}, now};
    }
    SP_ASSIGN(auto list, store::callbacks(c, ctx.op.enteId, ids, overdueOnly, now, ""));
    return CallbackList{std::move(list), now};
  };
  co_return co_await db_.read<CallbackList>(std::move(job));
}

asio::awaitable<Result<CallbackView>> CaseService::completeCallback(staff::StaffContext ctx,
                                                                    std::string id,
                                                                    std::string outcome) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, id, outcome, now](Tx& tx) -> Result<CallbackView> {
    auto b = store::callback(tx.conn(), id);
    if (!b.ok() || !staff::lookup::serves(ctx, b->enteId, b->officeId)) {
      return makeError(Errc::kNotFound, "richiamata non trovata");
    }
    SP_ASSIGN(bool done, store::completeCallback(tx.conn(), id, ctx.op.id, outcome, now));
    if (!done) return makeError(Errc::kConflict, "richiamata già completata");
    SP_ASSIGN(auto k, store::caseById(tx.conn(), b->caseId));
    SP_TRY(store::append(tx.conn(), makeEntry(k, "callback", false, ctx.op.id, outcome,
                                              {{"callback_id", id}, {"done", true}}, now)));
    SP_ASSIGN(auto stored, store::callback(tx.conn(), id));
    SP_TRY(tx.emit(officeCasesTopic(stored.officeId), "callback.updated", toJson(stored, now)));
    return CallbackView{std::move(stored), now};
  };
  co_return co_await db_.write<CallbackView>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Canned answers, escalation chain, figures

asio::awaitable<Result<CannedList>> CaseService::cannedList(staff::StaffContext ctx,
                                                            std::string office) {
  auto job = [ctx, office](sql::Connection& c) -> Result<CannedList> {
    SP_ASSIGN(auto o, cannedOffice(c, ctx, office));
    SP_ASSIGN(auto list, store::cannedAnswers(c, o.id));
    return CannedList{std::move(list)};
  };
  co_return co_await db_.read<CannedList>(std::move(job));
}

asio::awaitable<Result<CannedAnswer>> CaseService::cannedSave(staff::StaffContext ctx,
                                                              std::string office,
                                                              std::optional<std::string> id,
                                                              std::string title, std::string body) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, office, id, title, body, now](Tx& tx) -> Result<CannedAnswer> {
    CannedAnswer a;
    if (id) {
      // Another ente's or office's answer is "not found", as on DELETE.
      auto old = store::cannedAnswer(tx.conn(), *id);
      if (!old.ok() || !staff::lookup::serves(ctx, old->enteId, old->officeId)) {
        return makeError(Errc::kNotFound, "risposta predefinita non trovata");
      }
      a = old.value();
    } else {
      SP_ASSIGN(auto o, cannedOffice(tx.conn(), ctx, office));
      a.id = newId();
      a.enteId = ctx.op.enteId;
      a.officeId = o.id;
    }
    a.title = title;
    a.body = body;
    a.updatedAt = now;
    auto st = store::upsertCannedAnswer(tx.conn(), a);
    if (!st.ok()) {
      if (st.error().code == Errc::kConflict) {
        return makeError(Errc::kConflict, "esiste già una risposta con questo titolo", "title");
      }
      return st.error();
    }
    return a;
  };
  co_return co_await db_.write<CannedAnswer>(std::move(job));
}

asio::awaitable<Status> CaseService::cannedDelete(staff::StaffContext ctx, std::string id) {
  auto job = [ctx, id](Tx& tx) -> Result<bool> {
    auto old = store::cannedAnswer(tx.conn(), id);
    if (!old.ok() || !staff::lookup::serves(ctx, old->enteId, old->officeId)) {
      return makeError(Errc::kNotFound, "risposta predefinita non trovata");
    }
    return store::deleteCannedAnswer(tx.conn(), id);
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<EscalationChainView>> CaseService::chain(staff::StaffContext ctx) {
  std::string enteId = ctx.op.enteId;
  auto job = [enteId](sql::Connection& c) -> Result<EscalationChainView> {
    SP_ASSIGN(auto levels, store::escalationChain(c, enteId));
    EscalationChainView out;
    for (const auto& l : levels) {
      SP_ASSIGN(auto o, directory::lookup::office(c, enteId, l.officeId));
      out.levels.push_back({l.name, o.id, o.name});
    }
    return out;
  };
  co_return co_await db_.read<EscalationChainView>(std::move(job));
}

asio::awaitable<Result<EscalationChainView>> CaseService::setChain(
    staff::StaffContext ctx, std::vector<EscalationLevel> levels) {
  std::string enteId = ctx.op.enteId;
  auto job = [enteId, levels](Tx& tx) mutable -> Result<bool> {
    for (size_t i = 0; i < levels.size(); ++i) {
      std::string field = "levels[" + std::to_string(i) + "].office";
      SP_ASSIGN(auto o, findOffice(tx.conn(), enteId, levels[i].officeId, field.c_str()));
      levels[i].officeId = o.id;
    }
    SP_TRY(store::setEscalationChain(tx.conn(), enteId, levels));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await chain(ctx);
}

asio::awaitable<Result<FcrStats>> CaseService::stats(staff::StaffContext ctx, int64_t sinceMs) {
  std::string enteId = ctx.op.enteId;
  auto job = [enteId, sinceMs](sql::Connection& c) -> Result<FcrStats> {
    SP_ASSIGN(auto rows, store::fcrByOffice(c, enteId, sinceMs));
    return FcrStats{sinceMs, std::move(rows)};
  };
  co_return co_await db_.read<FcrStats>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Citizen

asio::awaitable<Result<StoredCase>> CaseService::citizenCase(std::string slug, std::string code,
                                                             std::string secret) {
  // The one check of a tracking link lives in cases/lookup (feedback asks it too).
  Error notFound(Errc::kNotFound, "pratica non trovata: controlla il codice e il codice segreto");
  auto job = [slug, code, secret](sql::Connection& conn) -> Result<StoredCase> {
    auto ente = directory::lookup::enteBySlug(conn, slug);
    if (!ente.ok()) return makeError(Errc::kNotFound, "pratica non trovata");
    return lookup::holderCase(conn, ente->id, code, secret);
  };
  auto k = co_await db_.read<StoredCase>(std::move(job));
  if (!k.ok()) co_return notFound;
  co_return std::move(k.value());
}

asio::awaitable<Result<Tracking>> CaseService::track(std::string slug, std::string code,
                                                     std::string secret) {
  auto k = co_await citizenCase(slug, code, secret);
  if (!k.ok()) co_return k.error();
  std::string id = k->id;
  auto job = [id](sql::Connection& c) -> Result<Tracking> {
    Tracking t;
    SP_ASSIGN(t.kase, store::caseById(c, id));
    SP_ASSIGN(t.timeline, store::timeline(c, id, true));
    SP_ASSIGN(t.attachments, store::attachments(c, id));
    return t;
  };
  co_return co_await db_.read<Tracking>(std::move(job));
}

asio::awaitable<Result<Tracking>> CaseService::addInfo(std::string slug, std::string code,
                                                       std::string secret, std::string body,
                                                       std::string remote) {
  auto found = co_await citizenCase(slug, code, secret);
  if (!found.ok()) co_return found.error();
  std::string id = found->id;
  int64_t now = clock_.nowMs();
  ratelimit::Rule perCase{"case_info.case", limits_.caseInfoPerCasePerDay, 86'400'000};
  ratelimit::Rule perAddress{"case_info.address", limits_.caseInfoPerAddressPerHour};
  auto job = [id, body, now, perCase, perAddress, remote](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto k, store::caseById(tx.conn(), id));
    if (k.state == CaseState::kClosed) {
      return makeError(Errc::kConflict, "la pratica è chiusa: apri una nuova richiesta");
    }
    SP_TRY(ratelimit::hit(tx, perCase, k.id, "Hai aggiunto troppe informazioni a questa pratica."));
    SP_TRY(ratelimit::hit(tx, perAddress, remote, "Troppe richieste da questo indirizzo."));
    SP_TRY(store::append(
        tx.conn(), makeEntry(k, "citizen_info", true, std::nullopt, body, Json::object(), now)));
    SP_TRY(store::indexText(tx.conn(), k.id, body));
    // The answer the office waited for: back to work.
    if (k.state == CaseState::kWaitingCitizen) {
      k.state = CaseState::kInProgress;
      SP_TRY(store::append(tx.conn(),
                           makeEntry(k, "state", true, std::nullopt, "",
                                     {{"from", "waiting_citizen"}, {"to", "in_progress"}}, now)));
    }
    k.updatedAt = now;
    SP_TRY(store::updateCase(tx.conn(), k));
    SP_TRY(announce(tx, k, "case.updated", now));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return co_await track(slug, code, secret);
}

asio::awaitable<Result<Uploaded>> CaseService::attach(std::string slug, std::string code,
                                                      std::string secret, std::string filename,
                                                      std::string bytes, std::string remote) {
  auto found = co_await citizenCase(slug, code, secret);
  if (!found.ok()) co_return found.error();
  auto type = sniffAttachment(bytes);
  if (!type.ok()) co_return type.error();
  Attachment a;
  a.id = newId();
  a.caseId = found->id;
  a.contentType = type.value();
  a.filename = safeFilename(filename, a.contentType);
  a.uploadedBy = "citizen";
  a.size = static_cast<int64_t>(bytes.size());
  a.at = clock_.nowMs();
  ratelimit::Rule perAddress{"attachment.address", limits_.caseAttachmentsPerAddressPerHour};
  int64_t maxCount = limits_.caseAttachmentsPerCase;
  int64_t maxBytes = limits_.caseAttachmentBytesPerCase;
  auto job = [a, bytes = std::move(bytes), perAddress, remote, maxCount,
              maxBytes](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto k, store::caseById(tx.conn(), a.caseId));
    if (k.state == CaseState::kClosed) {
      return makeError(Errc::kConflict, "la pratica è chiusa: apri una nuova richiesta");
    }
    // Per case, for the case's whole life: how many files and how many bytes its citizen added.
    SP_ASSIGN(auto n, tx.conn().one("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM "
                                    "case_attachments WHERE case_id = ? AND uploaded_by = ?",
                                    {a.caseId, std::string("citizen")}));
    if (maxCount > 0 && n.i64(0) + 1 > maxCount) {
      return makeError(Errc::kTooManyRequests,
                       "Questa pratica ha già " + std::to_string(n.i64(0)) +
                           " allegati: non se ne possono aggiungere altri.");
    }
    if (maxBytes > 0 && n.i64(1) + a.size > maxBytes) {
      return makeError(Errc::kPayloadTooLarge,
                       "Gli allegati di questa pratica superano il totale consentito (" +
                           std::to_string(maxBytes / (1024 * 1024)) + " MB).");
    }
    SP_TRY(ratelimit::hit(tx, perAddress, remote, "Troppi allegati da questo indirizzo."));
    SP_TRY(store::insertAttachment(tx.conn(), a, bytes));
    SP_TRY(store::append(
        tx.conn(),
        makeEntry(k, "attachment", true, std::nullopt, a.filename,
                  {{"attachment_id", a.id}, {"content_type", a.contentType}, {"size", a.size}},
                  a.at)));
    k.updatedAt = a.at;
    SP_TRY(store::updateCase(tx.conn(), k));
    SP_TRY(announce(tx, k, "case.updated", a.at));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return Uploaded{std::move(a)};
}

asio::awaitable<Result<std::pair<Attachment, std::string>>> CaseService::citizenAttachment(
    std::string slug, std::string code, std::string secret, std::string id) {
  auto found = co_await citizenCase(slug, code, secret);
  if (!found.ok()) co_return found.error();
  std::string caseId = found->id;
  auto job = [caseId, id](sql::Connection& c) { return store::attachment(c, caseId, id); };
  co_return co_await db_.read<std::pair<Attachment, std::string>>(std::move(job));
}

asio::awaitable<Result<std::pair<Attachment, std::string>>> CaseService::staffAttachment(
    const CaseActor& a, std::string id) {
  std::string caseId = a.kase.id;
  auto job = [caseId, id](sql::Connection& c) { return store::attachment(c, caseId, id); };
  co_return co_await db_.read<std::pair<Attachment, std::string>>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Reception's offline messages

Result<VisitFollowUp> CaseService::onVisitCallback(Tx& tx, const reception::Visit& v,
                                                   const staff::Operator& op,
                                                   const std::optional<reception::FollowUp>& u) {
  int64_t now = tx.nowMs();
  auto& c = tx.conn();
  StoredCase k;
  k.id = newId();
  k.enteId = v.enteId;
  k.officeId = v.officeId;
  k.officeName = v.officeName;
  CaseSecret cs = newCaseSecret();
  k.secretHash = cs.hash;
  k.channel = Channel::kVisit;
  std::string topic = v.topic.substr(0, 120);
  for (auto& ch : topic) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  k.subject = "Da richiamare: " + (topic.empty() ? std::string("visita ") + v.officeName : topic);
  k.citizenName = v.name;
  if (u) k.citizenPhone = u->phone;
  k.visitId = v.id;
  k.assignedOperatorId = op.id;
  k.dueAt = defaultDueAt(Priority::kNormal, now);
  k.createdAt = k.updatedAt = now;
  k.callbacks = 1;
  SP_ASSIGN(k.code, newCode(c));
  SP_TRY(store::insertCase(c, k));
  SP_TRY(store::append(c, makeEntry(k, "created", true, op.id, "",
                                    {{"channel", "visit"}, {"outcome", "needs_callback"}}, now)));
  SP_TRY(copyVisitNotes(c, k, v.id, now));
  Callback b;
  b.id = newId();
  b.caseId = k.id;
  b.enteId = k.enteId;
  b.officeId = k.officeId;
  b.phone = k.citizenPhone;
  b.note = u && !u->note.empty() ? u->note : "Richiamare: visita chiusa \"da richiamare\"";
  b.dueAt = u && u->dueAt ? *u->dueAt : now + kDayMs;
  b.createdAt = now;
  SP_TRY(store::insertCallback(c, b));
  SP_TRY(store::append(c, makeEntry(k, "callback", false, op.id, b.note,
                                    {{"callback_id", b.id}, {"due_at", formatIsoMs(b.dueAt)}},
                                    now)));
  SP_ASSIGN(k, store::caseById(c, k.id));
  SP_TRY(announce(tx, k, "case.created", now));
  SP_ASSIGN(auto ente, directory::lookup::enteById(c, k.enteId));
  return VisitFollowUp{k.id, k.code, cs.shown, ente.slug, b.id, b.dueAt};
}

Result<OfflineCase> CaseService::onCallbackRequest(Tx& tx, const reception::CallbackRequest& r) {
  int64_t now = tx.nowMs();
  StoredCase k;
  k.id = newId();
  k.enteId = r.enteId;
  k.officeId = r.officeId;
  k.officeName = r.officeName;
  // The citizen is shown this case's code and secret (not reception's message code): the one
  // pair that opens the tracking page, written down by someone who left only a phone number.
  CaseSecret cs = newCaseSecret();
  std::string secret = cs.shown;
  k.secretHash = cs.hash;
  k.channel = Channel::kMessage;
  std::string subject = r.message.substr(0, 120);
  for (auto& ch : subject) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  k.subject = "Messaggio: " + subject;
  k.citizenName = r.name;
  if (r.contact.find('@') != std::string::npos) {
    k.citizenEmail = r.contact;
  } else {
    k.citizenPhone = r.contact;
  }
  k.callbackRequestId = r.id;
  k.dueAt = defaultDueAt(Priority::kNormal, now);
  k.createdAt = k.updatedAt = now;
  auto& c = tx.conn();
  SP_ASSIGN(k.code, newCode(c));
  if (!k.citizenPhone.empty()) k.callbacks = 1;
  SP_TRY(store::insertCase(c, k));
  SP_TRY(store::append(c, makeEntry(k, "created", true, std::nullopt, "",
                                    {{"channel", "message"}, {"callback_request", r.code}}, now)));
  SP_TRY(store::append(
      c, makeEntry(k, "citizen_info", true, std::nullopt, r.message, Json::object(), now)));
  SP_TRY(store::indexText(c, k.id, r.message));
  if (!k.citizenPhone.empty()) {
    // "We call you back": the default for a contact nobody could answer.
    Callback b;
    b.id = newId();
    b.caseId = k.id;
    b.enteId = k.enteId;
    b.officeId = k.officeId;
    b.phone = k.citizenPhone;
    b.note = "Richiamare: messaggio lasciato fuori orario";
    b.dueAt = now + kDayMs;
    b.createdAt = now;
    SP_TRY(store::insertCallback(c, b));
    SP_TRY(store::append(
        c, makeEntry(k, "callback", false, std::nullopt, b.note,
                     {{"callback_id", b.id}, {"due_at", formatIsoMs(b.dueAt)}}, now)));
  }
  SP_TRY(announce(tx, k, "case.created", now));
  SP_ASSIGN(auto ente, directory::lookup::enteById(c, k.enteId));
  std::string text = greeting(k) + "abbiamo ricevuto il tuo messaggio per " + k.officeName +
                     ".\n\nCodice pratica: " + k.code + "\nCodice segreto: " + secret +
                     "\n\nSegui la pratica qui (il link contiene il codice segreto: non "
                     "inoltrarlo):\n" +
                     trackingLink(publicOrigin_, ente.slug, k.code) + "#" + secret +
                     "\n\nComune — messaggio automatico.\n";
  SP_TRY(
      mailCitizen(tx, k, "Pratica " + k.code + " registrata", text, "case:" + k.id + ":created"));
  return OfflineCase{k.code, secret, ente.slug};
}

// ---------------------------------------------------------------------------------------------
// Real time

// office:{id}:cases: the staff of the office (any office of their ente for a manager/admin).
asio::awaitable<Result<std::string>> CaseService::authorizeCases(const WsAuth& auth,
                                                                 std::string officeId) {
  auto ctx = co_await staff_.session(auth.sessionToken);
  if (!ctx.ok()) co_return ctx.error();
  auto job = [officeId](sql::Connection& c) -> Result<std::string> {
    return directory::lookup::officeEnte(c, officeId);
  };
  auto enteId = co_await db_.read<std::string>(std::move(job));
  if (!enteId.ok()) co_return enteId.error();
  if (!staff::lookup::serves(*ctx, *enteId, officeId)) {
    co_return makeError(Errc::kForbidden, "non appartieni a questo ufficio");
  }
  co_return "staff:" + ctx->op.id;
}

}  // namespace sportello::cases
