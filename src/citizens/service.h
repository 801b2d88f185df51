// Citizens' optional sign-in with SPID / CIE through OpenID Connect (issue 19), per ente:
// the admin's providers, the authorization code flow with PKCE, state and nonce, the ID token
// checked (signature through citizens/jose.h with the provider's JWKS, fetched again when a key
// is unknown: rotation; then iss, aud, azp, exp, iat, nonce: model/oidc.h), the citizen kept
// with fiscal number, names, email and phone only, and the citizen session: its own cookie
// (`sportello_citizen`), CSRF token, idle and absolute timeouts, sign-out with the provider's
// end_session when it offers one. Signing in adds, never is required.
// Thread-safe: the discovery/JWKS cache is guarded by its mutex; outgoing HTTP runs on the
// service's own two threads, never on an I/O thread.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <map>
#include <mutex>

#include "citizens/http_client.h"
#include "citizens/model/oidc.h"
#include "citizens/types.h"
#include "citizens/views.h"
#include "core/clock.h"
#include "platform/caller.h"
#include "platform/database.h"
#include "staff/service.h"

namespace sportello::citizens {

namespace asio = boost::asio;

struct CitizenOptions {
  int64_t idleMs = kSessionIdleMs;          // a session unused this long ends
  int64_t absoluteMs = kSessionAbsoluteMs;  // and any session this long after sign-in
  int64_t pendingMs = 10 * 60'000;         // time to come back from the provider
  int64_t discoveryTtlMs = 3'600'000;      // provider metadata kept this long
  bool secureCookies = false;
  std::string publicOrigin;                // "https://…" ("" → the request's Host)
};

// What an admin sends for one provider (docs/API.md).
struct ProviderInput {
  std::string label, issuer, clientId, auth = "client_secret_basic", scopes, fiscalClaim;
  std::optional<std::string> clientSecret;  // absent: keep the stored one
  std::optional<std::string> privateJwk;    // JSON text of a private JWK; absent: keep
  bool enabled = true;
};

// A signed-in citizen, as the use cases of other capabilities get it.
struct CitizenContext {
  Citizen citizen;
  std::string enteSlug;
  std::string sessionHash;
  std::string csrf;
  std::string providerKey;
  std::string idToken;
};

class CitizenService {
 public:
  CitizenService(Database& db, const Clock& clock, staff::StaffService& staff,
                 CitizenOptions opts);
  ~CitizenService();

  // ---- the ente's admin ----
  asio::awaitable<Result<std::vector<ProviderView>>> providers(Caller caller, std::string slug);
  asio::awaitable<Result<ProviderView>> saveProvider(Caller caller, std::string slug,
                                                     std::string key, ProviderInput in);
  asio::awaitable<Status> deleteProvider(Caller caller, std::string slug, std::string key);

  // ---- citizens ----
  // The enabled providers (the sign-in buttons); an ente without any → empty list.
  asio::awaitable<Result<std::vector<PublicProvider>>> publicProviders(std::string slug);
  struct LoginStart {
    std::string redirect;        // the provider's authorization URL
    std::string browserSecret;   // for the short-lived login cookie (binds the callback)
  };
  asio::awaitable<Result<LoginStart>> startLogin(Caller caller, std::string slug,
                                                 std::string key, std::string returnTo);
  struct LoginDone {
    std::string token;  // the session cookie's value
    std::string returnTo;
  };
  // The provider's redirect back: `browserSecret` is the login cookie's value.
  asio::awaitable<Result<LoginDone>> finishLogin(Caller caller, std::string slug,
                                                 std::string state, std::string code,
                                                 std::string providerError,
                                                 std::string browserSecret);
  // The caller's citizen session on this ente (+ CSRF when the request changes state);
  // kUnauthorized without one, for an ended one or one of another ente.
  asio::awaitable<Result<CitizenContext>> require(const Caller& caller, std::string_view slug);
  // Like require, but "no session" is not an error (forms prefilled when signed in).
  asio::awaitable<Result<std::optional<CitizenContext>>> optional(const Caller& caller,
                                                                  std::string_view slug);
  asio::awaitable<Result<CitizenView>> me(Caller caller, std::string slug);
  asio::awaitable<Result<LogoutView>> logout(Caller caller, std::string slug);
  // ---- the personal area ----
  // Claims an object by its holder's proof (made before signing in, or just made while signed
  // in: the forms claim it at once): `kind` "booking" with the booking's code and secret,
  // "visit" with the visit's id and token, "case" with the tracking code and secret, "ticket"
  // with the ticket's id and follow token. Once: an object claimed by another citizen →
  // kConflict; claimed again by the same citizen → `already`.
  asio::awaitable<Result<ClaimView>> claim(Caller caller, std::string slug, std::string kind,
                                           std::string ref, std::string secret);
  // For the operators (issue 19): the verified identity of the citizen behind a contact
  // (`kind` "visit" with the visit's id, "case" with the case id, "appointment" with the
  // booking code), for staff who serve its office;
  // `verified` false when no signed-in citizen made or claimed it.
  asio::awaitable<Result<ContactIdentity>> contactIdentity(Caller caller, std::string slug,
                                                           std::string kind, std::string ref);
  // For the operators: the earlier contacts (visits, cases, appointments, tickets) of the
  // signed-in citizen behind a contact (`kind` "visit"), for staff who serve that contact's
  // office, each listed only when they serve its office too.
  asio::awaitable<Result<EarlierContacts>> earlierContacts(Caller caller, std::string slug,
                                                           std::string kind, std::string ref);
  // What the signed-in citizen claimed, on this ente only.
  asio::awaitable<Result<AreaView>> area(Caller caller, std::string slug);

  // Hourly: ended sessions and abandoned sign-ins are deleted.
  // Hourly: abandoned sign-ins and ended sessions; citizens not signed in for `retentionDays`
  // (the installation's personal_data_retention_days) are forgotten with their area's links.
  asio::awaitable<Status> purge(int retentionDays);

  std::string sessionCookie(const std::string& token) const;
  std::string clearSessionCookie() const;
  std::string loginCookie(const std::string& secret) const;
  std::string clearLoginCookie() const;
  static constexpr const char* kLoginCookie = "sportello_citizen_login";

 private:
  struct Metadata {
    Json discovery;
    Json jwks;
    int64_t fetchedAt = 0;
  };
  asio::awaitable<Result<HttpAnswer>> fetch(HttpCall call);
  asio::awaitable<Result<Json>> fetchJson(HttpCall call, const char* what);
  // The provider's discovery document (cached), its issuer checked.
  asio::awaitable<Result<Json>> discovery(const Provider& p);
  // The provider's JWKS: the cached one, or fetched again when `refresh`.
  asio::awaitable<Result<Json>> jwks(const Provider& p, bool refresh);
  asio::awaitable<Result<Provider>> providerOf(std::string slug, std::string key);
  std::string origin(const Caller& caller) const;

  Database& db_;
  const Clock& clock_;
  staff::StaffService& staff_;
  CitizenOptions opts_;
  asio::thread_pool http_{2};
  std::mutex mu_;
  std::map<std::string, Metadata> meta_;  // GUARDED_BY(mu_), by issuer
};

}  // namespace sportello::citizens
