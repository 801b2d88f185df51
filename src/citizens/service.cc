#include "citizens/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "citizens/jose.h"
#include "citizens/model/oidc.h"
#include "booking/lookup.h"
#include "citizens/store.h"
#include "core/token.h"
#include "directory/lookup.h"
#include "platform/offload.h"
#include "cases/lookup.h"
#include "feedback/lookup.h"
#include "queue/lookup.h"
#include "queue/model/numbering.h"
#include "reception/lookup.h"
#include "staff/lookup.h"

namespace sportello::citizens {

namespace {

bool validKey(const std::string& k) {
  if (k.empty() || k.size() > 32) return false;
  for (unsigned char c : k) {
    if (!(std::islower(c) || std::isdigit(c) || c == '-')) return false;
  }
  return true;
}

std::string withQuery(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

// RFC 6749 §2.3.1: client id and secret are form-encoded before Basic authentication.
std::string formValue(const std::string& v) {
  std::string kv = formEncode({{"x", v}});
  return kv.substr(2);
}

// The kinds of object a citizen claims, and what `ref` / `secret` mean for each.
bool claimableKind(const std::string& k) {
  return k == "booking" || k == "visit" || k == "case" || k == "ticket";
}

std::optional<AreaRating> ratingOf(sql::Connection& c, feedback::Channel ch,
                                   const std::string& contactId) {
  auto r = feedback::lookup::ratingOf(c, ch, contactId);
  if (!r.ok() || !r.value()) return std::nullopt;
  const feedback::Rating& x = **r;
  return AreaRating{feedback::name(x.score), x.reasons, x.comment, x.ratedAt};
}

// The ente's local calendar day of `nowMs` ("YYYY-MM-DD"), "" for an unknown time zone.
std::string localDay(const std::string& zone, int64_t nowMs) {
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(zone);
  } catch (const std::exception&) {
    return "";
  }
  auto d = queue::numberingDay(tz, SysMillis(std::chrono::milliseconds(nowMs)));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

}  // namespace

CitizenService::CitizenService(Database& db, const Clock& clock, staff::StaffService& staff,
                               CitizenOptions opts)
    : db_(db), clock_(clock), staff_(staff), opts_(std::move(opts)) {}

CitizenService::~CitizenService() {
  http_.join();
}

std::string CitizenService::origin(const Caller& caller) const {
  return opts_.publicOrigin.empty() ? caller.origin : opts_.publicOrigin;
}

// ---- cookies ----

std::string CitizenService::sessionCookie(const std::string& token) const {
  // Lax: the first page after the provider's redirect is a cross-site navigation; changes are
  // guarded by the CSRF header.
  return std::string(kCitizenCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(opts_.absoluteMs / 1000) +
         (opts_.secureCookies ? "; Secure" : "");
}

std::string CitizenService::clearSessionCookie() const {
  return std::string(kCitizenCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" +
         (opts_.secureCookies ? "; Secure" : "");
}

std::string CitizenService::loginCookie(const std::string& secret) const {
  return std::string(kLoginCookie) + "=" + secret +
         "; Path=/api/v1/enti/; HttpOnly; SameSite=Lax; Max-Age=" +
         std::to_string(opts_.pendingMs / 1000) + (opts_.secureCookies ? "; Secure" : "");
}

std::string CitizenService::clearLoginCookie() const {
  return std::string(kLoginCookie) + "=; Path=/api/v1/enti/; HttpOnly; SameSite=Lax; Max-Age=0" +
         (opts_.secureCookies ? "; Secure" : "");
}

// ---- outgoing HTTP and the provider's metadata ----

asio::awaitable<Result<HttpAnswer>> CitizenService::fetch(HttpCall call) {
  std::function<Result<HttpAnswer>()> work = [call = std::move(call)] { return httpCall(call); };
  co_return co_await offload<Result<HttpAnswer>>(http_, std::move(work));
}

asio::awaitable<Result<Json>> CitizenService::fetchJson(HttpCall call, const char* what) {
  std::string url = call.url;
  SP_CO_ASSIGN(HttpAnswer a, co_await fetch(std::move(call)));
  Json j = Json::parse(a.body, nullptr, false);
  if (a.status != 200 || !j.is_object()) {
    spdlog::warn("citizens: {} {} answered {}: {}", what, url, a.status, a.body.substr(0, 300));
    co_return makeError(Errc::kUnavailable, "il fornitore di identità ha risposto con un errore");
  }
  co_return j;
}

asio::awaitable<Result<Json>> CitizenService::discovery(const Provider& p) {
  int64_t now = clock_.nowMs();
  {
    std::lock_guard lk(mu_);
    auto it = meta_.find(p.issuer);
    if (it != meta_.end() && now - it->second.fetchedAt < opts_.discoveryTtlMs &&
        it->second.fetchedAt <= now) {
      co_return it->second.discovery;
    }
  }
  std::string base = p.issuer;
  if (!base.empty() && base.back() == '/') base.pop_back();
  // Named first: a temporary built inside co_await is what GCC 12 miscompiles.
  HttpCall call{.url = base + "/.well-known/openid-configuration"};
  SP_CO_ASSIGN(Json d, co_await fetchJson(std::move(call), "discovery"));
  if (d.value("issuer", "") != p.issuer) {
    spdlog::warn("citizens: discovery of {} names issuer {}", p.issuer, d.value("issuer", ""));
    co_return makeError(Errc::kUnavailable, "il fornitore di identità dichiara un altro emittente");
  }
  std::lock_guard lk(mu_);
  Metadata& m = meta_[p.issuer];
  m.discovery = d;
  m.fetchedAt = now;
  co_return d;
}

asio::awaitable<Result<Json>> CitizenService::jwks(const Provider& p, bool refresh) {
  if (!refresh) {
    std::lock_guard lk(mu_);
    auto it = meta_.find(p.issuer);
    if (it != meta_.end() && it->second.jwks.is_object()) co_return it->second.jwks;
  }
  SP_CO_ASSIGN(Json d, co_await discovery(p));
  std::string uri = d.value("jwks_uri", "");
  HttpCall call{.url = uri};
  SP_CO_ASSIGN(Json keys, co_await fetchJson(std::move(call), "jwks"));
  std::lock_guard lk(mu_);
  meta_[p.issuer].jwks = keys;
  co_return keys;
}

asio::awaitable<Result<Provider>> CitizenService::providerOf(std::string slug, std::string key) {
  auto job = [slug, key](sql::Connection& c) -> Result<Provider> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    return store::provider(c, ente.id, key);
  };
  co_return co_await db_.read<Provider>(std::move(job));
}

// ---- admin ----

asio::awaitable<Result<std::vector<ProviderView>>> CitizenService::providers(Caller caller,
                                                                             std::string slug) {
  SP_CO_ASSIGN(auto ctx, co_await staff_.require(caller, slug, staff::Role::kAdmin));
  auto job = [ente = ctx.op.enteId](sql::Connection& c) -> Result<std::vector<ProviderView>> {
    SP_ASSIGN(auto list, store::providers(c, ente));
    std::vector<ProviderView> out;
    for (auto& p : list) out.push_back({std::move(p)});
    return out;
  };
  co_return co_await db_.read<std::vector<ProviderView>>(std::move(job));
}

asio::awaitable<Result<ProviderView>> CitizenService::saveProvider(Caller caller,
                                                                   std::string slug,
                                                                   std::string key,
                                                                   ProviderInput in) {
  SP_CO_ASSIGN(auto ctx, co_await staff_.require(caller, slug, staff::Role::kAdmin));
  if (!validKey(key)) {
    co_return makeError(Errc::kInvalid, "chiave del fornitore non valida (a-z, 0-9, -)", "key");
  }
  Provider p;
  p.enteId = ctx.op.enteId;
  p.key = key;
  p.label = in.label;
  p.issuer = in.issuer;
  p.clientId = in.clientId;
  if (!parseClientAuth(in.auth, p.auth)) {
    co_return makeError(Errc::kInvalid, "autenticazione del client non valida", "auth");
  }
  if (!fetchableUrl(p.issuer)) {
    co_return makeError(Errc::kInvalid, "indirizzo del fornitore di identità non ammesso (serve https)",
                        "issuer");
  }
  p.scopes = in.scopes.empty() ? "openid profile email" : in.scopes;
  if (p.scopes.find("openid") == std::string::npos) p.scopes = "openid " + p.scopes;
  p.fiscalClaim = in.fiscalClaim.empty() ? kFiscalNumberClaim : in.fiscalClaim;
  p.enabled = in.enabled;
  if (in.privateJwk && !in.privateJwk->empty()) {
    Json jwk = Json::parse(*in.privateJwk, nullptr, false);
    SP_CO_TRY(jose::checkPrivateKey(jwk));
  }
  auto job = [p, in](Tx& tx) mutable -> Result<ProviderView> {
    auto old = store::provider(tx.conn(), p.enteId, p.key);
    p.clientSecret = in.clientSecret ? *in.clientSecret : (old.ok() ? old->clientSecret : "");
    p.privateJwk = in.privateJwk ? *in.privateJwk : (old.ok() ? old->privateJwk : "");
    if (p.auth == ClientAuth::kPrivateKeyJwt && p.privateJwk.empty()) {
      return makeError(Errc::kInvalid, "chiave privata mancante per private_key_jwt", "private_jwk");
    }
    if (p.auth != ClientAuth::kPrivateKeyJwt && p.clientSecret.empty()) {
      return makeError(Errc::kInvalid, "segreto del client mancante", "client_secret");
    }
    p.updatedAt = tx.nowMs();
    SP_TRY(store::upsertProvider(tx.conn(), p));
    return ProviderView{p};
  };
  auto r = co_await db_.write<ProviderView>(std::move(job));
  if (r.ok()) {
    std::lock_guard lk(mu_);
    meta_.erase(p.issuer);
  }
  co_return r;
}

asio::awaitable<Status> CitizenService::deleteProvider(Caller caller, std::string slug,
                                                       std::string key) {
  SP_CO_ASSIGN(auto ctx, co_await staff_.require(caller, slug, staff::Role::kAdmin));
  auto job = [ente = ctx.op.enteId, key](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto n, store::deleteProvider(tx.conn(), ente, key));
    if (n == 0) return makeError(Errc::kNotFound, "fornitore di identità non trovato");
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return Status{};
}

// ---- sign-in ----

asio::awaitable<Result<std::vector<PublicProvider>>> CitizenService::publicProviders(
    std::string slug) {
  auto job = [slug](sql::Connection& c) -> Result<std::vector<PublicProvider>> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    SP_ASSIGN(auto list, store::providers(c, ente.id));
    std::vector<PublicProvider> out;
    for (const auto& p : list) {
      if (p.enabled) out.push_back({p.key, p.label});
    }
    return out;
  };
  co_return co_await db_.read<std::vector<PublicProvider>>(std::move(job));
}

asio::awaitable<Result<CitizenService::LoginStart>> CitizenService::startLogin(
    Caller caller, std::string slug, std::string key, std::string returnTo) {
  SP_CO_ASSIGN(Provider p, co_await providerOf(slug, key));
  if (!p.enabled) co_return makeError(Errc::kNotFound, "fornitore di identità non trovato");
  SP_CO_ASSIGN(Json d, co_await discovery(p));
  std::string authz = d.value("authorization_endpoint", "");
  if (!fetchableUrl(authz)) {
    co_return makeError(Errc::kUnavailable, "il fornitore di identità ha risposto con un errore");
  }
  std::string state = newSecret(), nonce = newSecret(), verifier = newSecret();
  LoginStart out{.redirect = "", .browserSecret = newSecret()};
  PendingLogin pending{.stateHash = sha256Hex(state),
                       .enteId = p.enteId,
                       .providerKey = p.key,
                       .browserHash = sha256Hex(out.browserSecret),
                       .nonce = nonce,
                       .codeVerifier = verifier,
                       .returnTo = safeReturnTo(slug, returnTo),
                       .expiresAt = clock_.nowMs() + opts_.pendingMs};
  auto job = [pending](Tx& tx) -> Result<bool> {
    SP_TRY(store::deleteExpiredPending(tx.conn(), tx.nowMs()));
    SP_TRY(store::insertPending(tx.conn(), pending));
    return true;
  };
  SP_CO_TRY(co_await db_.write<bool>(std::move(job)));
  std::string redirectUri = origin(caller) + "/api/v1/enti/" + slug + "/citizens/callback";
  out.redirect = withQuery(authz, formEncode({{"response_type", "code"},
                                              {"client_id", p.clientId},
                                              {"redirect_uri", redirectUri},
                                              {"scope", p.scopes},
                                              {"state", state},
                                              {"nonce", nonce},
                                              {"code_challenge", pkceChallenge(verifier)},
                                              {"code_challenge_method", "S256"}}));
  co_return out;
}

asio::awaitable<Result<CitizenService::LoginDone>> CitizenService::finishLogin(
    Caller caller, std::string slug, std::string state, std::string code,
    std::string providerError, std::string browserSecret) {
  if (state.empty() || state.size() > 200) {
    co_return makeError(Errc::kUnauthorized, "accesso non riconosciuto (state)");
  }
  // The state is used once, whatever follows.
  auto take = [hash = sha256Hex(state)](Tx& tx) { return store::takePending(tx.conn(), hash); };
  SP_CO_ASSIGN(PendingLogin pending, co_await db_.write<PendingLogin>(std::move(take)));
  auto enteJob = [slug](sql::Connection& c) { return directory::lookup::enteBySlug(c, slug); };
  SP_CO_ASSIGN(auto ente, co_await db_.read<directory::Ente>(std::move(enteJob)));
  if (pending.enteId != ente.id || pending.expiresAt <= clock_.nowMs() ||
      !secretEquals(pending.browserHash, sha256Hex(browserSecret))) {
    co_return makeError(Errc::kUnauthorized, "accesso non riconosciuto (state)");
  }
  if (!providerError.empty()) {
    co_return makeError(Errc::kUnauthorized, "accesso annullato presso il fornitore di identità");
  }
  if (code.empty() || code.size() > 2000) {
    co_return makeError(Errc::kUnauthorized, "accesso non riconosciuto (code)");
  }
  SP_CO_ASSIGN(Provider p, co_await providerOf(slug, pending.providerKey));
  SP_CO_ASSIGN(Json d, co_await discovery(p));
  std::string tokenUrl = d.value("token_endpoint", "");
  std::string redirectUri = origin(caller) + "/api/v1/enti/" + slug + "/citizens/callback";
  std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "authorization_code"},
                                                           {"code", code},
                                                           {"redirect_uri", redirectUri},
                                                           {"code_verifier", pending.codeVerifier}};
  HttpCall call{.url = tokenUrl};
  switch (p.auth) {
    case ClientAuth::kSecretBasic:
      call.basicUser = formValue(p.clientId);
      call.basicPassword = formValue(p.clientSecret);
      break;
    case ClientAuth::kSecretPost:
      form.push_back({"client_id", p.clientId});
      form.push_back({"client_secret", p.clientSecret});
      break;
    case ClientAuth::kPrivateKeyJwt: {
      int64_t now = clock_.nowMs() / 1000;
      Json assertion = {{"iss", p.clientId}, {"sub", p.clientId}, {"aud", tokenUrl},
                        {"jti", newId()},    {"iat", now},        {"exp", now + 60}};
      Json jwk = Json::parse(p.privateJwk, nullptr, false);
      SP_CO_ASSIGN(std::string signed_, jose::sign(assertion, jwk));
      form.push_back({"client_id", p.clientId});
      form.push_back(
          {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"});
      form.push_back({"client_assertion", signed_});
      break;
    }
  }
  call.form = formEncode(form);
  SP_CO_ASSIGN(Json tokens, co_await fetchJson(std::move(call), "token endpoint"));
  if (!tokens.contains("id_token") || !tokens["id_token"].is_string()) {
    co_return makeError(Errc::kUnauthorized, "il fornitore di identità non ha dato un token di identità");
  }
  std::string idToken = tokens["id_token"].get<std::string>();
  if (idToken.size() > 16384) {
    co_return makeError(Errc::kUnauthorized, "token di identità illeggibile");
  }
  // The signature: the cached keys, then once more with the keys fetched again (rotation).
  SP_CO_ASSIGN(Json keys, co_await jwks(p, false));
  auto verified = jose::verify(idToken, keys);
  if (!verified.ok() && verified.error().code == Errc::kNotFound) {
    SP_CO_ASSIGN(Json fresh, co_await jwks(p, true));
    verified = jose::verify(idToken, fresh);
  }
  if (!verified.ok()) {
    if (verified.error().code == Errc::kNotFound) {
      co_return makeError(Errc::kUnauthorized, "firma del token di identità non valida");
    }
    co_return verified.error();
  }
  SP_CO_TRY(checkIdToken(verified->claims, {.issuer = p.issuer,
                                            .clientId = p.clientId,
                                            .nonce = pending.nonce,
                                            .nowMs = clock_.nowMs()}));
  Json claims = verified->claims;
  // A gateway that gives the attributes only from userinfo: asked with the access token, its
  // "sub" must be the ID token's.
  if (!attributesOf(claims, p.fiscalClaim).ok() && tokens.contains("access_token") &&
      tokens["access_token"].is_string() && d.contains("userinfo_endpoint")) {
    HttpCall ui{.url = d.value("userinfo_endpoint", "")};
    ui.bearer = tokens["access_token"].get<std::string>();
    auto info = co_await fetchJson(std::move(ui), "userinfo");
    if (info.ok() && info->value("sub", "") == claims.value("sub", "")) {
      for (auto& [k, v] : info->items()) {
        if (!claims.contains(k)) claims[k] = v;
      }
    }
  }
  SP_CO_ASSIGN(CitizenAttributes attrs, attributesOf(claims, p.fiscalClaim));
  Citizen c{.id = newId(),
            .enteId = ente.id,
            .fiscalNumber = attrs.fiscalNumber,
            .givenName = attrs.givenName,
            .familyName = attrs.familyName,
            .email = attrs.email,
            .phone = attrs.phone,
            .providerKey = p.key};
  LoginDone out{.token = newSecret(), .returnTo = pending.returnTo};
  CitizenSession s{.tokenHash = sha256Hex(out.token),
                   .enteId = ente.id,
                   .csrf = newSecret(),
                   .providerKey = p.key,
                   .idToken = idToken};
  int64_t absoluteMs = opts_.absoluteMs;
  auto save = [c, s, absoluteMs](Tx& tx) mutable -> Result<bool> {
    SP_ASSIGN(Citizen stored, store::upsertCitizen(tx.conn(), c, tx.nowMs()));
    s.citizenId = stored.id;
    s.createdAt = s.lastSeenAt = tx.nowMs();
    SP_TRY(store::insertSession(tx.conn(), s, tx.nowMs() + absoluteMs));
    return true;
  };
  SP_CO_TRY(co_await db_.write<bool>(std::move(save)));
  co_return out;
}

// ---- the citizen session ----

asio::awaitable<Result<std::optional<CitizenContext>>> CitizenService::optional(
    const Caller& caller, std::string_view slug) {
  if (caller.citizen.empty()) co_return std::optional<CitizenContext>();
  auto r = co_await require(caller, slug);
  if (!r.ok()) {
    if (r.error().code == Errc::kUnauthorized) co_return std::optional<CitizenContext>();
    co_return r.error();
  }
  co_return std::optional<CitizenContext>(std::move(r).value());
}

asio::awaitable<Result<CitizenContext>> CitizenService::require(const Caller& caller,
                                                                std::string_view slug) {
  if (caller.citizen.empty() || caller.citizen.size() > 100) {
    co_return makeError(Errc::kUnauthorized, "accesso del cittadino richiesto");
  }
  std::string hash = sha256Hex(caller.citizen);
  int64_t now = clock_.nowMs();
  struct Found {
    CitizenContext ctx;
    SessionTimes times;
  };
  auto job = [hash, slug = std::string(slug)](sql::Connection& c) -> Result<Found> {
    SP_ASSIGN(CitizenSession s, store::session(c, hash));
    SP_ASSIGN(auto ente, directory::lookup::enteById(c, s.enteId));
    // A session belongs to one ente: another ente's pages do not see it.
    if (!slug.empty() && ente.slug != slug) {
      return makeError(Errc::kUnauthorized, "accesso del cittadino richiesto");
    }
    SP_ASSIGN(Citizen citizen, store::citizenById(c, s.citizenId));
    return Found{{citizen, ente.slug, s.tokenHash, s.csrf, s.providerKey, s.idToken},
                 {s.createdAt, s.lastSeenAt}};
  };
  SP_CO_ASSIGN(Found f, co_await db_.read<Found>(std::move(job)));
  const SessionTimes& t = f.times;
  CitizenContext& ctx = f.ctx;
  if (!sessionAlive(t, now, opts_.idleMs, opts_.absoluteMs)) {
    co_return makeError(Errc::kUnauthorized, "sessione del cittadino scaduta: accedi di nuovo");
  }
  if (caller.changes && !secretEquals(caller.csrf, ctx.csrf)) {
    co_return makeError(Errc::kForbidden, "token CSRF mancante o non valido");
  }
  // The idle clock restarts, at most once a minute (no write per request).
  if (now - t.lastSeenMs >= 60'000) {
    auto touch = [hash](Tx& tx) -> Result<bool> {
      SP_TRY(store::touchSession(tx.conn(), hash, tx.nowMs()));
      return true;
    };
    SP_CO_TRY(co_await db_.write<bool>(std::move(touch)));
  }
  co_return std::move(ctx);
}

asio::awaitable<Result<CitizenView>> CitizenService::me(Caller caller, std::string slug) {
  SP_CO_ASSIGN(CitizenContext ctx, co_await require(caller, slug));
  co_return CitizenView{ctx.citizen, ctx.enteSlug, ctx.csrf, ctx.providerKey};
}

asio::awaitable<Result<LogoutView>> CitizenService::logout(Caller caller, std::string slug) {
  SP_CO_ASSIGN(CitizenContext ctx, co_await require(caller, slug));
  auto job = [hash = ctx.sessionHash](Tx& tx) -> Result<bool> {
    SP_TRY(store::deleteSession(tx.conn(), hash));
    return true;
  };
  SP_CO_TRY(co_await db_.write<bool>(std::move(job)));
  LogoutView out;
  auto p = co_await providerOf(slug, ctx.providerKey);
  if (p.ok()) {
    auto d = co_await discovery(*p);
    std::string end = d.ok() ? d->value("end_session_endpoint", "") : "";
    if (!end.empty() && fetchableUrl(end)) {
      out.endSessionUrl = withQuery(
          end, formEncode({{"id_token_hint", ctx.idToken},
                           {"client_id", p->clientId},
                           {"post_logout_redirect_uri",
                            origin(caller) + "/" + slug + "/area-personale"}}));
    }
  }
  co_return out;
}

asio::awaitable<Result<ClaimView>> CitizenService::claim(Caller caller, std::string slug,
                                                         std::string kind, std::string ref,
                                                         std::string secret) {
  SP_CO_ASSIGN(CitizenContext ctx, co_await require(caller, slug));
  if (!claimableKind(kind)) {
    co_return makeError(Errc::kInvalid, "tipo di oggetto non valido", "kind");
  }
  auto job = [ctx, kind, ref, secret](Tx& tx) -> Result<ClaimView> {
    const std::string& ente = ctx.citizen.enteId;
    std::string key, shown;
    if (kind == "booking") {
      SP_ASSIGN(auto b, booking::lookup::holderBooking(tx.conn(), ente, ref, secret));
      key = b.code;
    } else if (kind == "case") {
      // The tracking code and secret the citizen was given (the offline message's answer).
      SP_ASSIGN(auto k, cases::lookup::holderCase(tx.conn(), ente, ref, secret));
      key = k.id;
      shown = k.code;
    } else if (kind == "ticket") {
      // The ticket's id and follow token (the phone ticket page's, the paper ticket's QR).
      auto t = queue::lookup::holderTicket(tx.conn(), ref, secret);
      if (!t.ok() || t->enteId != ente) {
        return makeError(Errc::kNotFound, "biglietto non trovato");
      }
      key = t->id;
    } else {
      // The visit's token is its holder's proof, as on the visit's own routes.
      auto v = reception::lookup::visit(tx.conn(), ref);
      if (!v.ok() || v->enteId != ente || secret.empty() ||
          !secretEquals(v->tokenHash, sha256Hex(secret))) {
        return makeError(Errc::kNotFound, "visita non trovata");
      }
      key = v->id;
    }
    SP_ASSIGN(auto owner, store::objectOwner(tx.conn(), ente, kind, key));
    // The answer names a case by its tracking code (its id is staff's).
    if (shown.empty()) shown = key;
    if (owner && *owner == ctx.citizen.id) return ClaimView{kind, shown, true};
    if (owner) {
      return makeError(Errc::kConflict, "questo oggetto è già nell'area personale di un'altra persona");
    }
    SP_TRY(store::linkObject(tx.conn(), ente, kind, key, ctx.citizen.id, tx.nowMs()));
    return ClaimView{kind, shown, false};
  };
  co_return co_await db_.write<ClaimView>(std::move(job));
}

asio::awaitable<Result<ContactIdentity>> CitizenService::contactIdentity(Caller caller,
                                                                         std::string slug,
                                                                         std::string kind,
                                                                         std::string ref) {
  SP_CO_ASSIGN(auto staffCtx, co_await staff_.require(caller, slug, staff::Role::kOperator));
  if (kind != "visit" && kind != "case" && kind != "appointment") {
    co_return makeError(Errc::kInvalid, "tipo di oggetto non valido", "kind");
  }
  auto job = [staffCtx, kind, ref](sql::Connection& c) -> Result<ContactIdentity> {
    const std::string& ente = staffCtx.op.enteId;
    // The contact, of this ente, and its office (which the caller must serve): a visit by id,
    // a case by id, an appointment by its booking code.
    std::string officeId, linkKind = kind, key;
    if (kind == "visit") {
      auto v = reception::lookup::visit(c, ref);
      if (!v.ok() || v->enteId != ente) return makeError(Errc::kNotFound, "visita non trovata");
      officeId = v->officeId;
      key = v->id;
    } else if (kind == "case") {
      auto k = cases::lookup::caseById(c, ref);
      if (!k.ok() || k->enteId != ente) return makeError(Errc::kNotFound, "pratica non trovata");
      officeId = k->officeId;
      key = k->id;
    } else {
      SP_ASSIGN(auto found, booking::lookup::bookingsByCodes(c, ente, {ref}));
      if (found.empty()) return makeError(Errc::kNotFound, "prenotazione non trovata");
      officeId = found[0].officeId;
      key = found[0].code;
      linkKind = "booking";
    }
    if (!staff::lookup::serves(staffCtx, ente, officeId)) {
      return makeError(Errc::kForbidden, "il contatto è di un ufficio a cui non appartieni");
    }
    SP_ASSIGN(auto owner, store::objectOwner(c, ente, linkKind, key));
    if (!owner) return ContactIdentity{};
    SP_ASSIGN(Citizen citizen, store::citizenById(c, *owner));
    return ContactIdentity{true, citizen};
  };
  co_return co_await db_.read<ContactIdentity>(std::move(job));
}

asio::awaitable<Result<EarlierContacts>> CitizenService::earlierContacts(Caller caller,
                                                                        std::string slug,
                                                                        std::string kind,
                                                                        std::string ref) {
  SP_CO_ASSIGN(auto staffCtx, co_await staff_.require(caller, slug, staff::Role::kOperator));
  if (kind != "visit") co_return makeError(Errc::kInvalid, "tipo di oggetto non valido", "kind");
  auto job = [staffCtx, kind, ref](sql::Connection& c) -> Result<EarlierContacts> {
    const std::string& ente = staffCtx.op.enteId;
    auto v = reception::lookup::visit(c, ref);
    if (!v.ok() || v->enteId != ente) return makeError(Errc::kNotFound, "visita non trovata");
    if (!staff::lookup::serves(staffCtx, ente, v->officeId)) {
      return makeError(Errc::kForbidden, "la visita è di un ufficio a cui non appartieni");
    }
    SP_ASSIGN(auto owner, store::objectOwner(c, ente, kind, v->id));
    EarlierContacts out;
    if (!owner) return out;
    out.verified = true;
    const std::string& who = *owner;
    // Each earlier contact only when this operator serves its office (what they could open
    // in the console anyway); never a transcript, a reply or a note: the contact's own page
    // in the console says more, to those allowed.
    auto maySee = [&](const std::string& officeId) {
      return staff::lookup::serves(staffCtx, ente, officeId);
    };
    SP_ASSIGN(auto visitIds, store::objectsOf(c, who, "visit"));
    for (const auto& id : visitIds) {
      if (id == v->id) continue;
      auto x = reception::lookup::visit(c, id);
      if (!x.ok() || x->enteId != ente || !maySee(x->officeId)) continue;
      out.contacts.push_back(
          {"visit", x->id, x->officeName, reception::name(x->state), x->topic, x->knockedAt});
    }
    SP_ASSIGN(auto caseIds, store::objectsOf(c, who, "case"));
    for (const auto& id : caseIds) {
      auto k = cases::lookup::caseById(c, id);
      if (!k.ok() || k->enteId != ente || !maySee(k->officeId)) continue;
      out.contacts.push_back({"case", k->code, k->officeName, cases::caseStateName(k->state),
                              k->subject, k->createdAt});
    }
    SP_ASSIGN(auto codes, store::objectsOf(c, who, "booking"));
    SP_ASSIGN(auto bookings, booking::lookup::bookingsByCodes(c, ente, codes));
    for (const auto& b : bookings) {
      if (!maySee(b.officeId)) continue;
      auto office = directory::lookup::office(c, ente, b.officeId);
      out.contacts.push_back({"appointment", b.code, office.ok() ? office->name : "",
                              booking::bookingStateName(b.state), b.day + " " + b.start,
                              b.startUtc});
    }
    SP_ASSIGN(auto ticketIds, store::objectsOf(c, who, "ticket"));
    for (const auto& id : ticketIds) {
      auto t = queue::lookup::ticket(c, id);
      if (!t.ok() || t->enteId != ente) continue;
      auto officeId = directory::lookup::serviceOffice(c, t->serviceId);
      if (!officeId.ok() || !officeId.value() || !maySee(**officeId)) continue;
      auto office = directory::lookup::office(c, ente, **officeId);
      out.contacts.push_back({"ticket", t->code, office.ok() ? office->name : "",
                              queue::ticketStateName(t->state), t->serviceName, t->issuedAt});
    }
    std::sort(out.contacts.begin(), out.contacts.end(),
              [](const EarlierContact& a, const EarlierContact& b) { return a.at > b.at; });
    if (out.contacts.size() > 50) out.contacts.resize(50);
    return out;
  };
  co_return co_await db_.read<EarlierContacts>(std::move(job));
}

asio::awaitable<Result<AreaView>> CitizenService::area(Caller caller, std::string slug) {
  SP_CO_ASSIGN(CitizenContext ctx, co_await require(caller, slug));
  int64_t now = clock_.nowMs();
  auto job = [ctx, now](sql::Connection& c) -> Result<AreaView> {
    const std::string& ente = ctx.citizen.enteId;
    const std::string& me = ctx.citizen.id;
    AreaView out;
    // Every object below is read by the refs linked to this citizen on this ente, and its own
    // ente checked again: nothing of another citizen or another ente can show.
    SP_ASSIGN(auto codes, store::objectsOf(c, me, "booking"));
    SP_ASSIGN(auto bookings, booking::lookup::bookingsByCodes(c, ente, codes));
    for (const auto& b : bookings) {
      auto office = directory::lookup::office(c, ente, b.officeId);
      AreaAppointment a{b.code, office.ok() ? office->name : "", b.day, b.start,
                        booking::bookingStateName(b.state), b.mode, b.startUtc};
      a.changeable = b.state == booking::BookingState::kBooked && b.startUtc > now;
      a.rating = ratingOf(c, feedback::Channel::kAppointment, b.id);
      out.appointments.push_back(std::move(a));
    }
    SP_ASSIGN(auto visitIds, store::objectsOf(c, me, "visit"));
    for (const auto& id : visitIds) {
      auto v = reception::lookup::visit(c, id);
      if (!v.ok() || v->enteId != ente) continue;
      AreaVisit x{v->id, v->officeName, reception::name(v->state), reception::name(v->mode),
                  reception::name(v->channel), v->topic, v->knockedAt, v->endedAt};
      SP_ASSIGN(auto messages, reception::lookup::transcript(c, v->id));
      for (const auto& m : messages) x.transcript.push_back({m.from, m.body, m.operatorName, m.at});
      x.rating = ratingOf(c, feedback::Channel::kVisit, v->id);
      out.visits.push_back(std::move(x));
    }
    std::sort(out.visits.begin(), out.visits.end(),
              [](const AreaVisit& a, const AreaVisit& b) { return a.knockedAt > b.knockedAt; });
    SP_ASSIGN(auto caseIds, store::objectsOf(c, me, "case"));
    for (const auto& id : caseIds) {
      auto k = cases::lookup::caseById(c, id);
      if (!k.ok() || k->enteId != ente) continue;
      AreaCase x{k->code, k->subject, k->officeName, cases::caseStateName(k->state),
                 cases::caseStateLabel(k->state, "it"), cases::caseStateLabel(k->state, "en"),
                 k->createdAt, k->updatedAt};
      SP_ASSIGN(auto entries, cases::lookup::citizenTimeline(c, k->id));
      for (const auto& e : entries) {
        if (!e.visible) continue;  // the lookup's promise, kept twice: never an internal note
        std::string state;
        if (e.kind == "state") {
          Json data = Json::parse(e.data, nullptr, false);
          if (data.is_object()) state = data.value("to", "");
        }
        x.timeline.push_back({e.kind, e.body, state, e.at});
      }
      x.rating = ratingOf(c, feedback::Channel::kCase, k->id);
      out.cases.push_back(std::move(x));
    }
    std::sort(out.cases.begin(), out.cases.end(),
              [](const AreaCase& a, const AreaCase& b) { return a.createdAt > b.createdAt; });
    SP_ASSIGN(auto ticketIds, store::objectsOf(c, me, "ticket"));
    if (!ticketIds.empty()) {
      SP_ASSIGN(auto enteRow, directory::lookup::enteById(c, ente));
      std::string today = localDay(enteRow.timezone, now);
      for (const auto& id : ticketIds) {
        auto t = queue::lookup::ticket(c, id);
        if (!t.ok() || t->enteId != ente || t->day != today) continue;
        AreaTicket x{t->id, t->code, t->serviceName, queue::ticketStateName(t->state), t->day,
                     t->counterName, t->issuedAt, t->calledAt};
        x.rating = ratingOf(c, feedback::Channel::kTicket, t->id);
        out.tickets.push_back(std::move(x));
      }
      std::sort(out.tickets.begin(), out.tickets.end(),
                [](const AreaTicket& a, const AreaTicket& b) { return a.issuedAt > b.issuedAt; });
    }
    return out;
  };
  co_return co_await db_.read<AreaView>(std::move(job));
}

asio::awaitable<Status> CitizenService::purge(int retentionDays) {
  int64_t now = clock_.nowMs();
  int64_t forgetBefore = now - int64_t{retentionDays} * 86'400'000;
  auto job = [now, forgetBefore, idle = opts_.idleMs, absolute = opts_.absoluteMs](Tx& tx) -> Result<bool> {
    SP_TRY(store::deleteExpiredPending(tx.conn(), now));
    SP_TRY(store::deleteEndedSessions(tx.conn(), now - idle, now - absolute));
    SP_TRY(store::forgetInactive(tx.conn(), forgetBefore));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return Status{};
}

}  // namespace sportello::citizens
