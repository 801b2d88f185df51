#include "reception/store.h"

#include <map>

#include "platform/sql/columns.h"

namespace sportello::reception::store {

std::vector<Migration> migrations() {
  return {{400, "reception",
           R"sql(
CREATE TABLE reception_counters (
  ente_id TEXT PRIMARY KEY REFERENCES enti(id) ON DELETE CASCADE,
  next_knock BIGINT NOT NULL
);
CREATE TABLE visits (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  knock_no BIGINT NOT NULL,
  state TEXT NOT NULL,
  mode TEXT NOT NULL,
  channel TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  name TEXT NOT NULL,
  topic TEXT NOT NULL,
  operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
  knocked_at BIGINT NOT NULL,
  admitted_at BIGINT,
  ended_at BIGINT,
  ended_by TEXT NOT NULL,
  outcome TEXT,
  reject_reason TEXT,
  call_state TEXT NOT NULL,
  citizen_read BIGINT NOT NULL,
  operator_read BIGINT NOT NULL,
  last_message BIGINT NOT NULL,
  rating TEXT,
  rating_reasons TEXT NOT NULL,
  rating_comment TEXT NOT NULL,
  UNIQUE (ente_id, knock_no)
);
CREATE INDEX visits_office_state ON visits(office_id, state, knock_no);
CREATE INDEX visits_operator_call ON visits(operator_id, call_state);
CREATE INDEX visits_ended ON visits(ended_at);
CREATE TABLE visit_messages (
  visit_id TEXT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  sender TEXT NOT NULL,
  operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
  body TEXT NOT NULL,
  client_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (visit_id, seq),
  UNIQUE (visit_id, sender, client_id)
);
CREATE TABLE callback_requests (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  contact TEXT NOT NULL,
  message TEXT NOT NULL,
  state TEXT NOT NULL,
  privacy_accepted_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  done_at BIGINT,
  done_by TEXT,
  note TEXT
);
CREATE INDEX callback_requests_office ON callback_requests(ente_id, office_id, state);
CREATE TABLE kiosks (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  site_id TEXT REFERENCES sites(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  active BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT
);
)sql",
           ""},
          // Appointments' visits reserved for the booking's assigned operator.
          {401, "reception appointments", "ALTER TABLE visits ADD COLUMN reserved_for TEXT;", ""},
          {402, "reception liveness: when the citizen's page was last connected",
           "ALTER TABLE visits ADD COLUMN seen_at BIGINT NOT NULL DEFAULT 0;\n"
           "ALTER TABLE visits ADD COLUMN away_since BIGINT;\n"
           "UPDATE visits SET seen_at = knocked_at;\n"
           "CREATE INDEX visits_live ON visits(state, seen_at);",
           ""},
          {403, "reception: \"ci sei ancora?\" (last sign of the citizen, open question)",
           "ALTER TABLE visits ADD COLUMN here_at BIGINT NOT NULL DEFAULT 0;\n"
           "ALTER TABLE visits ADD COLUMN asked_at BIGINT;\n"
           "UPDATE visits SET here_at = knocked_at;",
           ""},
          // The operator workspace (issue 13): a cap on concurrent conversations and automatic
          // assignment, per ente (office_id '') or per office (NULL: as the ente); and, per
          // operator, when a contact was last given to them (round robin) — its row is also
          // what serialises two nodes admitting for one operator (a row lock on PostgreSQL).
          {404, "reception: conversation cap and automatic assignment",
           R"sql(
CREATE TABLE reception_settings (
  ente_id TEXT NOT NULL,
  office_id TEXT NOT NULL DEFAULT '',
  max_chats BIGINT,
  auto_assign BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (ente_id, office_id)
);
CREATE TABLE reception_operator_load (
  operator_id TEXT PRIMARY KEY,
  assigned_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX visits_operator_state ON visits(operator_id, state);
)sql",
           ""},
          // Internal notes on a contact (issue 13): staff only, never shown to the citizen.
          {405, "reception: internal notes on a visit",
           R"sql(
CREATE TABLE visit_notes (
  id TEXT PRIMARY KEY,
  visit_id TEXT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
  ente_id TEXT NOT NULL,
  office_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  body TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX visit_notes_visit ON visit_notes(visit_id, at);
)sql",
           ""},
          // The supervisors' wall (issue 16): an office's (or the ente's) target wait.
          {406, "reception: target wait per office",
           "ALTER TABLE reception_settings ADD COLUMN target_wait BIGINT;", ""}};
}

namespace {

std::vector<std::string> splitReasons(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string joinReasons(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& r : v) out += (out.empty() ? "" : ",") + r;
  return out;
}

const sql::Columns<Visit> kVisit{
    sql::col<&Visit::id>("v.id"),
    sql::col<&Visit::enteId>("v.ente_id"),
    sql::col<&Visit::officeId>("v.office_id"),
    sql::col<&Visit::officeSlug>("o.slug"),
    sql::col<&Visit::officeName>("o.name"),
    sql::col<&Visit::tokenHash>("v.token_hash"),
    sql::col<&Visit::knockNo>("v.knock_no"),
    {"v.state",
     [](Visit& v, sql::RowReader& r) {
       v.state = parseVisitState(r.str()).value_or(VisitState::kEnded);
     }},
    {"v.mode",
     [](Visit& v, sql::RowReader& r) { v.mode = parseMode(r.str()).value_or(Mode::kChat); }},
    {"v.channel",
     [](Visit& v, sql::RowReader& r) {
       v.channel = parseVisitChannel(r.str()).value_or(VisitChannel::kWeb);
     }},
    sql::col<&Visit::kioskId>("v.kiosk_id"),
    sql::col<&Visit::name>("v.name"),
    sql::col<&Visit::topic>("v.topic"),
    sql::col<&Visit::operatorId>("v.operator_id"),
    sql::col<&Visit::operatorName>("op.display_name"),
    sql::col<&Visit::knockedAt>("v.knocked_at"),
    sql::col<&Visit::admittedAt>("v.admitted_at"),
    sql::col<&Visit::endedAt>("v.ended_at"),
    sql::col<&Visit::endedBy>("v.ended_by"),
    sql::col<&Visit::outcome>("v.outcome"),
    sql::col<&Visit::rejectReason>("v.reject_reason"),
    {"v.call_state",
     [](Visit& v, sql::RowReader& r) {
       v.call = parseCallState(r.str()).value_or(CallState::kNone);
     }},
    sql::col<&Visit::citizenRead>("v.citizen_read"),
    sql::col<&Visit::operatorRead>("v.operator_read"),
    sql::col<&Visit::lastMessage>("v.last_message"),
    sql::col<&Visit::rating>("v.rating"),
    {"v.rating_reasons",
     [](Visit& v, sql::RowReader& r) { v.ratingReasons = splitReasons(r.str()); }},
    sql::col<&Visit::ratingComment>("v.rating_comment"),
    sql::col<&Visit::reservedFor>("v.reserved_for"),
    sql::col<&Visit::reservedForName>("rop.display_name"),
    sql::col<&Visit::seenAt>("v.seen_at"),
    sql::col<&Visit::awaySince>("v.away_since"),
    sql::col<&Visit::hereAt>("v.here_at"),
    sql::col<&Visit::askedAt>("v.asked_at"),
};
const std::string kVisitCols =
    kVisit.list() +
    " FROM visits v JOIN offices o ON o.id = v.office_id LEFT JOIN operators op ON op.id = "
    "v.operator_id LEFT JOIN operators rop ON rop.id = v.reserved_for";

Visit visitFrom(const sql::Row& r) {
  return kVisit.read(r);
}

sql::Value optI64(const std::optional<int64_t>& v) {
  return v ? sql::Value(*v) : sql::null();
}

}  // namespace

Result<int64_t> nextKnockNo(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto row, c.one("INSERT INTO reception_counters(ente_id, next_knock) VALUES(?, 1) "
                            "ON CONFLICT(ente_id) DO UPDATE SET next_knock = "
                            "reception_counters.next_knock + 1 RETURNING next_knock",
                            {enteId}));
  return row.i64(0);
}

Status insertVisit(sql::Connection& c, const Visit& v) {
  SP_TRY(c.exec(
      "INSERT INTO visits(id, ente_id, office_id, token_hash, knock_no, state, mode, channel, "
      "kiosk_id, name, topic, operator_id, knocked_at, admitted_at, ended_at, ended_by, outcome, "
      "reject_reason, call_state, citizen_read, operator_read, last_message, rating, "
      "rating_reasons, rating_comment, reserved_for, seen_at, here_at) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,NULL,?,NULL,NULL,'',NULL,NULL,'none',0,0,0,NULL,'','',?,?,?)",
      {v.id, v.enteId, v.officeId, v.tokenHash, v.knockNo, name(v.state), name(v.mode),
       name(v.channel), v.kioskId, v.name, v.topic, v.knockedAt, sql::optText(v.reservedFor),
       v.knockedAt, v.knockedAt}));
  return okStatus();
}

Result<Visit> visit(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r,
            c.one(std::string("SELECT ") + kVisitCols + " WHERE v.id = ?", {id}, "visita"));
  return visitFrom(r);
}

Result<std::vector<Visit>> visitsOf(sql::Connection& c, const std::string& officeId,
                                    VisitState state, int64_t limit) {
  std::string order = state == VisitState::kWaiting    ? " ORDER BY v.knock_no"
                      : state == VisitState::kAdmitted ? " ORDER BY v.admitted_at"
                                                       : " ORDER BY v.ended_at DESC";
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kVisitCols +
                                   " WHERE v.office_id = ? AND v.state = ?" + order + " LIMIT ?",
                               {officeId, name(state), limit}));
  std::vector<Visit> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(visitFrom(r));
  return out;
}

Result<bool> admit(sql::Connection& c, const std::string& id, const std::string& operatorId,
                   int64_t now) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE visits SET state = 'admitted', operator_id = ?, "
                              "admitted_at = ?, asked_at = NULL WHERE id = ? AND state = "
                              "'waiting' AND away_since IS NULL",
                              {operatorId, now, id}));
  return n == 1;
}

Status update(sql::Connection& c, const Visit& v) {
  SP_TRY(c.exec(
      "UPDATE visits SET office_id = ?, state = ?, operator_id = ?, admitted_at = ?, "
      "ended_at = ?, ended_by = ?, outcome = ?, reject_reason = ?, call_state = ?, "
      "citizen_read = ?, operator_read = ?, last_message = ?, rating = ?, rating_reasons = ?, "
      "rating_comment = ?, name = ?, topic = ?, reserved_for = ?, away_since = ?, here_at = ?, "
      "asked_at = ? WHERE id = ?",
      {v.officeId,
       name(v.state),
       sql::optText(v.operatorId),
       optI64(v.admittedAt),
       optI64(v.endedAt),
       v.endedBy,
       sql::optText(v.outcome),
       sql::optText(v.rejectReason),
       name(v.call),
       v.citizenRead,
       v.operatorRead,
       v.lastMessage,
       sql::optText(v.rating),
       joinReasons(v.ratingReasons),
       v.ratingComment,
       v.name,
       v.topic,
       sql::optText(v.reservedFor),
       optI64(v.awaySince),
       v.hereAt,
       optI64(v.askedAt),
       v.id}));
  return okStatus();
}

Result<std::optional<std::string>> oldestWaiting(sql::Connection& c, const std::string& officeId,
                                                 const std::string& operatorId) {
  SP_ASSIGN(auto rows,
            c.query("SELECT id FROM visits WHERE office_id = ? AND state = 'waiting' "
                    "AND away_since IS NULL AND (reserved_for IS NULL OR reserved_for = ?) "
                    "ORDER BY knock_no LIMIT 1",
                    {officeId, operatorId}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].str(0));
}

Result<ContactSettings> settings(sql::Connection& c, const std::string& enteId,
                                 const std::string& officeId) {
  SP_ASSIGN(auto rows, c.query("SELECT max_chats, auto_assign, target_wait FROM "
                               "reception_settings WHERE ente_id = ? AND office_id = ?",
                               {enteId, officeId}));
  ContactSettings out;
  if (rows.empty()) return out;
  if (!rows[0].isNull(0)) out.maxChats = rows[0].i64(0);
  if (!rows[0].isNull(1)) out.autoAssign = rows[0].i64(1) != 0;
  if (!rows[0].isNull(2)) out.targetWaitMinutes = rows[0].i64(2);
  return out;
}

Result<ContactSettings> effectiveSettings(sql::Connection& c, const std::string& enteId,
                                          const std::string& officeId) {
  SP_ASSIGN(auto ente, settings(c, enteId, ""));
  SP_ASSIGN(auto office, settings(c, enteId, officeId));
  if (!office.maxChats) office.maxChats = ente.maxChats;
  if (!office.autoAssign) office.autoAssign = ente.autoAssign;
  if (!office.targetWaitMinutes) office.targetWaitMinutes = ente.targetWaitMinutes;
  return office;
}

Status saveSettings(sql::Connection& c, const std::string& enteId, const std::string& officeId,
                    const ContactSettings& s, int64_t now) {
  sql::Value cap = s.maxChats ? sql::Value(*s.maxChats) : sql::null();
  sql::Value aa = s.autoAssign ? sql::Value(int64_t{*s.autoAssign ? 1 : 0}) : sql::null();
  sql::Value tw = s.targetWaitMinutes ? sql::Value(*s.targetWaitMinutes) : sql::null();
  SP_TRY(c.exec("INSERT INTO reception_settings(ente_id, office_id, max_chats, auto_assign, "
                "target_wait, updated_at) VALUES(?,?,?,?,?,?) ON CONFLICT(ente_id, office_id) DO "
                "UPDATE SET max_chats = excluded.max_chats, auto_assign = excluded.auto_assign, "
                "target_wait = excluded.target_wait, updated_at = excluded.updated_at",
                {enteId, officeId, cap, aa, tw, now}));
  return okStatus();
}

Result<std::vector<std::string>> autoAssignOffices(sql::Connection& c) {
  SP_ASSIGN(auto rows,
            c.query("SELECT o.id FROM offices o LEFT JOIN reception_settings so ON so.ente_id = "
                    "o.ente_id AND so.office_id = o.id LEFT JOIN reception_settings se ON "
                    "se.ente_id = o.ente_id AND se.office_id = '' WHERE COALESCE(so.auto_assign, "
                    "se.auto_assign, 0) = 1 ORDER BY o.id",
                    {}));
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.str(0));
  return out;
}

Status lockOperatorLoad(sql::Connection& c, const std::string& operatorId) {
  SP_TRY(c.exec("INSERT INTO reception_operator_load(operator_id, assigned_seq) VALUES(?, 0) "
                "ON CONFLICT(operator_id) DO UPDATE SET assigned_seq = "
                "reception_operator_load.assigned_seq",
                {operatorId}));
  return okStatus();
}

Result<int64_t> activeVisitsOf(sql::Connection& c, const std::string& operatorId) {
  SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM visits WHERE operator_id = ? AND state = "
                            "'admitted'",
                            {operatorId}));
  return row.i64(0);
}

Result<std::vector<Visit>> admittedOf(sql::Connection& c, const std::string& enteId,
                                      int64_t limit) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kVisitCols +
                                   " WHERE v.ente_id = ? AND v.state = 'admitted' ORDER BY "
                                   "v.admitted_at LIMIT ?",
                               {enteId, limit}));
  std::vector<Visit> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(visitFrom(r));
  return out;
}

Result<std::map<std::string, int64_t>> lastAssigned(sql::Connection& c,
                                                    const std::vector<std::string>& operatorIds) {
  std::map<std::string, int64_t> out;
  for (const auto& id : operatorIds) {
    SP_ASSIGN(auto rows, c.query("SELECT assigned_seq FROM reception_operator_load WHERE "
                                 "operator_id = ?",
                                 {id}));
    out[id] = rows.empty() ? 0 : rows[0].i64(0);
  }
  return out;
}

Result<int64_t> markAssigned(sql::Connection& c, const std::string& operatorId) {
  SP_ASSIGN(auto row, c.one("SELECT COALESCE(MAX(assigned_seq), 0) + 1 FROM "
                            "reception_operator_load",
                            {}));
  int64_t seq = row.i64(0);
  SP_TRY(c.exec("INSERT INTO reception_operator_load(operator_id, assigned_seq) VALUES(?, ?) "
                "ON CONFLICT(operator_id) DO UPDATE SET assigned_seq = excluded.assigned_seq",
                {operatorId, seq}));
  return seq;
}

Result<bool> reassign(sql::Connection& c, const std::string& id, const std::string& from,
                      const std::string& to) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE visits SET operator_id = ?, call_state = 'none' WHERE id = ? "
                              "AND state = 'admitted' AND operator_id = ?",
                              {to, id, from}));
  return n == 1;
}

Result<std::vector<std::string>> assignable(sql::Connection& c, const std::string& officeId,
                                            int64_t limit) {
  SP_ASSIGN(auto rows,
            c.query("SELECT id FROM visits WHERE office_id = ? AND state = 'waiting' AND "
                    "away_since IS NULL AND reserved_for IS NULL ORDER BY knock_no LIMIT ?",
                    {officeId, limit}));
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.str(0));
  return out;
}

Result<std::optional<std::string>> activeCallOf(sql::Connection& c, const std::string& operatorId,
                                                const std::string& except) {
  SP_ASSIGN(auto rows, c.query("SELECT id FROM visits WHERE operator_id = ? AND call_state = "
                               "'active' AND state = 'admitted' AND id <> ? LIMIT 1",
                               {operatorId, except}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].str(0));
}

Result<bool> touch(sql::Connection& c, const std::string& id, int64_t now) {
  SP_ASSIGN(auto rows, c.query("UPDATE visits SET seen_at = ? WHERE id = ? AND seen_at <= ? AND "
                               "state IN ('waiting', 'admitted') RETURNING away_since",
                               {now, id, now}));
  return !rows.empty() && !rows[0].isNull(0);
}

Status markHere(sql::Connection& c, const std::string& id, int64_t now, bool back) {
  SP_TRY(c.exec(back ? "UPDATE visits SET here_at = ?, asked_at = NULL, away_since = NULL "
                       "WHERE id = ?"
                     : "UPDATE visits SET here_at = ?, asked_at = NULL WHERE id = ?",
                {now, id}));
  return okStatus();
}

Result<std::vector<Visit>> staleVisits(sql::Connection& c, int64_t seenBefore,
                                       int64_t operatorSeenBefore, int64_t idleBefore,
                                       int64_t askedBefore, int64_t limit) {
  SP_ASSIGN(auto rows,
            c.query(std::string("SELECT ") + kVisitCols +
                        " WHERE v.state IN ('waiting', 'admitted') AND (v.seen_at < ? OR "
                        "(v.state = 'admitted' AND op.seen_at > 0 AND op.seen_at < ?) OR "
                        "(v.state = 'waiting' AND v.away_since IS NULL AND v.asked_at IS NULL "
                        "AND v.here_at < ?) OR (v.state = 'waiting' AND v.asked_at < ?)) "
                        "ORDER BY v.seen_at LIMIT ?",
                    {seenBefore, operatorSeenBefore, idleBefore, askedBefore, limit}));
  std::vector<Visit> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(visitFrom(r));
  return out;
}

Result<int64_t> operatorSeenAt(sql::Connection& c, const std::string& operatorId) {
  SP_ASSIGN(auto row,
            c.one("SELECT seen_at FROM operators WHERE id = ?", {operatorId}, "operatore"));
  return row.i64(0);
}

Status setTokenHash(sql::Connection& c, const std::string& id, const std::string& tokenHash) {
  SP_TRY(c.exec("UPDATE visits SET token_hash = ? WHERE id = ?", {tokenHash, id}));
  return okStatus();
}

Result<int64_t> position(sql::Connection& c, const Visit& v, int64_t now, int64_t graceMs) {
  SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM visits WHERE office_id = ? AND state = "
                            "'waiting' AND away_since IS NULL AND knock_no < ?",
                            {v.officeId, v.knockNo}));
  int64_t ahead = row.i64(0);
  // The one line: the hall's tickets for the office's services that are served first are ahead
  // too (an appointment's visit is ahead of them all: it is served at its time).
  if (v.channel != VisitChannel::kAppointment) {
    SP_ASSIGN(auto t, c.one("SELECT COUNT(*) FROM queue_tickets t JOIN services s ON s.id = "
                            "t.service_id WHERE s.office_id = ? AND t.state = 'waiting' AND "
                            "(t.issued_at < ? OR t.priority IN ('pregnancy', 'age', "
                            "'disability') OR (t.priority = 'appointment' AND t.appointment_at "
                            "<= ?))",
                            {v.officeId, v.knockedAt, now + graceMs}));
    ahead += t.i64(0);
  }
  return ahead + 1;
}

Result<std::optional<double>> lineMark(sql::Connection& c, const std::string& officeId, int64_t at,
                                       bool aheadOfAll) {
  // Only waiting walk-ins care (appointments' knock numbers are below every walk-in's).
  SP_ASSIGN(auto row, c.one("SELECT MAX(CASE WHEN knocked_at <= ? THEN knock_no END), "
                            "MIN(knock_no) FROM visits WHERE office_id = ? AND state = 'waiting' "
                            "AND channel <> 'appointment'",
                            {at, officeId}));
  if (row.isNull(1)) return std::optional<double>();
  if (!aheadOfAll && !row.isNull(0)) {
    return std::optional<double>(static_cast<double>(row.i64(0)) + 0.5);
  }
  return std::optional<double>(static_cast<double>(row.i64(1)) - 0.5);
}

Result<int64_t> knocksAhead(sql::Connection& c, const std::string& officeId, int64_t issuedAt) {
  SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM visits WHERE office_id = ? AND state = "
                            "'waiting' AND away_since IS NULL AND (knocked_at < ? OR channel = "
                            "'appointment')",
                            {officeId, issuedAt}));
  return row.i64(0);
}

Result<QueueFigures> figures(sql::Connection& c, const std::string& officeId) {
  QueueFigures f;
  SP_ASSIGN(auto w, c.one("SELECT COUNT(*) FROM visits WHERE office_id = ? AND state = 'waiting' "
                          "AND away_since IS NULL",
                          {officeId}));
  f.waiting = w.i64(0);
  SP_ASSIGN(auto a, c.one("SELECT COUNT(*) FROM office_members m JOIN operators o ON o.id = "
                          "m.operator_id WHERE m.office_id = ? AND o.active = 1 AND o.presence = "
                          "'available'",
                          {officeId}));
  f.operatorsAvailable = a.i64(0);
  // Average handling time of the office's last 20 conversations.
  SP_ASSIGN(auto h, c.one("SELECT AVG(d) FROM (SELECT ended_at - admitted_at AS d FROM visits "
                          "WHERE office_id = ? AND state = 'ended' AND admitted_at IS NOT NULL "
                          "ORDER BY ended_at DESC LIMIT 20) recent",
                          {officeId}));
  f.avgHandleMs = h.isNull(0) ? kDefaultHandleMs : static_cast<int64_t>(h.f64(0));
  if (f.avgHandleMs <= 0) f.avgHandleMs = kDefaultHandleMs;
  return f;
}

namespace {
const sql::Columns<Message> kMessage{
    sql::col<&Message::seq>("m.seq"),       sql::col<&Message::from>("m.sender"),
    sql::col<&Message::body>("m.body"),     sql::col<&Message::clientId>("m.client_id"),
    sql::col<&Message::at>("m.created_at"), sql::col<&Message::operatorName>("op.display_name"),
};
const std::string kMessageCols =
    kMessage.select("FROM visit_messages m LEFT JOIN operators op ON op.id = m.operator_id ");

Message messageFrom(const sql::Row& r) {
  return kMessage.read(r);
}
}  // namespace

Result<Message> appendMessage(sql::Connection& c, Visit& v, const std::string& from,
                              const std::string& body, const std::string& clientId, int64_t now) {
  if (!clientId.empty()) {
    SP_ASSIGN(auto same, c.query(std::string(kMessageCols) +
                                     "WHERE m.visit_id = ? AND m.sender = ? AND m.client_id = ?",
                                 {v.id, from, clientId}));
    if (!same.empty()) return messageFrom(same[0]);
  }
  int64_t seq = v.lastMessage + 1;
  std::optional<std::string> op = from == "operator" ? v.operatorId : std::nullopt;
  SP_TRY(c.exec("INSERT INTO visit_messages(visit_id, seq, sender, operator_id, body, client_id, "
                "created_at) VALUES(?,?,?,?,?,?,?)",
                {v.id, seq, from, sql::optText(op), body, clientId, now}));
  SP_TRY(c.exec("UPDATE visits SET last_message = ? WHERE id = ?", {seq, v.id}));
  v.lastMessage = seq;
  Message m;
  m.seq = seq;
  m.from = from;
  m.body = body;
  m.clientId = clientId;
  m.at = now;
  if (op) m.operatorName = v.operatorName;
  return m;
}

Result<std::vector<Message>> messages(sql::Connection& c, const std::string& visitId,
                                      int64_t after) {
  SP_ASSIGN(auto rows, c.query(std::string(kMessageCols) +
                                   "WHERE m.visit_id = ? AND m.seq > ? ORDER BY m.seq LIMIT 1000",
                               {visitId, after}));
  std::vector<Message> out;
  for (auto& r : rows) out.push_back(messageFrom(r));
  return out;
}

namespace {
constexpr const char* kCallbackCols =
    "SELECT r.id, r.ente_id, r.office_id, o.slug, o.name, r.code, r.name, r.contact, r.message, "
    "r.state, r.created_at, r.done_at, op.display_name, r.note FROM callback_requests r JOIN "
    "offices o ON o.id = r.office_id LEFT JOIN operators op ON op.id = r.done_by ";
CallbackRequest callbackFrom(const sql::Row& r) {
  CallbackRequest x;
  x.id = r.str(0);
  x.enteId = r.str(1);
  x.officeId = r.str(2);
  x.officeSlug = r.str(3);
  x.officeName = r.str(4);
  x.code = r.str(5);
  x.name = r.str(6);
  x.contact = r.str(7);
  x.message = r.str(8);
  x.state = r.str(9);
  x.createdAt = r.i64(10);
  x.doneAt = r.optI64(11);
  x.doneBy = r.optStr(12);
  x.note = r.optStr(13);
  return x;
}
}  // namespace

Status insertCallback(sql::Connection& c, const CallbackRequest& r, int64_t now) {
  SP_TRY(c.exec("INSERT INTO callback_requests(id, ente_id, office_id, code, name, contact, "
                "message, state, privacy_accepted_at, created_at) VALUES(?,?,?,?,?,?,?,'new',?,?)",
                {r.id, r.enteId, r.officeId, r.code, r.name, r.contact, r.message, now, now}));
  return okStatus();
}

Result<CallbackRequest> callback(sql::Connection& c, const std::string& enteId,
                                 const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kCallbackCols) + "WHERE r.ente_id = ? AND r.id = ?",
                          {enteId, id}, "messaggio"));
  return callbackFrom(r);
}

Result<std::vector<CallbackRequest>> callbacks(sql::Connection& c, const std::string& enteId,
                                               const std::vector<std::string>& officeIds,
                                               const std::string& state) {
  std::vector<CallbackRequest> out;
  for (const auto& officeId : officeIds) {
    SP_ASSIGN(auto rows, c.query(std::string(kCallbackCols) +
                                     "WHERE r.ente_id = ? AND r.office_id = ? AND r.state = ? "
                                     "ORDER BY r.created_at LIMIT 500",
                                 {enteId, officeId, state}));
    for (auto& r : rows) out.push_back(callbackFrom(r));
  }
  return out;
}

Status markCallbackDone(sql::Connection& c, const std::string& id, const std::string& by,
                        const std::string& note, int64_t now) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE callback_requests SET state = 'done', done_at = ?, "
                              "done_by = ?, note = ? WHERE id = ? AND state = 'new'",
                              {now, by, note, id}));
  if (n != 1) return makeError(Errc::kConflict, "messaggio già gestito");
  return okStatus();
}

namespace {
constexpr const char* kKioskCols =
    "SELECT k.id, k.ente_id, k.office_id, o.slug, o.name, k.name, k.site_id, s.name, k.active, "
    "k.last_seen_at FROM kiosks k JOIN offices o ON o.id = k.office_id LEFT JOIN sites s ON "
    "s.id = k.site_id ";
Kiosk kioskFrom(const sql::Row& r) {
  Kiosk k;
  k.id = r.str(0);
  k.enteId = r.str(1);
  k.officeId = r.str(2);
  k.officeSlug = r.str(3);
  k.officeName = r.str(4);
  k.name = r.str(5);
  k.siteId = r.optStr(6);
  k.siteName = r.optStr(7);
  k.active = r.i64(8) != 0;
  k.lastSeenAt = r.optI64(9);
  return k;
}
}  // namespace

Status insertKiosk(sql::Connection& c, const Kiosk& k, const std::string& tokenHash, int64_t now) {
  SP_TRY(c.exec("INSERT INTO kiosks(id, ente_id, office_id, site_id, name, token_hash, active, "
                "created_at, last_seen_at) VALUES(?,?,?,?,?,?,1,?,NULL)",
                {k.id, k.enteId, k.officeId, sql::optText(k.siteId), k.name, tokenHash, now}));
  return okStatus();
}

Result<std::vector<Kiosk>> kiosks(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows,
            c.query(std::string(kKioskCols) + "WHERE k.ente_id = ? ORDER BY k.name", {enteId}));
  std::vector<Kiosk> out;
  for (auto& r : rows) out.push_back(kioskFrom(r));
  return out;
}

Result<Kiosk> kiosk(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kKioskCols) + "WHERE k.ente_id = ? AND k.id = ?",
                          {enteId, id}, "totem"));
  return kioskFrom(r);
}

Result<Kiosk> kioskByToken(sql::Connection& c, const std::string& tokenHash) {
  SP_ASSIGN(auto r, c.one(std::string(kKioskCols) + "WHERE k.token_hash = ? AND k.active = 1",
                          {tokenHash}, "totem"));
  return kioskFrom(r);
}

Status setKioskToken(sql::Connection& c, const std::string& id, const std::string& tokenHash) {
  SP_TRY(c.exec("UPDATE kiosks SET token_hash = ?, active = 1 WHERE id = ?", {tokenHash, id}));
  return okStatus();
}

Status deactivateKiosk(sql::Connection& c, const std::string& id) {
  SP_TRY(c.exec("UPDATE kiosks SET active = 0 WHERE id = ?", {id}));
  return okStatus();
}

Status touchKiosk(sql::Connection& c, const std::string& id, int64_t now) {
  SP_TRY(c.exec("UPDATE kiosks SET last_seen_at = ? WHERE id = ?", {now, id}));
  return okStatus();
}

Result<int64_t> purgePersonalData(sql::Connection& c, int64_t before) {
  SP_TRY(c.exec("DELETE FROM visit_messages WHERE visit_id IN (SELECT id FROM visits WHERE "
                "ended_at IS NOT NULL AND ended_at < ?)",
                {before}));
  SP_TRY(c.exec("DELETE FROM visit_notes WHERE visit_id IN (SELECT id FROM visits WHERE "
                "ended_at IS NOT NULL AND ended_at < ?)",
                {before}));
  SP_ASSIGN(int64_t n,
            c.exec("UPDATE visits SET name = '', topic = '', rating_comment = '' WHERE ended_at "
                   "IS NOT NULL AND ended_at < ? AND (name <> '' OR topic <> '' OR "
                   "rating_comment <> '')",
                   {before}));
  SP_TRY(c.exec("UPDATE callback_requests SET name = '', contact = '', message = '' WHERE state "
                "= 'done' AND done_at < ? AND contact <> ''",
                {before}));
  return n;
}

Status insertNote(sql::Connection& c, const VisitNote& n) {
  SP_TRY(c.exec("INSERT INTO visit_notes(id, visit_id, ente_id, office_id, author_id, "
                "author_name, body, at) VALUES(?,?,?,?,?,?,?,?)",
                {n.id, n.visitId, n.enteId, n.officeId, n.authorId, n.authorName, n.body, n.at}));
  return okStatus();
}

Result<std::vector<VisitNote>> notesOf(sql::Connection& c, const std::string& visitId) {
  SP_ASSIGN(auto rows, c.query("SELECT id, visit_id, ente_id, office_id, author_id, author_name, "
                               "body, at FROM visit_notes WHERE visit_id = ? ORDER BY at, id",
                               {visitId}));
  std::vector<VisitNote> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6),
                   r.i64(7)});
  }
  return out;
}

}  // namespace sportello::reception::store
