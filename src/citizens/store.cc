#include "citizens/store.h"

namespace sportello::citizens {

const char* clientAuthName(ClientAuth a) {
  switch (a) {
    case ClientAuth::kSecretBasic: return "client_secret_basic";
    case ClientAuth::kSecretPost: return "client_secret_post";
    case ClientAuth::kPrivateKeyJwt: return "private_key_jwt";
  }
  return "client_secret_basic";
}

bool parseClientAuth(std::string_view s, ClientAuth& out) {
  for (auto a : {ClientAuth::kSecretBasic, ClientAuth::kSecretPost, ClientAuth::kPrivateKeyJwt}) {
    if (s == clientAuthName(a)) {
      out = a;
      return true;
    }
  }
  return false;
}

}  // namespace sportello::citizens

namespace sportello::citizens::store {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE citizen_providers (
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  provider_key TEXT NOT NULL,
  label TEXT NOT NULL,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  auth TEXT NOT NULL,
  client_secret TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  scopes TEXT NOT NULL,
  fiscal_claim TEXT NOT NULL,
  enabled BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (ente_id, provider_key)
);
CREATE TABLE citizen_logins (
  state_hash TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  provider_key TEXT NOT NULL,
  browser_hash TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX citizen_logins_expiry ON citizen_logins(expires_at);
CREATE TABLE citizens (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  fiscal_number TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  provider_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_login_at BIGINT NOT NULL,
  UNIQUE (ente_id, fiscal_number)
);
CREATE TABLE citizen_sessions (
  token_hash TEXT PRIMARY KEY,
  citizen_id TEXT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  ente_id TEXT NOT NULL,
  csrf TEXT NOT NULL,
  provider_key TEXT NOT NULL,
  id_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX citizen_sessions_citizen ON citizen_sessions(citizen_id);
)sql";

constexpr const char* kProviderCols =
    "ente_id, provider_key, label, issuer, client_id, auth, client_secret, private_jwk, scopes, "
    "fiscal_claim, enabled, updated_at";

Provider providerOf(const sql::Row& r) {
  Provider p;
  p.enteId = r.str(0);
  p.key = r.str(1);
  p.label = r.str(2);
  p.issuer = r.str(3);
  p.clientId = r.str(4);
  parseClientAuth(r.str(5), p.auth);
  p.clientSecret = r.str(6);
  p.privateJwk = r.str(7);
  p.scopes = r.str(8);
  p.fiscalClaim = r.str(9);
  p.enabled = r.i64(10) != 0;
  p.updatedAt = r.i64(11);
  return p;
}

constexpr const char* kCitizenCols =
    "id, ente_id, fiscal_number, given_name, family_name, email, phone, provider_key, "
    "last_login_at";

Citizen citizenOf(const sql::Row& r) {
  return {r.str(0), r.str(1), r.str(2), r.str(3), r.str(4),
          r.str(5), r.str(6), r.str(7), r.i64(8)};
}

}  // namespace

std::vector<Migration> migrations() {
  return {{1100, "citizens: OpenID providers, sign-ins, citizens, sessions", kSchema, ""},
          {1101, "citizens: objects claimed by or made for a signed-in citizen",
           "CREATE TABLE citizen_objects (\n"
           "  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,\n"
           "  kind TEXT NOT NULL,\n"
           "  object_ref TEXT NOT NULL,\n"
           "  citizen_id TEXT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,\n"
           "  linked_at BIGINT NOT NULL,\n"
           "  PRIMARY KEY (ente_id, kind, object_ref)\n"
           ");\n"
           "CREATE INDEX citizen_objects_citizen ON citizen_objects(citizen_id, kind);",
           ""}};
}

Status upsertProvider(sql::Connection& c, const Provider& p) {
  SP_ASSIGN(auto n, c.exec("UPDATE citizen_providers SET label = ?, issuer = ?, client_id = ?, "
                           "auth = ?, client_secret = ?, private_jwk = ?, scopes = ?, "
                           "fiscal_claim = ?, enabled = ?, updated_at = ? "
                           "WHERE ente_id = ? AND provider_key = ?",
                           {p.label, p.issuer, p.clientId, clientAuthName(p.auth), p.clientSecret,
                            p.privateJwk, p.scopes, p.fiscalClaim, int64_t{p.enabled},
                            p.updatedAt, p.enteId, p.key}));
  if (n > 0) return {};
  SP_TRY(c.exec(std::string("INSERT INTO citizen_providers(") + kProviderCols +
                    ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                {p.enteId, p.key, p.label, p.issuer, p.clientId, clientAuthName(p.auth),
                 p.clientSecret, p.privateJwk, p.scopes, p.fiscalClaim, int64_t{p.enabled},
                 p.updatedAt}));
  return {};
}

Result<std::vector<Provider>> providers(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kProviderCols +
                                   " FROM citizen_providers WHERE ente_id = ? ORDER BY provider_key",
                               {enteId}));
  std::vector<Provider> out;
  for (const auto& r : rows) out.push_back(providerOf(r));
  return out;
}

Result<Provider> provider(sql::Connection& c, const std::string& enteId, const std::string& key) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kProviderCols +
                                   " FROM citizen_providers WHERE ente_id = ? AND provider_key = ?",
                               {enteId, key}));
  if (rows.empty()) return makeError(Errc::kNotFound, "fornitore di identità non trovato");
  return providerOf(rows[0]);
}

Result<int64_t> deleteProvider(sql::Connection& c, const std::string& enteId,
                               const std::string& key) {
  return c.exec("DELETE FROM citizen_providers WHERE ente_id = ? AND provider_key = ?", {enteId, key});
}

Status insertPending(sql::Connection& c, const PendingLogin& p) {
  SP_TRY(c.exec("INSERT INTO citizen_logins(state_hash, ente_id, provider_key, browser_hash, "
                "nonce, code_verifier, return_to, expires_at) VALUES(?,?,?,?,?,?,?,?)",
                {p.stateHash, p.enteId, p.providerKey, p.browserHash, p.nonce, p.codeVerifier,
                 p.returnTo, p.expiresAt}));
  return {};
}

Result<PendingLogin> takePending(sql::Connection& c, const std::string& stateHash) {
  SP_ASSIGN(auto rows, c.query("SELECT state_hash, ente_id, provider_key, browser_hash, nonce, "
                               "code_verifier, return_to, expires_at FROM citizen_logins "
                               "WHERE state_hash = ?",
                               {stateHash}));
  if (rows.empty()) return makeError(Errc::kUnauthorized, "accesso non riconosciuto (state)");
  SP_TRY(c.exec("DELETE FROM citizen_logins WHERE state_hash = ?", {stateHash}));
  const auto& r = rows[0];
  return PendingLogin{r.str(0), r.str(1), r.str(2), r.str(3),
                      r.str(4), r.str(5), r.str(6), r.i64(7)};
}

Status deleteExpiredPending(sql::Connection& c, int64_t nowMs) {
  SP_TRY(c.exec("DELETE FROM citizen_logins WHERE expires_at <= ?", {nowMs}));
  return {};
}

Result<Citizen> upsertCitizen(sql::Connection& c, const Citizen& a, int64_t nowMs) {
  SP_ASSIGN(auto rows, c.query("SELECT id FROM citizens WHERE ente_id = ? AND fiscal_number = ?",
                               {a.enteId, a.fiscalNumber}));
  std::string id;
  if (rows.empty()) {
    id = a.id;
    SP_TRY(c.exec(std::string("INSERT INTO citizens(") + kCitizenCols +
                      ", created_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
                  {id, a.enteId, a.fiscalNumber, a.givenName, a.familyName, a.email, a.phone,
                   a.providerKey, nowMs, nowMs}));
  } else {
    id = rows[0].str(0);
    SP_TRY(c.exec("UPDATE citizens SET given_name = ?, family_name = ?, email = ?, phone = ?, "
                  "provider_key = ?, last_login_at = ? WHERE id = ?",
                  {a.givenName, a.familyName, a.email, a.phone, a.providerKey, nowMs, id}));
  }
  return citizenById(c, id);
}

Result<Citizen> citizenById(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto row, c.one(std::string("SELECT ") + kCitizenCols + " FROM citizens WHERE id = ?",
                            {id}, "cittadino"));
  return citizenOf(row);
}

Status insertSession(sql::Connection& c, const CitizenSession& s, int64_t expiresAt) {
  SP_TRY(c.exec("INSERT INTO citizen_sessions(token_hash, citizen_id, ente_id, csrf, "
                "provider_key, id_token, created_at, last_seen_at, expires_at) "
                "VALUES(?,?,?,?,?,?,?,?,?)",
                {s.tokenHash, s.citizenId, s.enteId, s.csrf, s.providerKey, s.idToken,
                 s.createdAt, s.lastSeenAt, expiresAt}));
  return {};
}

Result<CitizenSession> session(sql::Connection& c, const std::string& tokenHash) {
  SP_ASSIGN(auto rows, c.query("SELECT token_hash, citizen_id, ente_id, csrf, provider_key, "
                               "id_token, created_at, last_seen_at FROM citizen_sessions "
                               "WHERE token_hash = ?",
                               {tokenHash}));
  if (rows.empty()) return makeError(Errc::kUnauthorized, "accesso del cittadino richiesto");
  const auto& r = rows[0];
  return CitizenSession{r.str(0), r.str(1), r.str(2), r.str(3),
                        r.str(4), r.str(5), r.i64(6), r.i64(7)};
}

Status touchSession(sql::Connection& c, const std::string& tokenHash, int64_t nowMs) {
  SP_TRY(c.exec("UPDATE citizen_sessions SET last_seen_at = ? WHERE token_hash = ?",
                {nowMs, tokenHash}));
  return {};
}

Status deleteSession(sql::Connection& c, const std::string& tokenHash) {
  SP_TRY(c.exec("DELETE FROM citizen_sessions WHERE token_hash = ?", {tokenHash}));
  return {};
}

Status deleteEndedSessions(sql::Connection& c, int64_t idleBefore, int64_t createdBefore) {
  SP_TRY(c.exec("DELETE FROM citizen_sessions WHERE last_seen_at < ? OR created_at < ?",
                {idleBefore, createdBefore}));
  return {};
}

Status forgetInactive(sql::Connection& c, int64_t lastLoginBefore) {
  // Explicit deletes rather than ON DELETE CASCADE: SQLite enforces foreign keys only when asked.
  constexpr const char* kGone =
      "SELECT id FROM citizens WHERE last_login_at < ? AND NOT EXISTS "
      "(SELECT 1 FROM citizen_sessions s WHERE s.citizen_id = citizens.id)";
  SP_TRY(c.exec(std::string("DELETE FROM citizen_objects WHERE citizen_id IN (") + kGone + ")",
                {lastLoginBefore}));
  SP_TRY(c.exec(std::string("DELETE FROM citizens WHERE id IN (") + kGone + ")",
                {lastLoginBefore}));
  return {};
}

Result<std::optional<std::string>> objectOwner(sql::Connection& c, const std::string& enteId,
                                               const std::string& kind, const std::string& ref) {
  SP_ASSIGN(auto rows, c.query("SELECT citizen_id FROM citizen_objects WHERE ente_id = ? AND "
                               "kind = ? AND object_ref = ?",
                               {enteId, kind, ref}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].str(0));
}

Status linkObject(sql::Connection& c, const std::string& enteId, const std::string& kind,
                  const std::string& ref, const std::string& citizenId, int64_t nowMs) {
  SP_TRY(c.exec("INSERT INTO citizen_objects(ente_id, kind, object_ref, citizen_id, linked_at) "
                "VALUES(?,?,?,?,?)",
                {enteId, kind, ref, citizenId, nowMs}));
  return {};
}

Result<std::vector<std::string>> objectsOf(sql::Connection& c, const std::string& citizenId,
                                           const std::string& kind) {
  SP_ASSIGN(auto rows, c.query("SELECT object_ref FROM citizen_objects WHERE citizen_id = ? AND "
                               "kind = ? ORDER BY linked_at",
                               {citizenId, kind}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.str(0));
  return out;
}

}  // namespace sportello::citizens::store
