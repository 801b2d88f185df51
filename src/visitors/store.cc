#include "visitors/store.h"

#include "core/token.h"

namespace sportello::visitors::store {

std::vector<Migration> migrations() {
  return {{1000, "visitors: info point, areas, turnstiles, passes, checks, list views",
           R"sql(
CREATE TABLE visitor_settings (
  ente_id TEXT PRIMARY KEY REFERENCES enti(id) ON DELETE CASCADE,
  info_office_id TEXT REFERENCES offices(id) ON DELETE SET NULL,
  retention_hours BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE visitor_areas (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, name)
);
CREATE TABLE visitor_area_offices (
  area_id TEXT NOT NULL REFERENCES visitor_areas(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  PRIMARY KEY (area_id, office_id)
);
CREATE INDEX visitor_area_offices_office ON visitor_area_offices(office_id);
CREATE TABLE visitor_turnstiles (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  area_id TEXT NOT NULL REFERENCES visitor_areas(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  active BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT
);
CREATE TABLE visitors (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  doc_type TEXT,
  doc_tail TEXT,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  host_operator_id TEXT,
  host_name TEXT,
  reason TEXT NOT NULL,
  expected_minutes BIGINT NOT NULL,
  expected_at BIGINT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  confirmed_by TEXT,
  confirmed_at BIGINT,
  pass_hash TEXT UNIQUE,
  valid_from BIGINT,
  valid_until BIGINT,
  revoked_at BIGINT,
  inside_area_id TEXT,
  entered_at BIGINT,
  exited_at BIGINT,
  flagged_at BIGINT,
  check_seq BIGINT NOT NULL
);
CREATE INDEX visitors_ente_created ON visitors(ente_id, created_at);
CREATE INDEX visitors_inside ON visitors(inside_area_id);
CREATE TABLE visitor_checks (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  visitor_id TEXT,
  turnstile_id TEXT NOT NULL,
  area_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  allowed BIGINT NOT NULL,
  reason TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX visitor_checks_ente_at ON visitor_checks(ente_id, at);
CREATE INDEX visitor_checks_visitor ON visitor_checks(visitor_id);
CREATE TABLE visitor_list_views (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  operator_id TEXT NOT NULL,
  operator_name TEXT NOT NULL,
  what TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX visitor_list_views_ente_at ON visitor_list_views(ente_id, at);
)sql",
           ""}};
}

// ---- settings ----

Result<Settings> settings(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query("SELECT s.info_office_id, o.name, s.retention_hours FROM "
                               "visitor_settings s LEFT JOIN offices o ON o.id = s.info_office_id "
                               "WHERE s.ente_id = ?",
                               {enteId}));
  Settings s;
  s.enteId = enteId;
  if (!rows.empty()) {
    s.infoOfficeId = rows[0].optStr(0);
    s.infoOfficeName = rows[0].optStr(1);
    s.retentionHours = rows[0].i64(2);
  }
  return s;
}

Status saveSettings(sql::Connection& c, const Settings& s, int64_t now) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE visitor_settings SET info_office_id = ?, retention_hours = "
                              "?, updated_at = ? WHERE ente_id = ?",
                              {sql::optText(s.infoOfficeId), s.retentionHours, now, s.enteId}));
  if (n == 0) {
    SP_TRY(c.exec("INSERT INTO visitor_settings(ente_id, info_office_id, retention_hours, "
                  "updated_at) VALUES(?,?,?,?)",
                  {s.enteId, sql::optText(s.infoOfficeId), s.retentionHours, now}));
  }
  return okStatus();
}

// ---- areas ----

namespace {
Status loadOffices(sql::Connection& c, Area& a) {
  SP_ASSIGN(auto rows, c.query("SELECT o.id, o.name FROM visitor_area_offices ao JOIN offices o "
                               "ON o.id = ao.office_id WHERE ao.area_id = ? ORDER BY o.name",
                               {a.id}));
  a.offices.clear();
  for (auto& r : rows) a.offices.push_back({r.str(0), r.str(1)});
  return okStatus();
}

Status insertOffices(sql::Connection& c, const Area& a) {
  for (const auto& o : a.offices) {
    SP_TRY(c.exec("INSERT INTO visitor_area_offices(area_id, office_id) VALUES(?,?)",
                  {a.id, o.id}));
  }
  return okStatus();
}
}  // namespace

Result<std::vector<Area>> areas(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query("SELECT id, ente_id, name FROM visitor_areas WHERE ente_id = ? "
                               "ORDER BY name",
                               {enteId}));
  std::vector<Area> out;
  for (auto& r : rows) {
    Area a{r.str(0), r.str(1), r.str(2), {}};
    SP_TRY(loadOffices(c, a));
    out.push_back(std::move(a));
  }
  return out;
}

Result<Area> area(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto rows, c.query("SELECT id, ente_id, name FROM visitor_areas WHERE ente_id = ? "
                               "AND id = ?",
                               {enteId, id}));
  if (rows.empty()) return makeError(Errc::kNotFound, "area non trovata");
  const auto& r = rows[0];
  Area a{r.str(0), r.str(1), r.str(2), {}};
  SP_TRY(loadOffices(c, a));
  return a;
}

Status insertArea(sql::Connection& c, const Area& a, int64_t now) {
  SP_TRY(c.exec("INSERT INTO visitor_areas(id, ente_id, name, created_at) VALUES(?,?,?,?)",
                {a.id, a.enteId, a.name, now}));
  return insertOffices(c, a);
}

Status updateArea(sql::Connection& c, const Area& a) {
  SP_TRY(c.exec("UPDATE visitor_areas SET name = ? WHERE id = ?", {a.name, a.id}));
  SP_TRY(c.exec("DELETE FROM visitor_area_offices WHERE area_id = ?", {a.id}));
  return insertOffices(c, a);
}

Status deleteArea(sql::Connection& c, const std::string& id) {
  SP_TRY(c.exec("DELETE FROM visitor_areas WHERE id = ?", {id}));
  return okStatus();
}

Result<std::vector<std::string>> areasOfOffice(sql::Connection& c, const std::string& officeId) {
  SP_ASSIGN(auto rows,
            c.query("SELECT area_id FROM visitor_area_offices WHERE office_id = ?", {officeId}));
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.str(0));
  return out;
}

// ---- turnstiles ----

namespace {
constexpr const char* kTurnstileCols =
    "SELECT t.id, t.ente_id, t.area_id, a.name, t.name, t.active, t.last_seen_at FROM "
    "visitor_turnstiles t JOIN visitor_areas a ON a.id = t.area_id ";
Turnstile turnstileFrom(const sql::Row& r) {
  Turnstile t;
  t.id = r.str(0);
  t.enteId = r.str(1);
  t.areaId = r.str(2);
  t.areaName = r.str(3);
  t.name = r.str(4);
  t.active = r.i64(5) != 0;
  t.lastSeenAt = r.optI64(6);
  return t;
}
}  // namespace

Status insertTurnstile(sql::Connection& c, const Turnstile& t, const std::string& tokenHash,
                       int64_t now) {
  SP_TRY(c.exec("INSERT INTO visitor_turnstiles(id, ente_id, area_id, name, token_hash, active, "
                "created_at, last_seen_at) VALUES(?,?,?,?,?,1,?,NULL)",
                {t.id, t.enteId, t.areaId, t.name, tokenHash, now}));
  return okStatus();
}

Result<std::vector<Turnstile>> turnstiles(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query(std::string(kTurnstileCols) +
                                   "WHERE t.ente_id = ? ORDER BY a.name, t.name",
                               {enteId}));
  std::vector<Turnstile> out;
  for (auto& r : rows) out.push_back(turnstileFrom(r));
  return out;
}

Result<Turnstile> turnstile(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kTurnstileCols) + "WHERE t.ente_id = ? AND t.id = ?",
                          {enteId, id}, "tornello"));
  return turnstileFrom(r);
}

Result<Turnstile> turnstileByToken(sql::Connection& c, const std::string& tokenHash) {
  SP_ASSIGN(auto r, c.one(std::string(kTurnstileCols) + "WHERE t.token_hash = ? AND t.active = 1",
                          {tokenHash}, "tornello"));
  return turnstileFrom(r);
}

Status setTurnstileToken(sql::Connection& c, const std::string& id, const std::string& tokenHash) {
  SP_TRY(c.exec("UPDATE visitor_turnstiles SET token_hash = ?, active = 1 WHERE id = ?",
                {tokenHash, id}));
  return okStatus();
}

Status deactivateTurnstile(sql::Connection& c, const std::string& id) {
  SP_TRY(c.exec("UPDATE visitor_turnstiles SET active = 0 WHERE id = ?", {id}));
  return okStatus();
}

Status touchTurnstile(sql::Connection& c, const std::string& id, int64_t now) {
  SP_TRY(c.exec("UPDATE visitor_turnstiles SET last_seen_at = ? WHERE id = ?", {now, id}));
  return okStatus();
}

// ---- visitors ----

namespace {
constexpr const char* kVisitorCols =
    "SELECT v.id, v.ente_id, v.state, v.first_name, v.last_name, v.doc_type, v.doc_tail, "
    "v.office_id, o.name, v.host_operator_id, v.host_name, v.reason, v.expected_minutes, "
    "v.expected_at, v.created_by, v.created_at, v.confirmed_by, v.confirmed_at, v.pass_hash, "
    "v.valid_from, v.valid_until, v.revoked_at, v.inside_area_id, a.name, v.entered_at, "
    "v.exited_at, v.flagged_at, v.check_seq FROM visitors v JOIN offices o ON o.id = "
    "v.office_id LEFT JOIN visitor_areas a ON a.id = v.inside_area_id ";
Visitor visitorFrom(const sql::Row& r) {
  Visitor v;
  v.id = r.str(0);
  v.enteId = r.str(1);
  v.state = parseState(r.str(2)).value_or(VisitorState::kRegistered);
  v.firstName = r.str(3);
  v.lastName = r.str(4);
  v.docType = r.optStr(5);
  v.docTail = r.optStr(6);
  v.officeId = r.str(7);
  v.officeName = r.str(8);
  v.hostOperatorId = r.optStr(9);
  v.hostName = r.optStr(10);
  v.reason = r.str(11);
  v.expectedMinutes = r.i64(12);
  v.expectedAt = r.optI64(13);
  v.createdBy = r.optStr(14);
  v.createdAt = r.i64(15);
  v.confirmedBy = r.optStr(16);
  v.confirmedAt = r.optI64(17);
  v.hasPass = !r.isNull(18);
  v.validFrom = r.i64(19);
  v.validUntil = r.i64(20);
  v.revokedAt = r.optI64(21);
  v.insideAreaId = r.optStr(22);
  v.insideAreaName = r.optStr(23);
  v.enteredAt = r.optI64(24);
  v.exitedAt = r.optI64(25);
  v.flaggedAt = r.optI64(26);
  v.checkSeq = r.i64(27);
  return v;
}
sql::Value optI(const std::optional<int64_t>& v) {
  return v ? sql::Value(*v) : sql::null();
}
}  // namespace

Status insertVisitor(sql::Connection& c, const Visitor& v,
                     const std::optional<std::string>& passHash) {
  SP_TRY(c.exec(
      "INSERT INTO visitors(id, ente_id, state, first_name, last_name, doc_type, doc_tail, "
      "office_id, host_operator_id, host_name, reason, expected_minutes, expected_at, created_by, "
      "created_at, confirmed_by, confirmed_at, pass_hash, valid_from, valid_until, check_seq) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
      {v.id, v.enteId, stateName(v.state), v.firstName, v.lastName, sql::optText(v.docType),
       sql::optText(v.docTail), v.officeId, sql::optText(v.hostOperatorId),
       sql::optText(v.hostName), v.reason, v.expectedMinutes, optI(v.expectedAt),
       sql::optText(v.createdBy), v.createdAt, sql::optText(v.confirmedBy), optI(v.confirmedAt),
       sql::optText(passHash), v.hasPass ? sql::Value(v.validFrom) : sql::null(),
       v.hasPass ? sql::Value(v.validUntil) : sql::null()}));
  return okStatus();
}

Result<Visitor> visitor(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kVisitorCols) + "WHERE v.ente_id = ? AND v.id = ?",
                          {enteId, id}, "visitatore"));
  return visitorFrom(r);
}

Result<Visitor> visitorByPass(sql::Connection& c, const std::string& passHash) {
  SP_ASSIGN(auto r, c.one(std::string(kVisitorCols) + "WHERE v.pass_hash = ?", {passHash},
                          "pass"));
  return visitorFrom(r);
}

Status confirm(sql::Connection& c, const Visitor& v, const std::string& passHash) {
  SP_ASSIGN(int64_t n,
            c.exec("UPDATE visitors SET state = 'registered', confirmed_by = ?, confirmed_at = "
                   "?, pass_hash = ?, valid_from = ?, valid_until = ?, doc_type = ?, doc_tail = "
                   "?, check_seq = check_seq + 1 WHERE id = ? AND state = 'expected'",
                   {sql::optText(v.confirmedBy), optI(v.confirmedAt), passHash, v.validFrom,
                    v.validUntil, sql::optText(v.docType), sql::optText(v.docTail), v.id}));
  if (n != 1) return makeError(Errc::kConflict, "visitatore già registrato");
  return okStatus();
}

Status replacePass(sql::Connection& c, const Visitor& v, const std::string& passHash) {
  SP_TRY(c.exec("UPDATE visitors SET pass_hash = ?, valid_from = ?, valid_until = ?, revoked_at "
                "= NULL, check_seq = check_seq + 1 WHERE id = ?",
                {passHash, v.validFrom, v.validUntil, v.id}));
  return okStatus();
}

Status revokePass(sql::Connection& c, const std::string& id, int64_t now) {
  SP_TRY(c.exec("UPDATE visitors SET revoked_at = ?, check_seq = check_seq + 1 WHERE id = ?",
                {now, id}));
  return okStatus();
}

Result<bool> movePass(sql::Connection& c, const Visitor& v, int64_t now) {
  int64_t n = 0;
  if (v.insideAreaId) {
    SP_ASSIGN(n, c.exec("UPDATE visitors SET inside_area_id = ?, entered_at = ?, exited_at = "
                        "NULL, check_seq = check_seq + 1 WHERE id = ? AND check_seq = ?",
                        {*v.insideAreaId, now, v.id, v.checkSeq}));
  } else {
    SP_ASSIGN(n, c.exec("UPDATE visitors SET inside_area_id = NULL, exited_at = ?, flagged_at = "
                        "NULL, check_seq = check_seq + 1 WHERE id = ? AND check_seq = ?",
                        {now, v.id, v.checkSeq}));
  }
  return n == 1;
}

Status insertCheck(sql::Connection& c, const CheckRecord& r) {
  SP_TRY(c.exec("INSERT INTO visitor_checks(id, ente_id, visitor_id, turnstile_id, area_id, "
                "direction, allowed, reason, at) VALUES(?,?,?,?,?,?,?,?,?)",
                {r.id, r.enteId, sql::optText(r.visitorId), r.turnstileId, r.areaId, r.direction,
                 int64_t{r.allowed ? 1 : 0}, r.reason, r.at}));
  return okStatus();
}

Result<std::vector<Visitor>> visitors(sql::Connection& c, const VisitorFilter& f) {
  std::string q = std::string(kVisitorCols) +
                  "WHERE v.ente_id = ? AND ((v.created_at >= ? AND v.created_at < ?) OR "
                  "(v.expected_at >= ? AND v.expected_at < ?) OR (v.valid_until > ? AND "
                  "v.valid_from < ?) OR v.inside_area_id IS NOT NULL)";
  std::vector<sql::Value> p{f.enteId, f.from, f.to, f.from, f.to, f.from, f.to};
  if (f.officeIds) {
    if (f.officeIds->empty()) return std::vector<Visitor>{};
    q += " AND v.office_id IN (";
    for (size_t i = 0; i < f.officeIds->size(); ++i) {
      q += i ? ",?" : "?";
      p.emplace_back((*f.officeIds)[i]);
    }
    q += ")";
  }
  q += " ORDER BY COALESCE(v.expected_at, v.created_at), v.last_name, v.id";
  SP_ASSIGN(auto rows, c.query(q, p));
  std::vector<Visitor> out;
  for (auto& r : rows) out.push_back(visitorFrom(r));
  return out;
}

Result<std::vector<Visitor>> inside(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query(std::string(kVisitorCols) +
                                   "WHERE v.ente_id = ? AND v.inside_area_id IS NOT NULL ORDER BY "
                                   "a.name, v.entered_at, v.id",
                               {enteId}));
  std::vector<Visitor> out;
  for (auto& r : rows) out.push_back(visitorFrom(r));
  return out;
}

Result<std::vector<HourCount>> checksPerHour(sql::Connection& c, const std::string& enteId,
                                             int64_t from, int64_t to) {
  SP_ASSIGN(auto rows,
            c.query("SELECT (at / 3600000) * 3600000 AS h, "
                    "SUM(CASE WHEN allowed = 1 AND direction = 'in' THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN allowed = 1 AND direction = 'out' THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN allowed = 0 THEN 1 ELSE 0 END) FROM visitor_checks WHERE "
                    "ente_id = ? AND at >= ? AND at < ? GROUP BY h ORDER BY h",
                    {enteId, from, to}));
  std::vector<HourCount> out;
  for (auto& r : rows) out.push_back({r.i64(0), r.i64(1), r.i64(2), r.i64(3)});
  return out;
}

Status insertListView(sql::Connection& c, const std::string& enteId, const ListView& v) {
  SP_TRY(c.exec("INSERT INTO visitor_list_views(id, ente_id, operator_id, operator_name, what, "
                "at) VALUES(?,?,?,?,?,?)",
                {newId(), enteId, v.operatorId, v.operatorName, v.what, v.at}));
  return okStatus();
}

Result<std::vector<ListView>> listViews(sql::Connection& c, const std::string& enteId,
                                        int64_t since) {
  SP_ASSIGN(auto rows, c.query("SELECT operator_id, operator_name, what, at FROM "
                               "visitor_list_views WHERE ente_id = ? AND at >= ? ORDER BY at "
                               "DESC, id LIMIT 500",
                               {enteId, since}));
  std::vector<ListView> out;
  for (auto& r : rows) out.push_back({r.str(0), r.str(1), r.str(2), r.i64(3)});
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> flagOverstays(sql::Connection& c,
                                                                      int64_t now) {
  SP_ASSIGN(auto rows, c.query("SELECT id, ente_id FROM visitors WHERE inside_area_id IS NOT NULL "
                               "AND flagged_at IS NULL AND valid_until <= ?",
                               {now}));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& r : rows) {
    SP_TRY(c.exec("UPDATE visitors SET flagged_at = ? WHERE id = ?", {now, r.str(0)}));
    out.emplace_back(r.str(0), r.str(1));
  }
  return out;
}

Result<int64_t> eraseVisitors(sql::Connection& c, const std::string& enteId, int64_t before) {
  constexpr const char* kOld =
      "SELECT id FROM visitors WHERE ente_id = ? AND COALESCE(exited_at, valid_until, "
      "expected_at, created_at) < ? AND created_at < ?";
  SP_TRY(c.exec(std::string("UPDATE visitor_checks SET visitor_id = NULL WHERE visitor_id IN (") +
                    kOld + ")",
                {enteId, before, before}));
  SP_ASSIGN(int64_t n, c.exec("DELETE FROM visitors WHERE id IN (" + std::string(kOld) + ")",
                              {enteId, before, before}));
  return n;
}

Result<std::vector<std::pair<std::string, int64_t>>> retentionByEnte(sql::Connection& c) {
  SP_ASSIGN(auto rows,
            c.query("SELECT v.ente_id, COALESCE(MAX(s.retention_hours), ?) FROM visitors v LEFT "
                    "JOIN visitor_settings s ON s.ente_id = v.ente_id GROUP BY v.ente_id",
                    {kDefaultRetentionHours}));
  std::vector<std::pair<std::string, int64_t>> out;
  for (auto& r : rows) out.emplace_back(r.str(0), r.i64(1));
  return out;
}

Result<int64_t> purgeLogs(sql::Connection& c, int64_t before) {
  SP_ASSIGN(int64_t a, c.exec("DELETE FROM visitor_list_views WHERE at < ?", {before}));
  SP_ASSIGN(int64_t b, c.exec("DELETE FROM visitor_checks WHERE at < ?", {before}));
  return a + b;
}

}  // namespace sportello::visitors::store
