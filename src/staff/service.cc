#include "staff/service.h"

#include <spdlog/spdlog.h>

#include "core/token.h"
#include "directory/lookup.h"
#include "platform/offload.h"
#include "platform/ratelimit.h"
#include "platform/rights.h"
#include "staff/store.h"

namespace sportello::staff {

Json toJson(const Operator& op) {
  Json offices = Json::array();
  for (const auto& o : op.offices) {
    offices.push_back({{"id", o.id}, {"slug", o.slug}, {"name", o.name}});
  }
  return {{"id", op.id},         {"username", op.username},   {"display_name", op.displayName},
          {"email", op.email},   {"role", roleName(op.role)}, {"presence", op.presence},
          {"active", op.active}, {"offices", offices}};
}

Status checkPassword(std::string_view pw, std::string_view field) {
  if (pw.size() < kMinPasswordLength) {
    return makeError(
        Errc::kInvalid,
        "la password deve avere almeno " + std::to_string(kMinPasswordLength) + " caratteri",
        std::string(field));
  }
  if (pw.size() > 200) {
    return makeError(Errc::kInvalid, "password troppo lunga", std::string(field));
  }
  return okStatus();
}

std::string enteStaffTopic(const std::string& slug) {
  return Topic::make(kEnteStaffTopic, {{"slug", slug}});
}

StaffService::StaffService(Database& db, const Clock& clock, asio::thread_pool& cpu,
                           bool secureCookies)
    : db_(db),
      clock_(clock),
      cpu_(cpu),
      secure_(secureCookies),
      dummyHash_(hashPassword("not-a-real-password-just-for-timing")) {}

std::string StaffService::sessionCookie(const std::string& token) const {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(kSessionTtlMs / 1000) +
         (secure_ ? "; Secure" : "");
}

std::string StaffService::clearCookie() const {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (secure_ ? "; Secure" : "");
}

asio::awaitable<Result<StaffService::Login>> StaffService::login(std::string slug,
                                                                 std::string username,
                                                                 std::string password,
                                                                 std::string remote,
                                                                 std::string previousToken) {
  // Pessimistic counting: the attempt is counted as a failure before the password is checked
  // (so parallel guesses cannot all slip in before the first failure is recorded) and given
  // back when it turns out good.
  std::string accountKey = slug + "/" + username;
  std::string pairKey = accountKey + "\n" + remote;
  ratelimit::Backoff pair{"login.pair", limits_.loginFreeFailures, 1000,
                          limits_.loginMaxDelaySeconds * 1000};
  ratelimit::Rule byAccount{"login.account", limits_.loginFailuresPerAccountPerHour};
  ratelimit::Rule byAddress{"login.address", limits_.loginFailuresPerAddressPerHour};
  auto claim = [pair, byAccount, byAddress, accountKey, pairKey,
                remote](Tx& tx) -> Result<int64_t> {
    constexpr std::string_view msg = "Troppi tentativi di accesso.";
    SP_TRY(ratelimit::hit(tx, byAccount, accountKey, msg));
    SP_TRY(ratelimit::hit(tx, byAddress, remote, msg));
    SP_ASSIGN(int64_t wait, ratelimit::attempt(tx, pair, pairKey));
    if (wait > 0) return ratelimit::tooMany(msg, wait);
    return tx.nowMs();
  };
  auto claimed = co_await db_.write<int64_t>(std::move(claim));
  if (!claimed.ok()) {
    if (claimed.error().code == Errc::kTooManyRequests) {
      spdlog::info("login refused for {} from {}: too many attempts", accountKey, remote);
    }
    co_return claimed.error();
  }
  int64_t claimedAt = claimed.value();
  auto sp_job0 = [slug, username](sql::Connection& c) {
    return store::credentials(c, slug, username);
  };
  auto cred = co_await db_.read<store::Credentials>(std::move(sp_job0));
  if (!cred.ok() && cred.error().code != Errc::kNotFound) co_return cred.error();
  std::string hash = cred.ok() ? cred->passwordHash : dummyHash_;
  auto sp_job1 = [hash, password] { return verifyPassword(hash, password); };
  bool good = co_await offload<bool>(cpu_, std::move(sp_job1));
  if (!cred.ok() || !good || !cred->op.active) {
    spdlog::info("login failed for {} from {}", accountKey, remote);
    co_return makeError(Errc::kUnauthorized, "nome utente o password non corretti");
  }
  Login out;
  out.token = newSecret();
  out.ctx.op = cred->op;
  out.ctx.enteSlug = slug;
  out.ctx.sessionHash = sha256Hex(out.token);
  out.ctx.csrfToken = newSecret();
  std::string oldHash = previousToken.empty() ? std::string() : sha256Hex(previousToken);
  auto sp_job2 = [&out, oldHash, remote, pair, byAccount, byAddress, accountKey, pairKey,
                  claimedAt](Tx& tx) -> Result<bool> {
    SP_TRY(ratelimit::reset(tx, pair, pairKey));
    SP_TRY(ratelimit::giveBack(tx, byAccount, accountKey, claimedAt));
    SP_TRY(ratelimit::giveBack(tx, byAddress, remote, claimedAt));
    if (!oldHash.empty()) {
      // The browser's previous session (maybe a colleague's) ends: so do its live rights.
      SP_ASSIGN(auto prev, tx.conn().query("SELECT operator_id FROM sessions WHERE token_hash = ?",
                                           {oldHash}));
      if (!prev.empty()) SP_TRY(revokeStaff(tx, prev[0].str(0)));
      SP_TRY(store::deleteSession(tx.conn(), oldHash));
    }
    SP_TRY(store::deleteExpiredSessions(tx.conn(), tx.nowMs()));
    SP_TRY(store::insertSession(tx.conn(), out.ctx.sessionHash, out.ctx.op.id, out.ctx.op.enteId,
                                out.ctx.csrfToken, tx.nowMs(), tx.nowMs() + kSessionTtlMs, remote));
    return true;
  };
  auto w = co_await db_.write<bool>(std::move(sp_job2));
  if (!w.ok()) co_return w.error();
  spdlog::info("login {} from {}", accountKey, remote);
  co_return out;
}

asio::awaitable<Result<StaffContext>> StaffService::authenticate(const Caller& caller) {
  co_return co_await session(caller.session);
}

asio::awaitable<Result<StaffContext>> StaffService::session(std::string_view token) {
  if (token.empty() || token.size() > 100) {
    co_return makeError(Errc::kUnauthorized, "accesso richiesto");
  }
  std::string hash = sha256Hex(token);
  int64_t now = clock_.nowMs();
  auto job = [hash, now](sql::Connection& c) { return store::session(c, hash, now); };
  co_return co_await db_.read<StaffContext>(std::move(job));
}

void StaffService::addPresenceHook(PresenceHook h) {
  if (!presenceHook_) {
    presenceHook_ = std::move(h);
    return;
  }
  presenceHook_ = [first = std::move(presenceHook_), then = std::move(h)](
                      Tx& tx, const Operator& op) -> Status {
    SP_TRY(first(tx, op));
    return then(tx, op);
  };
}

asio::awaitable<Result<StaffContext>> StaffService::require(const Caller& caller,
                                                            std::string_view slug, Role min) {
  auto ctx = co_await authenticate(caller);
  if (!ctx.ok()) co_return ctx;
  if (caller.changes && !secretEquals(caller.csrf, ctx->csrfToken)) {
    co_return makeError(Errc::kForbidden, "token CSRF mancante o non valido");
  }
  if (!slug.empty() && ctx->enteSlug != slug) {
    co_return makeError(Errc::kForbidden, "non autorizzato per questo ente");
  }
  if (static_cast<int>(ctx->op.role) < static_cast<int>(min)) {
    co_return makeError(Errc::kForbidden, "permessi insufficienti");
  }
  co_return ctx;
}

asio::awaitable<Status> StaffService::logout(const StaffContext& ctx) {
  std::string hash = ctx.sessionHash;
  std::string opId = ctx.op.id;
  Operator op = ctx.op;
  std::string topic = enteStaffTopic(ctx.enteSlug);
  auto sp_job4 = [hash, opId, op, topic, hook = presenceHook_](Tx& tx) mutable -> Result<bool> {
    SP_TRY(store::deleteSession(tx.conn(), hash));
    SP_TRY(revokeStaff(tx, opId));
    // Signed out of the last session: no longer "available" to citizens (the offices' count
    // of operators on duty drops at once). Another device still signed in keeps the presence.
    SP_ASSIGN(auto left, tx.conn().one("SELECT COUNT(*) FROM sessions WHERE operator_id = ? AND "
                                       "expires_at > ?",
                                       {opId, tx.nowMs()}));
    if (left.i64(0) == 0 && op.presence != "away") {
      staff::Operator gone = op;  // a copy: a retried job starts from the same operator
      gone.presence = "away";
      SP_TRY(store::setPresence(tx.conn(), gone.id, gone.presence));
      SP_TRY(tx.emit(topic, "operator.presence",
                     {{"operator_id", gone.id}, {"presence", gone.presence}}));
      if (hook) SP_TRY(hook(tx, gone));
    }
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(sp_job4));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Status> StaffService::changePassword(const StaffContext& ctx, std::string current,
                                                     std::string next) {
  SP_CO_TRY(checkPassword(next, "new_password"));
  std::string opId = ctx.op.id;
  auto sp_job5 = [opId](sql::Connection& c) { return store::passwordHash(c, opId); };
  auto hash = co_await db_.read<std::string>(std::move(sp_job5));
  if (!hash.ok()) co_return hash.error();
  std::string h = hash.value();
  auto sp_job6 = [h, current] { return verifyPassword(h, current); };
  bool good = co_await offload<bool>(cpu_, std::move(sp_job6));
  if (!good) {
    co_return makeError(Errc::kInvalid, "la password attuale non è corretta", "current_password");
  }
  auto sp_job7 = [next] { return hashPassword(next); };
  std::string newHash = co_await offload<std::string>(cpu_, std::move(sp_job7));
  std::string keep = ctx.sessionHash;
  auto sp_job8 = [opId, newHash, keep](Tx& tx) -> Result<bool> {
    SP_TRY(store::setPassword(tx.conn(), opId, newHash, tx.nowMs()));
    SP_TRY(store::deleteSessionsOf(tx.conn(), opId, keep));
    SP_TRY(revokeStaff(tx, opId));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(sp_job8));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<Operator>> StaffService::setPresence(const StaffContext& ctx,
                                                            std::string presence) {
  if (presence != "available" && presence != "busy" && presence != "away") {
    co_return makeError(Errc::kInvalid, "stato non valido: available, busy o away", "presence");
  }
  Operator op = ctx.op;
  op.presence = presence;
  std::string topic = enteStaffTopic(ctx.enteSlug);
  auto sp_job9 = [op, topic, hook = presenceHook_](Tx& tx) -> Result<Operator> {
    SP_TRY(store::setPresence(tx.conn(), op.id, op.presence));
    SP_TRY(
        tx.emit(topic, "operator.presence", {{"operator_id", op.id}, {"presence", op.presence}}));
    if (hook) SP_TRY(hook(tx, op));
    return op;
  };
  auto sp_co_r1 = co_await db_.write<Operator>(std::move(sp_job9));
  co_return sp_co_r1;
}

namespace {
// Tells the ente's staff (and, through the hook, the offices' waiting rooms) that `id`'s
// presence changed by itself.
Status announcePresence(Tx& tx, const std::string& id, const char* reason,
                        const StaffService::PresenceHook& hook) {
  SP_ASSIGN(auto row,
            tx.conn().one("SELECT ente_id FROM operators WHERE id = ?", {id}, "operatore"));
  SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), row.str(0)));
  SP_ASSIGN(auto op, store::operatorById(tx.conn(), row.str(0), id));
  SP_TRY(tx.emit(enteStaffTopic(ente.slug), "operator.presence",
                 {{"operator_id", op.id}, {"presence", op.presence}, {"reason", reason}}));
  if (hook) SP_TRY(hook(tx, op));
  return okStatus();
}
}  // namespace

asio::awaitable<Status> StaffService::seenLive(std::vector<std::string> operatorIds) {
  if (operatorIds.empty()) co_return okStatus();
  auto job = [ids = std::move(operatorIds), hook = presenceHook_](Tx& tx) -> Result<bool> {
    for (const auto& id : ids) {
      SP_ASSIGN(auto back, store::touch(tx.conn(), id, tx.nowMs()));
      if (back) SP_TRY(announcePresence(tx, id, "reconnected", hook));
    }
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<int64_t>> StaffService::sweepGone(int64_t graceMs) {
  int64_t before = clock_.nowMs() - graceMs;
  auto job = [before, hook = presenceHook_](Tx& tx) -> Result<int64_t> {
    SP_ASSIGN(auto ids, store::goneOperators(tx.conn(), before));
    int64_t n = 0;
    for (const auto& id : ids) {
      // Conditional: another node's sweep, or the console coming back, may have been first.
      SP_ASSIGN(bool gone, store::markGone(tx.conn(), id, before));
      if (!gone) continue;
      SP_TRY(announcePresence(tx, id, "disconnected", hook));
      ++n;
    }
    return n;
  };
  co_return co_await db_.write<int64_t>(std::move(job));
}

asio::awaitable<Result<std::vector<Operator>>> StaffService::listOperators(std::string enteId) {
  auto sp_job10 = [enteId](sql::Connection& c) { return store::listOperators(c, enteId); };
  auto sp_co_r2 = co_await db_.read<std::vector<Operator>>(std::move(sp_job10));
  co_return sp_co_r2;
}

asio::awaitable<Result<Operator>> StaffService::getOperator(std::string enteId, std::string id) {
  auto sp_job11 = [enteId, id](sql::Connection& c) { return store::operatorById(c, enteId, id); };
  auto sp_co_r3 = co_await db_.read<Operator>(std::move(sp_job11));
  co_return sp_co_r3;
}

namespace {

Status validUsername(const std::string& u) {
  if (u.size() < 2 || u.size() > 64) {
    return makeError(Errc::kInvalid, "nome utente: da 2 a 64 caratteri", "username");
  }
  for (char ch : u) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-' ||
          ch == '@')) {
      return makeError(Errc::kInvalid, "nome utente: solo lettere, cifre e . _ - @", "username");
    }
  }
  return okStatus();
}

Result<Operator> insertNew(Tx& tx, const std::string& enteId, const NewOperator& n,
                           const std::string& hash) {
  Operator op;
  op.id = newId();
  op.enteId = enteId;
  op.username = n.username;
  op.displayName = n.displayName;
  op.email = n.email;
  op.role = n.role;
  op.active = n.active;
  auto ins = store::insertOperator(tx.conn(), op, hash, tx.nowMs());
  if (!ins.ok()) {
    if (ins.error().code == Errc::kConflict) {
      return makeError(Errc::kConflict, "nome utente già in uso", "username");
    }
    return ins.error();
  }
  SP_TRY(store::setOffices(tx.conn(), enteId, op.id, n.officeIds));
  return store::operatorById(tx.conn(), enteId, op.id);
}

}  // namespace

asio::awaitable<Result<Operator>> StaffService::createOperator(std::string enteId, NewOperator n) {
  SP_CO_TRY(validUsername(n.username));
  SP_CO_TRY(checkPassword(n.password, "password"));
  std::string pw = n.password;
  auto sp_job12 = [pw] { return hashPassword(pw); };
  std::string hash = co_await offload<std::string>(cpu_, std::move(sp_job12));
  auto sp_job13 = [enteId, n, hash](Tx& tx) { return insertNew(tx, enteId, n, hash); };
  auto sp_co_r4 = co_await db_.write<Operator>(std::move(sp_job13));
  co_return sp_co_r4;
}

asio::awaitable<Result<Operator>> StaffService::updateOperator(std::string enteId, std::string id,
                                                               Json patch) {
  Fields f(patch);
  std::string username, displayName, email, role, password;
  bool active = true;
  std::vector<std::string> offices;
  bool hasUser = f.str("username", username, {.maxLen = 64});
  bool hasName = f.str("display_name", displayName, {.maxLen = 120, .allowEmpty = false});
  bool hasEmail = f.str("email", email, {.maxLen = 200});
  bool hasRole = f.str("role", role, {.maxLen = 20});
  bool hasPw = f.str("password", password, {.maxLen = 200});
  bool hasActive = f.boolean("active", active);
  bool hasOffices = f.strArray("office_ids", offices, 100, {.maxLen = 64});
  SP_CO_TRY(f.finish());
  if (hasUser) SP_CO_TRY(validUsername(username));
  std::optional<Role> r;
  if (hasRole) {
    r = parseRole(role);
    if (!r) co_return makeError(Errc::kInvalid, "ruolo non valido", "role");
  }
  std::string hash;
  if (hasPw) {
    SP_CO_TRY(checkPassword(password, "password"));
    auto sp_job14 = [password] { return hashPassword(password); };
    hash = co_await offload<std::string>(cpu_, std::move(sp_job14));
  }
  auto hook = presenceHook_;
  auto sp_job15 = [=](Tx& tx) -> Result<Operator> {
    SP_ASSIGN(Operator op, store::operatorById(tx.conn(), enteId, id));
    bool wasAvailable = op.presence != "away";
    if (hasUser) op.username = username;
    if (hasName) op.displayName = displayName;
    if (hasEmail) op.email = email;
    if (r) op.role = *r;
    if (hasActive) op.active = active;
    auto up = store::updateOperator(tx.conn(), op, tx.nowMs());
    if (!up.ok() && up.error().code == Errc::kConflict) {
      return makeError(Errc::kConflict, "nome utente già in uso", "username");
    }
    SP_TRY(up);
    if (hasOffices) SP_TRY(store::setOffices(tx.conn(), enteId, id, offices));
    if (hasPw) {
      SP_TRY(store::setPassword(tx.conn(), id, hash, tx.nowMs()));
      SP_TRY(store::deleteSessionsOf(tx.conn(), id, ""));
    }
    if (hasActive && !active) {
      SP_TRY(store::deleteSessionsOf(tx.conn(), id, ""));
      // Deactivated: nobody is there to answer any more.
      if (wasAvailable) {
        SP_TRY(store::setPresence(tx.conn(), id, "away"));
        SP_ASSIGN(auto ente, directory::lookup::enteById(tx.conn(), enteId));
        SP_TRY(tx.emit(enteStaffTopic(ente.slug), "operator.presence",
                       {{"operator_id", id}, {"presence", "away"}}));
        if (hook) {
          SP_ASSIGN(Operator now, store::operatorById(tx.conn(), enteId, id));
          SP_TRY(hook(tx, now));
        }
      }
    }
    // Role, offices, activity or password changed: what this operator follows live is
    // authorised again (offices left, a lower role, an ended session lose it at once).
    SP_TRY(revokeStaff(tx, id));
    return store::operatorById(tx.conn(), enteId, id);
  };
  auto sp_co_r5 = co_await db_.write<Operator>(std::move(sp_job15));
  co_return sp_co_r5;
}

Result<Operator> StaffService::createOperatorSync(const std::string& enteSlug, NewOperator n) {
  SP_TRY(validUsername(n.username));
  SP_TRY(checkPassword(n.password, "password"));
  std::string hash = hashPassword(n.password);
  return db_.writeSync<Operator>([&](Tx& tx) -> Result<Operator> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(tx.conn(), enteSlug));
    std::vector<std::string> ids;
    for (const auto& o : n.officeIds) {
      // The CLI names offices by slug.
      SP_ASSIGN(auto r, directory::lookup::officeIdByRef(tx.conn(), ente.id, o));
      ids.push_back(r);
    }
    NewOperator m = n;
    m.officeIds = ids;
    return insertNew(tx, ente.id, m, hash);
  });
}

Status StaffService::setPasswordSync(const std::string& enteSlug, const std::string& username,
                                     const std::string& password) {
  SP_TRY(checkPassword(password, "password"));
  std::string hash = hashPassword(password);
  auto r = db_.writeSync<bool>([&](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto cr, store::credentials(tx.conn(), enteSlug, username));
    SP_TRY(store::setPassword(tx.conn(), cr.op.id, hash, tx.nowMs()));
    SP_TRY(store::deleteSessionsOf(tx.conn(), cr.op.id, ""));
    SP_TRY(revokeStaff(tx, cr.op.id));
    return true;
  });
  if (!r.ok()) return r.error();
  return okStatus();
}

}  // namespace sportello::staff
