#include "cases/store.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "platform/sql/columns.h"

namespace sportello::cases::store {

namespace {

// SQLite full text: the windows of most recent index rows tried in turn (0 = all), until one
// gives a full page (see search()).
constexpr int kFtsWindows[] = {200, 2000, 0};

constexpr const char* kCommon = R"sql(
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id),
  origin_office_id TEXT NOT NULL REFERENCES offices(id),
  code TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  level BIGINT NOT NULL,
  state TEXT NOT NULL,
  priority TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  subject TEXT NOT NULL,
  channel TEXT NOT NULL,
  citizen_name TEXT NOT NULL,
  citizen_email TEXT NOT NULL,
  citizen_phone TEXT NOT NULL,
  lang TEXT NOT NULL,
  first_contact_resolved BIGINT NOT NULL,
  resolved_at_creation BIGINT NOT NULL,
  assigned_operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
  escalation_level BIGINT,
  visit_id TEXT,
  callback_request_id TEXT,
  transfers BIGINT NOT NULL,
  escalations BIGINT NOT NULL,
  callbacks BIGINT NOT NULL,
  reopens BIGINT NOT NULL,
  search_text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  resolved_at BIGINT,
  closed_at BIGINT
);
CREATE INDEX cases_office ON cases(ente_id, office_id, state, created_at);
CREATE INDEX cases_ente_created ON cases(ente_id, created_at);
CREATE INDEX cases_due ON cases(ente_id, state, due_at);
CREATE INDEX cases_email ON cases(ente_id, citizen_email);
CREATE INDEX cases_phone ON cases(ente_id, citizen_phone);
CREATE INDEX cases_origin ON cases(ente_id, origin_office_id, created_at);
CREATE TABLE case_events (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  visible BIGINT NOT NULL,
  operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
  office_id TEXT NOT NULL,
  body TEXT NOT NULL,
  data TEXT NOT NULL,
  at BIGINT NOT NULL,
  UNIQUE (case_id, seq)
);
CREATE INDEX case_events_office ON case_events(case_id, office_id);
CREATE TABLE case_callbacks (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id),
  operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
  phone TEXT NOT NULL,
  note TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  done_at BIGINT,
  done_by TEXT,
  outcome TEXT
);
CREATE INDEX case_callbacks_open ON case_callbacks(ente_id, done_at, due_at);
CREATE INDEX case_callbacks_case ON case_callbacks(case_id);
CREATE TABLE case_escalation_levels (
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  office_id TEXT NOT NULL REFERENCES offices(id),
  PRIMARY KEY (ente_id, position)
);
CREATE TABLE case_canned_answers (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (office_id, title)
);
CREATE TABLE case_attachments (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  content TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments(case_id, at);
)sql";

// Full text: FTS5 in SQLite, a GIN expression index in PostgreSQL.
constexpr const char* kSqliteFts = R"sql(
CREATE VIRTUAL TABLE cases_fts USING fts5(case_id UNINDEXED, ente, body, tokenize = 'unicode61 remove_diacritics 2');
)sql";
constexpr const char* kPgFts = R"sql(
CREATE INDEX cases_search ON cases USING GIN (to_tsvector('simple', search_text));
)sql";

sql::Value optI64(const std::optional<int64_t>& v) {
  return v ? sql::Value(*v) : sql::null();
}

const sql::Columns<StoredCase> kCase{
    sql::col<&StoredCase::id>("k.id"),
    sql::col<&StoredCase::enteId>("k.ente_id"),
    sql::col<&StoredCase::officeId>("k.office_id"),
    sql::col<&StoredCase::officeName>("o.name"),
    sql::col<&StoredCase::code>("k.code"),
    sql::col<&StoredCase::secretHash>("k.secret_hash"),
    sql::col<&StoredCase::level>("k.level"),
    {"k.state",
     [](StoredCase& k, sql::RowReader& r) {
       k.state = parseCaseState(r.str()).value_or(CaseState::kNew);
     }},
    {"k.priority",
     [](StoredCase& k, sql::RowReader& r) {
       k.priority = parsePriority(r.str()).value_or(Priority::kNormal);
     }},
    sql::col<&StoredCase::dueAt>("k.due_at"),
    sql::col<&StoredCase::subject>("k.subject"),
    {"k.channel",
     [](StoredCase& k, sql::RowReader& r) {
       k.channel = parseChannel(r.str()).value_or(Channel::kPhone);
     }},
    sql::col<&StoredCase::citizenName>("k.citizen_name"),
    sql::col<&StoredCase::citizenEmail>("k.citizen_email"),
    sql::col<&StoredCase::citizenPhone>("k.citizen_phone"),
    sql::col<&StoredCase::lang>("k.lang"),
    sql::col<&StoredCase::firstContactResolved>("k.first_contact_resolved"),
    sql::col<&StoredCase::resolvedAtCreation>("k.resolved_at_creation"),
    sql::col<&StoredCase::assignedOperatorId>("k.assigned_operator_id"),
    sql::col<&StoredCase::assignedOperatorName>("op.display_name"),
    sql::col<&StoredCase::escalationLevel>("k.escalation_level"),
    sql::col<&StoredCase::visitId>("k.visit_id"),
    sql::col<&StoredCase::callbackRequestId>("k.callback_request_id"),
    sql::col<&StoredCase::transfers>("k.transfers"),
    sql::col<&StoredCase::escalations>("k.escalations"),
    sql::col<&StoredCase::callbacks>("k.callbacks"),
    sql::col<&StoredCase::reopens>("k.reopens"),
    sql::col<&StoredCase::createdAt>("k.created_at"),
    sql::col<&StoredCase::updatedAt>("k.updated_at"),
    sql::col<&StoredCase::resolvedAt>("k.resolved_at"),
    sql::col<&StoredCase::closedAt>("k.closed_at"),
};
const std::string kCaseCols = kCase.select(
    "FROM cases k JOIN offices o ON o.id = k.office_id LEFT JOIN operators op ON op.id = "
    "k.assigned_operator_id ");

StoredCase caseFrom(const sql::Row& r) {
  return kCase.read(r);
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The words of a search as a full-text query: only letters and digits reach the engine (no
// operators), each word matched as a prefix, all words must match. FTS5: body:"w1"* AND
// body:"w2"*; PostgreSQL to_tsquery: w1:* & w2:*.
std::string ftsQuery(const std::string& text, bool pg = false) {
  std::string out, word;
  auto flush = [&]() {
    if (word.empty()) return;
    if (!out.empty()) out += pg ? " & " : " AND ";
    out += pg ? word + ":*" : "body:\"" + word + "\"*";
    word.clear();
  };
  for (char ch : text) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) || u >= 0x80) {
      word.push_back(ch);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

const sql::Columns<Callback> kCallback{
    sql::col<&Callback::id>("b.id"),
    sql::col<&Callback::caseId>("b.case_id"),
    sql::col<&Callback::caseCode>("k.code"),
    sql::col<&Callback::caseSubject>("k.subject"),
    sql::col<&Callback::enteId>("b.ente_id"),
    sql::col<&Callback::officeId>("b.office_id"),
    sql::col<&Callback::officeName>("o.name"),
    sql::col<&Callback::operatorId>("b.operator_id"),
    sql::col<&Callback::operatorName>("op.display_name"),
    sql::col<&Callback::phone>("b.phone"),
    sql::col<&Callback::note>("b.note"),
    sql::col<&Callback::dueAt>("b.due_at"),
    sql::col<&Callback::createdAt>("b.created_at"),
    sql::col<&Callback::doneAt>("b.done_at"),
    sql::col<&Callback::doneBy>("b.done_by"),
    sql::col<&Callback::outcome>("b.outcome"),
    sql::col<&Callback::takenAt>("b.taken_at"),
    sql::col<&Callback::inLine>("b.in_line"),
};
const std::string kCallbackCols = kCallback.select(
    "FROM case_callbacks b JOIN cases k ON k.id = b.case_id JOIN offices o ON o.id = b.office_id "
    "LEFT JOIN operators op ON op.id = b.operator_id ");

Callback callbackFrom(const sql::Row& r) {
  return kCallback.read(r);
}

std::string toBase64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> fromBase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return makeError(Errc::kInternal, "allegato illeggibile");
  }
  out.resize(len);
  return out;
}

}  // namespace

std::vector<Migration> migrations() {
  return {
      {600, "cases", std::string(kCommon) + kSqliteFts, std::string(kCommon) + kPgFts},
      {601, "cases: a due callback taken from the one line by a desk",
       "ALTER TABLE case_callbacks ADD COLUMN taken_at BIGINT;\n"
       "ALTER TABLE case_callbacks ADD COLUMN taken_by TEXT;\n"
       "CREATE INDEX case_callbacks_due ON case_callbacks(office_id, done_at, taken_at, due_at);",
       ""},
      {602, "cases: an inbound phone call logged as waiting in the one line",
       "ALTER TABLE case_callbacks ADD COLUMN in_line INTEGER NOT NULL DEFAULT 0;", ""},
      // The workspace's context pane lists the cases opened from the contact on screen.
      {603, "cases: the cases of a visit",
       "CREATE INDEX cases_visit ON cases(visit_id);", ""}};
}

Status insertCase(sql::Connection& c, const StoredCase& k) {
  std::string text = lower(k.code + " " + k.subject + " " + k.citizenName + " " + k.citizenEmail +
                           " " + k.citizenPhone);
  SP_TRY(c.exec(
      "INSERT INTO cases(id, ente_id, office_id, origin_office_id, code, secret_hash, level, "
      "state, priority, due_at, subject, channel, citizen_name, citizen_email, citizen_phone, "
      "lang, first_contact_resolved, resolved_at_creation, assigned_operator_id, "
      "escalation_level, visit_id, callback_request_id, transfers, escalations, callbacks, "
      "reopens, search_text, created_at, updated_at, resolved_at, closed_at) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {k.id,
       k.enteId,
       k.officeId,
       k.officeId,
       k.code,
       k.secretHash,
       static_cast<int64_t>(k.level),
       caseStateName(k.state),
       priorityName(k.priority),
       k.dueAt,
       k.subject,
       channelName(k.channel),
       k.citizenName,
       lower(k.citizenEmail),
       k.citizenPhone,
       k.lang,
       static_cast<int64_t>(k.firstContactResolved),
       static_cast<int64_t>(k.resolvedAtCreation),
       sql::optText(k.assignedOperatorId),
       optI64(k.escalationLevel),
       sql::optText(k.visitId),
       sql::optText(k.callbackRequestId),
       k.transfers,
       k.escalations,
       k.callbacks,
       k.reopens,
       text,
       k.createdAt,
       k.updatedAt,
       optI64(k.resolvedAt),
       optI64(k.closedAt)}));
  if (c.dialect() == sql::Dialect::kSqlite) {
    SP_TRY(c.exec("INSERT INTO cases_fts(case_id, ente, body) VALUES(?, ?, ?)",
                  {k.id, k.enteId, text}));
  }
  return okStatus();
}

Status indexText(sql::Connection& c, const std::string& caseId, const std::string& text) {
  std::string t = " " + lower(text.substr(0, 4000));
  SP_TRY(c.exec("UPDATE cases SET search_text = search_text || ? WHERE id = ?", {t, caseId}));
  if (c.dialect() == sql::Dialect::kSqlite) {
    SP_TRY(
        c.exec("INSERT INTO cases_fts(case_id, ente, body) SELECT id, ente_id, ? FROM cases "
               "WHERE id = ?",
               {t, caseId}));
  }
  return okStatus();
}

Status updateCase(sql::Connection& c, const StoredCase& k) {
  SP_ASSIGN(int64_t n,
            c.exec("UPDATE cases SET office_id = ?, level = ?, state = ?, priority = ?, due_at = "
                   "?, first_contact_resolved = ?, assigned_operator_id = ?, escalation_level = "
                   "?, transfers = ?, escalations = ?, callbacks = ?, reopens = ?, updated_at = "
                   "?, resolved_at = ?, closed_at = ? WHERE id = ?",
                   {k.officeId, static_cast<int64_t>(k.level), caseStateName(k.state),
                    priorityName(k.priority), k.dueAt, static_cast<int64_t>(k.firstContactResolved),
                    sql::optText(k.assignedOperatorId), optI64(k.escalationLevel), k.transfers,
                    k.escalations, k.callbacks, k.reopens, k.updatedAt, optI64(k.resolvedAt),
                    optI64(k.closedAt), k.id}));
  if (n != 1) return makeError(Errc::kNotFound, "pratica non trovata");
  return okStatus();
}

Status touchCase(sql::Connection& c, const std::string& id, int64_t now) {
  SP_TRY(c.exec("UPDATE cases SET updated_at = ? WHERE id = ?", {now, id}));
  return okStatus();
}

Result<StoredCase> caseById(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kCaseCols) + "WHERE k.id = ?", {id}, "pratica"));
  return caseFrom(r);
}

Result<StoredCase> caseByCode(sql::Connection& c, const std::string& code) {
  SP_ASSIGN(auto r, c.one(std::string(kCaseCols) + "WHERE k.code = ?", {code}, "pratica"));
  return caseFrom(r);
}

Result<bool> codeTaken(sql::Connection& c, const std::string& code) {
  SP_ASSIGN(auto rows, c.query("SELECT 1 FROM cases WHERE code = ?", {code}));
  return !rows.empty();
}

namespace {

// The list query: `from` replaces "FROM cases k" (with its first parameter `fromParam`) when
// given; else `fts` (PostgreSQL) is a to_tsquery text.
Result<std::vector<StoredCase>> searchFrom(sql::Connection& c, const CaseFilter& f,
                                           const std::string& email, const std::string& phone,
                                           const std::string& from, const std::string& ftsParam) {
  std::string q = kCaseCols;
  std::vector<sql::Value> p;
  bool pg = c.dialect() == sql::Dialect::kPostgres;
  std::string fts = pg ? ftsParam : "";
  if (!from.empty()) {
    q.replace(q.find("FROM cases k"), 12, from);
    p.push_back(ftsParam);
  }
  q += "WHERE k.ente_id = ?";
  p.push_back(f.enteId);
  if (!f.officeIds.empty()) {
    q += " AND k.office_id IN (";
    for (size_t i = 0; i < f.officeIds.size(); ++i) {
      q += i ? ",?" : "?";
      p.push_back(f.officeIds[i]);
    }
    q += ")";
  }
  if (!f.code.empty()) {
    q += " AND k.code = ?";
    p.push_back(f.code);
  }
  if (!f.visitId.empty()) {
    q += " AND k.visit_id = ?";
    p.push_back(f.visitId);
  }
  if (f.state) {
    q += " AND k.state = ?";
    p.push_back(caseStateName(*f.state));
  } else if (f.openOnly || f.overdue) {
    q += " AND k.state NOT IN ('resolved', 'closed')";
  }
  if (f.overdue) {
    q += " AND k.due_at < ?";
    p.push_back(f.now);
  }
  if (f.olderThanMs) {
    q += " AND k.created_at < ?";
    p.push_back(f.now - *f.olderThanMs);
  }
  if (!email.empty()) {
    q += " AND k.citizen_email = ?";
    p.push_back(email);
  }
  if (!phone.empty()) {
    q += " AND k.citizen_phone = ?";
    p.push_back(phone);
  }
  if (!fts.empty() && pg) {
    q += " AND to_tsvector('simple', k.search_text) @@ to_tsquery('simple', ?)";
    p.push_back(fts);
  }
  // With a selective filter (an email, a phone, a code) the newest-first index would walk the
  // whole ente: "+ 0" keeps the planner on the filter's index, then sorts the few rows found.
  bool selective = !email.empty() || !phone.empty() || !f.code.empty() || !f.visitId.empty();
  q += selective ? " ORDER BY k.created_at + 0 DESC, k.id LIMIT ?"
                 : " ORDER BY k.created_at DESC, k.id LIMIT ?";
  p.push_back(f.limit);
  SP_ASSIGN(auto rows, c.query(q, p));
  std::vector<StoredCase> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(caseFrom(r));
  return out;
}

}  // namespace

Result<std::vector<StoredCase>> search(sql::Connection& c, const CaseFilter& f) {
  // The citizen filter: an email or a phone number matches exactly (through their indexes);
  // anything else is words of the name, searched in the full-text index with the text.
  std::string email, phone, text = f.text;
  if (!f.citizen.empty()) {
    bool phoneLike = f.citizen.find_first_not_of("0123456789+ -./") == std::string::npos;
    if (f.citizen.find('@') != std::string::npos) {
      email = lower(f.citizen);
    } else if (phoneLike) {
      phone = f.citizen;
    } else {
      text += " " + f.citizen;
    }
  }
  bool pg = c.dialect() == sql::Dialect::kPostgres;
  std::string fts;
  if (text.find_first_not_of(' ') != std::string::npos) {
    fts = ftsQuery(lower(text), pg);
    if (fts.empty()) return std::vector<StoredCase>();
  }
  if (!fts.empty() && !pg) {
    // Drive the query from the FTS matches of the ente (CROSS JOIN fixes SQLite's join
    // order), newest index rows first and at most `window` of them: a rare word reads a few
    // rows, a common one stops early instead of joining and sorting tens of thousands. A
    // window that does not fill the page is widened, up to all matches: results stay complete.
    for (int window : kFtsWindows) {
      CaseFilter g = f;
      g.text.clear();
      g.citizen.clear();
      auto rows = searchFrom(c, g, email, phone,
                             "FROM (SELECT DISTINCT case_id FROM (SELECT case_id FROM cases_fts "
                             "WHERE cases_fts MATCH ? ORDER BY rowid DESC" +
                                 (window ? " LIMIT " + std::to_string(window) : std::string()) +
                                 ")) m CROSS JOIN cases k ON k.id = m.case_id",
                             "ente:\"" + f.enteId + "\" AND " + fts);
      if (!rows.ok() || window == 0 || static_cast<int64_t>(rows->size()) >= f.limit) return rows;
    }
  }
  return searchFrom(c, f, email, phone, "", pg ? fts : "");
}

Result<TimelineEntry> append(sql::Connection& c, TimelineEntry e) {
  SP_ASSIGN(auto r,
            c.one("SELECT COALESCE(MAX(seq), 0) FROM case_events WHERE case_id = ?", {e.caseId}));
  e.seq = r.i64(0) + 1;
  if (e.data.empty()) e.data = "{}";
  SP_TRY(
      c.exec("INSERT INTO case_events(id, case_id, seq, kind, visible, operator_id, office_id, "
             "body, data, at) VALUES(?,?,?,?,?,?,?,?,?,?)",
             {e.id, e.caseId, e.seq, e.kind, static_cast<int64_t>(e.visible),
              sql::optText(e.operatorId), e.officeId, e.body, e.data, e.at}));
  return e;
}

namespace {
const sql::Columns<TimelineEntry> kEntry{
    sql::col<&TimelineEntry::id>("e.id"),
    sql::col<&TimelineEntry::caseId>("e.case_id"),
    sql::col<&TimelineEntry::seq>("e.seq"),
    sql::col<&TimelineEntry::kind>("e.kind"),
    sql::col<&TimelineEntry::visible>("e.visible"),
    sql::col<&TimelineEntry::operatorId>("e.operator_id"),
    sql::col<&TimelineEntry::operatorName>("op.display_name"),
    sql::col<&TimelineEntry::officeId>("e.office_id"),
    sql::col<&TimelineEntry::body>("e.body"),
    sql::col<&TimelineEntry::data>("e.data"),
    sql::col<&TimelineEntry::at>("e.at"),
};
const std::string kEntryCols =
    kEntry.select("FROM case_events e LEFT JOIN operators op ON op.id = e.operator_id ");

TimelineEntry entryFrom(const sql::Row& r) {
  return kEntry.read(r);
}
}  // namespace

Result<std::vector<TimelineEntry>> timeline(sql::Connection& c, const std::string& caseId,
                                            bool visibleOnly) {
  SP_ASSIGN(auto rows, c.query(std::string(kEntryCols) + "WHERE e.case_id = ? AND (? = 0 OR "
                                                         "e.visible = 1) ORDER BY e.seq",
                               {caseId, static_cast<int64_t>(visibleOnly)}));
  std::vector<TimelineEntry> out;
  for (auto& r : rows) out.push_back(entryFrom(r));
  return out;
}

Result<TimelineEntry> entry(sql::Connection& c, const std::string& caseId, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kEntryCols) + "WHERE e.case_id = ? AND e.id = ?",
                          {caseId, id}, "voce"));
  return entryFrom(r);
}

Result<bool> officeTouched(sql::Connection& c, const std::string& caseId,
                           const std::vector<std::string>& officeIds) {
  if (officeIds.empty()) return false;
  std::string q = "SELECT 1 FROM case_events WHERE case_id = ? AND office_id IN (";
  std::vector<sql::Value> p = {caseId};
  for (size_t i = 0; i < officeIds.size(); ++i) {
    q += i ? ",?" : "?";
    p.push_back(officeIds[i]);
  }
  q += ") LIMIT 1";
  SP_ASSIGN(auto rows, c.query(q, p));
  return !rows.empty();
}

Status insertCallback(sql::Connection& c, const Callback& b) {
  SP_TRY(
      c.exec("INSERT INTO case_callbacks(id, case_id, ente_id, office_id, operator_id, phone, "
             "note, due_at, created_at, done_at, done_by, outcome, in_line) "
             "VALUES(?,?,?,?,?,?,?,?,?,NULL,NULL,NULL,?)",
             {b.id, b.caseId, b.enteId, b.officeId, sql::optText(b.operatorId), b.phone, b.note,
              b.dueAt, b.createdAt, int64_t{b.inLine ? 1 : 0}}));
  return okStatus();
}

Result<Callback> callback(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kCallbackCols) + "WHERE b.id = ?", {id}, "richiamata"));
  return callbackFrom(r);
}

Result<std::vector<Callback>> callbacks(sql::Connection& c, const std::string& enteId,
                                        const std::vector<std::string>& officeIds, bool overdueOnly,
                                        int64_t now, const std::string& caseId) {
  std::string q = std::string(kCallbackCols) + "WHERE b.ente_id = ?";
  std::vector<sql::Value> p = {enteId};
  if (!caseId.empty()) {
    q += " AND b.case_id = ?";
    p.push_back(caseId);
  } else {
    q += " AND b.done_at IS NULL";
  }
  if (!officeIds.empty()) {
    q += " AND b.office_id IN (";
    for (size_t i = 0; i < officeIds.size(); ++i) {
      q += i ? ",?" : "?";
      p.push_back(officeIds[i]);
    }
    q += ")";
  }
  if (overdueOnly) {
    q += " AND b.done_at IS NULL AND b.due_at < ?";
    p.push_back(now);
  }
  q += " ORDER BY b.due_at, b.id LIMIT 500";
  SP_ASSIGN(auto rows, c.query(q, p));
  std::vector<Callback> out;
  for (auto& r : rows) out.push_back(callbackFrom(r));
  return out;
}

Result<bool> completeCallback(sql::Connection& c, const std::string& id, const std::string& by,
                              const std::string& outcome, int64_t now) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE case_callbacks SET done_at = ?, done_by = ?, outcome = ? "
                              "WHERE id = ? AND done_at IS NULL",
                              {now, by, outcome, id}));
  return n == 1;
}

Result<bool> takeCallback(sql::Connection& c, const std::string& id, const std::string& operatorId,
                          int64_t now) {
  SP_ASSIGN(int64_t n,
            c.exec("UPDATE case_callbacks SET taken_at = ?, taken_by = ?, operator_id = ? WHERE id "
                   "= ? AND done_at IS NULL AND taken_at IS NULL AND (operator_id IS NULL OR "
                   "operator_id = ?)",
                   {now, operatorId, operatorId, id, operatorId}));
  return n == 1;
}

Result<std::vector<EscalationLevel>> escalationChain(sql::Connection& c,
                                                     const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query("SELECT name, office_id FROM case_escalation_levels WHERE ente_id "
                               "= ? ORDER BY position",
                               {enteId}));
  std::vector<EscalationLevel> out;
  for (auto& r : rows) out.push_back({r.str(0), r.str(1)});
  return out;
}

Status setEscalationChain(sql::Connection& c, const std::string& enteId,
                          const std::vector<EscalationLevel>& chain) {
  SP_TRY(c.exec("DELETE FROM case_escalation_levels WHERE ente_id = ?", {enteId}));
  int64_t pos = 0;
  for (const auto& l : chain) {
    SP_TRY(
        c.exec("INSERT INTO case_escalation_levels(ente_id, position, name, office_id) "
               "VALUES(?,?,?,?)",
               {enteId, pos++, l.name, l.officeId}));
  }
  return okStatus();
}

Result<std::vector<CannedAnswer>> cannedAnswers(sql::Connection& c, const std::string& officeId) {
  SP_ASSIGN(auto rows, c.query("SELECT id, ente_id, office_id, title, body, updated_at FROM "
                               "case_canned_answers WHERE office_id = ? ORDER BY title",
                               {officeId}));
  std::vector<CannedAnswer> out;
  for (auto& r : rows) out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5)});
  return out;
}

Result<CannedAnswer> cannedAnswer(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r, c.one("SELECT id, ente_id, office_id, title, body, updated_at FROM "
                          "case_canned_answers WHERE id = ?",
                          {id}, "risposta predefinita"));
  return CannedAnswer{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5)};
}

Status upsertCannedAnswer(sql::Connection& c, const CannedAnswer& a) {
  SP_TRY(
      c.exec("INSERT INTO case_canned_answers(id, ente_id, office_id, title, body, updated_at) "
             "VALUES(?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
             "body = excluded.body, updated_at = excluded.updated_at",
             {a.id, a.enteId, a.officeId, a.title, a.body, a.updatedAt}));
  return okStatus();
}

Result<bool> deleteCannedAnswer(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(int64_t n, c.exec("DELETE FROM case_canned_answers WHERE id = ?", {id}));
  return n == 1;
}

Status insertAttachment(sql::Connection& c, const Attachment& a, const std::string& bytes) {
  SP_TRY(c.exec(
      "INSERT INTO case_attachments(id, case_id, filename, content_type, size, "
      "uploaded_by, content, at) VALUES(?,?,?,?,?,?,?,?)",
      {a.id, a.caseId, a.filename, a.contentType, a.size, a.uploadedBy, toBase64(bytes), a.at}));
  return okStatus();
}

Result<std::vector<Attachment>> attachments(sql::Connection& c, const std::string& caseId) {
  SP_ASSIGN(auto rows, c.query("SELECT id, case_id, filename, content_type, uploaded_by, size, at "
                               "FROM case_attachments WHERE case_id = ? ORDER BY at, id",
                               {caseId}));
  std::vector<Attachment> out;
  for (auto& r : rows) {
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5), r.i64(6)});
  }
  return out;
}

Result<std::pair<Attachment, std::string>> attachment(sql::Connection& c, const std::string& caseId,
                                                      const std::string& id) {
  SP_ASSIGN(auto r, c.one("SELECT id, case_id, filename, content_type, uploaded_by, size, at, "
                          "content FROM case_attachments WHERE case_id = ? AND id = ?",
                          {caseId, id}, "allegato"));
  Attachment a{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5), r.i64(6)};
  SP_ASSIGN(auto bytes, fromBase64(r.str(7)));
  return std::make_pair(std::move(a), std::move(bytes));
}

Result<std::vector<OfficeFcr>> fcrByOffice(sql::Connection& c, const std::string& enteId,
                                           int64_t since) {
  SP_ASSIGN(auto rows,
            c.query("SELECT o.id, o.name, COUNT(k.id), "
                    "COALESCE(SUM(CASE WHEN k.state IN ('resolved', 'closed') THEN 1 ELSE 0 END), "
                    "0), COALESCE(SUM(k.first_contact_resolved), 0) FROM offices o LEFT JOIN cases "
                    "k ON k.origin_office_id = o.id AND k.created_at >= ? WHERE o.ente_id = ? "
                    "GROUP BY o.id, o.name ORDER BY o.name",
                    {since, enteId}));
  std::vector<OfficeFcr> out;
  for (auto& r : rows) out.push_back({r.str(0), r.str(1), r.i64(2), r.i64(3), r.i64(4)});
  return out;
}

}  // namespace sportello::cases::store
