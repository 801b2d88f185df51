#include "staff/store.h"

#include "core/enum_names.h"
#include "platform/sql/columns.h"

namespace sportello::staff {

namespace {
constexpr auto kRoles = enumNames<Role>(
    {{Role::kOperator, "operator"}, {Role::kSupervisor, "supervisor"}, {Role::kAdmin, "admin"}});
static_assert(kRoles.distinct());
}  // namespace

const char* roleName(Role r) {
  return kRoles.name(r);
}

std::optional<Role> parseRole(std::string_view s) {
  return kRoles.parse(s);
}

}  // namespace sportello::staff

namespace sportello::staff::store {

std::vector<Migration> migrations() {
  return {{300, "staff",
           R"sql(
CREATE TABLE operators (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active BIGINT NOT NULL,
  presence TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, username)
);
CREATE TABLE office_members (
  operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  PRIMARY KEY (operator_id, office_id)
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  remote_addr TEXT NOT NULL
);
CREATE INDEX sessions_operator ON sessions(operator_id);
)sql",
           ""},
          {301, "staff liveness: when the operator's console was last connected",
           "ALTER TABLE operators ADD COLUMN seen_at BIGINT NOT NULL DEFAULT 0;\n"
           "ALTER TABLE operators ADD COLUMN gone_presence TEXT;",
           ""}};
}

namespace {

const sql::Columns<Operator> kOp{
    sql::col<&Operator::id>("o.id"),
    sql::col<&Operator::enteId>("o.ente_id"),
    sql::col<&Operator::username>("o.username"),
    sql::col<&Operator::displayName>("o.display_name"),
    sql::col<&Operator::email>("o.email"),
    {"o.role", [](Operator& op,
                  sql::RowReader& r) { op.role = parseRole(r.str()).value_or(Role::kOperator); }},
    sql::col<&Operator::presence>("o.presence"),
    sql::col<&Operator::active>("o.active"),
};
const std::string kOpCols = kOp.list();

Operator opFrom(const sql::Row& r) {
  return kOp.read(r);
}

Status loadOffices(sql::Connection& c, Operator& op) {
  SP_ASSIGN(auto rows, c.query("SELECT f.id, f.slug, f.name FROM office_members m JOIN offices f "
                               "ON f.id = m.office_id WHERE m.operator_id = ? ORDER BY f.sort, "
                               "f.name",
                               {op.id}));
  op.offices.clear();
  for (auto& r : rows) op.offices.push_back(OfficeRef{r.str(0), r.str(1), r.str(2)});
  return okStatus();
}

}  // namespace

Result<Credentials> credentials(sql::Connection& c, const std::string& enteSlug,
                                const std::string& username) {
  SP_ASSIGN(auto r, c.one(std::string("SELECT ") + kOpCols +
                              ", o.password_hash FROM operators o JOIN enti e ON e.id = "
                              "o.ente_id WHERE e.slug = ? AND o.username = ?",
                          {enteSlug, username}, "operatore"));
  Credentials cr{opFrom(r), r.str(kOp.size())};
  SP_TRY(loadOffices(c, cr.op));
  return cr;
}

Result<std::string> passwordHash(sql::Connection& c, const std::string& operatorId) {
  SP_ASSIGN(auto r,
            c.one("SELECT password_hash FROM operators WHERE id = ?", {operatorId}, "operatore"));
  return r.str(0);
}

Result<Operator> operatorById(sql::Connection& c, const std::string& enteId,
                              const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string("SELECT ") + kOpCols +
                              " FROM operators o WHERE o.ente_id = ? AND o.id = ?",
                          {enteId, id}, "operatore"));
  Operator op = opFrom(r);
  SP_TRY(loadOffices(c, op));
  return op;
}

Result<std::vector<Operator>> listOperators(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kOpCols +
                                   " FROM operators o WHERE o.ente_id = ? ORDER BY o.display_name",
                               {enteId}));
  std::vector<Operator> out;
  for (auto& r : rows) {
    out.push_back(opFrom(r));
    SP_TRY(loadOffices(c, out.back()));
  }
  return out;
}

Status insertOperator(sql::Connection& c, const Operator& op, const std::string& hash,
                      int64_t now) {
  SP_TRY(
      c.exec("INSERT INTO operators(id, ente_id, username, display_name, email, role, "
             "password_hash, active, presence, created_at, updated_at) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?)",
             {op.id, op.enteId, op.username, op.displayName, op.email, roleName(op.role), hash,
              int64_t{op.active ? 1 : 0}, op.presence, now, now}));
  return okStatus();
}

Status updateOperator(sql::Connection& c, const Operator& op, int64_t now) {
  SP_ASSIGN(auto n, c.exec("UPDATE operators SET username=?, display_name=?, email=?, role=?, "
                           "active=?, updated_at=? WHERE ente_id=? AND id=?",
                           {op.username, op.displayName, op.email, roleName(op.role),
                            int64_t{op.active ? 1 : 0}, now, op.enteId, op.id}));
  if (n == 0) return makeError(Errc::kNotFound, "operatore non trovato");
  return okStatus();
}

Status setPassword(sql::Connection& c, const std::string& operatorId, const std::string& hash,
                   int64_t now) {
  SP_TRY(c.exec("UPDATE operators SET password_hash=?, updated_at=? WHERE id=?",
                {hash, now, operatorId}));
  return okStatus();
}

Status setPresence(sql::Connection& c, const std::string& operatorId, const std::string& p) {
  SP_TRY(c.exec("UPDATE operators SET presence=?, gone_presence=NULL WHERE id=?", {p, operatorId}));
  return okStatus();
}

Result<std::optional<std::string>> touch(sql::Connection& c, const std::string& operatorId,
                                         int64_t now) {
  SP_TRY(c.exec("UPDATE operators SET seen_at=? WHERE id=? AND seen_at<?", {now, operatorId, now}));
  SP_ASSIGN(auto rows, c.query("SELECT gone_presence FROM operators WHERE id=? AND active=1 AND "
                               "gone_presence IS NOT NULL",
                               {operatorId}));
  if (rows.empty()) return std::optional<std::string>();
  std::string back = rows[0].str(0);
  SP_ASSIGN(int64_t n, c.exec("UPDATE operators SET presence=?, gone_presence=NULL WHERE id=? AND "
                              "gone_presence IS NOT NULL",
                              {back, operatorId}));
  if (n != 1) return std::optional<std::string>();
  return std::optional<std::string>(back);
}

Result<std::vector<std::string>> goneOperators(sql::Connection& c, int64_t seenBefore) {
  SP_ASSIGN(auto rows, c.query("SELECT id FROM operators WHERE active=1 AND presence<>'away' AND "
                               "seen_at>0 AND seen_at<? LIMIT 500",
                               {seenBefore}));
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.str(0));
  return out;
}

Result<bool> markGone(sql::Connection& c, const std::string& operatorId, int64_t seenBefore) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE operators SET gone_presence=presence, presence='away' WHERE "
                              "id=? AND active=1 AND presence<>'away' AND seen_at>0 AND seen_at<?",
                              {operatorId, seenBefore}));
  return n == 1;
}

Status setOffices(sql::Connection& c, const std::string& enteId, const std::string& operatorId,
                  const std::vector<std::string>& officeIds) {
  SP_TRY(c.exec("DELETE FROM office_members WHERE operator_id = ?", {operatorId}));
  for (const auto& id : officeIds) {
    SP_ASSIGN(auto n, c.exec("INSERT INTO office_members(operator_id, office_id) SELECT ?, id "
                             "FROM offices WHERE id = ? AND ente_id = ?",
                             {operatorId, id, enteId}));
    if (n == 0) return makeError(Errc::kInvalid, "ufficio sconosciuto: " + id, "office_ids");
  }
  return okStatus();
}

Status insertSession(sql::Connection& c, const std::string& hash, const std::string& operatorId,
                     const std::string& enteId, const std::string& csrf, int64_t now,
                     int64_t expires, const std::string& remote) {
  SP_TRY(
      c.exec("INSERT INTO sessions(token_hash, operator_id, ente_id, "
             "csrf_token, created_at, "
             "expires_at, remote_addr) VALUES(?,?,?,?,?,?,?)",
             {hash, operatorId, enteId, csrf, now, expires, remote}));
  return okStatus();
}

Result<StaffContext> session(sql::Connection& c, const std::string& hash, int64_t now) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kOpCols +
                                   ", s.csrf_token, e.slug FROM sessions s JOIN operators o ON "
                                   "o.id = s.operator_id JOIN enti e ON e.id = s.ente_id WHERE "
                                   "s.token_hash = ? AND s.expires_at > ? AND o.active = 1",
                               {hash, now}));
  if (rows.empty()) return makeError(Errc::kUnauthorized, "sessione scaduta o non valida");
  StaffContext ctx;
  ctx.op = opFrom(rows[0]);
  ctx.csrfToken = rows[0].str(kOp.size());
  ctx.enteSlug = rows[0].str(kOp.size() + 1);
  ctx.sessionHash = hash;
  SP_TRY(loadOffices(c, ctx.op));
  return ctx;
}

Status deleteSession(sql::Connection& c, const std::string& hash) {
  SP_TRY(c.exec("DELETE FROM sessions WHERE token_hash = ?", {hash}));
  return okStatus();
}

Status deleteSessionsOf(sql::Connection& c, const std::string& operatorId,
                        const std::string& exceptHash) {
  SP_TRY(c.exec("DELETE FROM sessions WHERE operator_id = ? AND token_hash <> ?",
                {operatorId, exceptHash}));
  return okStatus();
}

Status deleteExpiredSessions(sql::Connection& c, int64_t now) {
  SP_TRY(c.exec("DELETE FROM sessions WHERE expires_at <= ?", {now}));
  return okStatus();
}

}  // namespace sportello::staff::store
