#include "citizens/routes.h"

#include <spdlog/spdlog.h>

namespace sportello::citizens {

using http::Method;
using http::Request;
using http::Response;

namespace {

Response redirect(const std::string& location) {
  Response res{http::bhttp::status::see_other, 11};
  res.set(http::bhttp::field::location, location);
  res.set(http::bhttp::field::cache_control, "no-store");
  res.set("Referrer-Policy", "no-referrer");
  res.prepare_payload();
  return res;
}

}  // namespace

void registerRoutes(http::Router& r, CitizenService& svc) {
  const std::string base = "/api/v1/enti/{slug}/citizens";

  r.add(Method::get, base + "/providers", [&svc](Request& q) -> asio::awaitable<Response> {
    co_return http::renderList("providers", co_await svc.publicProviders(q.param("slug")));
  });

  r.add(Method::get, base + "/admin/providers", [&svc](Request& q) -> asio::awaitable<Response> {
    co_return http::renderList("providers", co_await svc.providers(q.caller(), q.param("slug")));
  });

  r.add(Method::put, base + "/admin/providers/{key}",
        [&svc](Request& q) -> asio::awaitable<Response> {
          ProviderInput in;
          auto st = http::readBody(q, [&](Fields& f) {
            f.str("label", in.label, {.maxLen = 80, .required = true, .allowEmpty = false});
            f.str("issuer", in.issuer, {.maxLen = 500, .required = true, .allowEmpty = false});
            f.str("client_id", in.clientId,
                  {.maxLen = 500, .required = true, .allowEmpty = false});
            f.str("auth", in.auth, {.maxLen = 40});
            f.optStr("client_secret", in.clientSecret, {.maxLen = 500});
            f.optStr("private_jwk", in.privateJwk, {.maxLen = 20000});
            f.str("scopes", in.scopes, {.maxLen = 500});
            f.str("fiscal_number_claim", in.fiscalClaim, {.maxLen = 200});
            f.boolean("enabled", in.enabled);
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return http::render(co_await svc.saveProvider(q.caller(), q.param("slug"),
                                                           q.param("key"), std::move(in)));
        });

  r.add(Method::delete_, base + "/admin/providers/{key}",
        [&svc](Request& q) -> asio::awaitable<Response> {
          auto st = co_await svc.deleteProvider(q.caller(), q.param("slug"), q.param("key"));
          if (!st.ok()) co_return http::error(st.error());
          co_return http::noContent();
        });

  // The sign-in starts: the browser goes to the provider.
  r.add(Method::get, base + "/login/{key}", [&svc](Request& q) -> asio::awaitable<Response> {
    auto start = co_await svc.startLogin(q.caller(), q.param("slug"), q.param("key"),
                                         q.queryParam("return_to"));
    if (!start.ok()) co_return http::error(start.error());
    Response res = redirect(start->redirect);
    res.set(http::bhttp::field::set_cookie, svc.loginCookie(start->browserSecret));
    co_return res;
  });

  // The provider sends the browser back: a session, then the page the citizen came from; on
  // any failure the personal area with "errore_accesso" (the reason is logged, not shown).
  r.add(Method::get, base + "/callback", [&svc](Request& q) -> asio::awaitable<Response> {
    std::string slug = q.param("slug");
    auto done = co_await svc.finishLogin(q.caller(), slug, q.queryParam("state"),
                                         q.queryParam("code"), q.queryParam("error"),
                                         std::string(q.cookie(CitizenService::kLoginCookie)));
    if (!done.ok()) {
      spdlog::warn("citizens: sign-in refused on {}: {}", slug, done.error().message);
      Response res = redirect("/" + slug + "/area-personale?errore_accesso=" +
                              std::string(errcName(done.error().code)));
      res.set(http::bhttp::field::set_cookie, svc.clearLoginCookie());
      co_return res;
    }
    Response res = redirect(done->returnTo);
    res.insert(http::bhttp::field::set_cookie, svc.clearLoginCookie());
    res.insert(http::bhttp::field::set_cookie, svc.sessionCookie(done->token));
    co_return res;
  });

  r.add(Method::get, base + "/area", [&svc](Request& q) -> asio::awaitable<Response> {
    co_return http::render(co_await svc.area(q.caller(), q.param("slug")));
  });

  r.add(Method::post, base + "/area/claims", [&svc](Request& q) -> asio::awaitable<Response> {
    std::string kind, ref, secret;
    auto st = http::readBody(q, [&](Fields& f) {
      f.str("kind", kind, {.maxLen = 20, .required = true});
      f.str("code", ref, {.maxLen = 64, .required = true, .allowEmpty = false});
      f.str("token", secret, {.maxLen = 200, .required = true, .allowEmpty = false});
    });
    if (!st.ok()) co_return http::error(st.error());
    co_return http::render(co_await svc.claim(q.caller(), q.param("slug"), std::move(kind),
                                              std::move(ref), std::move(secret)));
  });

  r.add(Method::get, base + "/identity/{kind}/{ref}",
        [&svc](Request& q) -> asio::awaitable<Response> {
          co_return http::render(co_await svc.contactIdentity(q.caller(), q.param("slug"),
                                                              q.param("kind"), q.param("ref")));
        });

  r.add(Method::get, base + "/contacts/{kind}/{ref}",
        [&svc](Request& q) -> asio::awaitable<Response> {
          co_return http::render(co_await svc.earlierContacts(q.caller(), q.param("slug"),
                                                              q.param("kind"), q.param("ref")));
        });

  r.add(Method::get, base + "/session", [&svc](Request& q) -> asio::awaitable<Response> {
    co_return http::render(co_await svc.me(q.caller(), q.param("slug")));
  });

  r.add(Method::delete_, base + "/session", [&svc](Request& q) -> asio::awaitable<Response> {
    auto out = co_await svc.logout(q.caller(), q.param("slug"));
    Response res = http::render(out);
    if (out.ok()) res.set(http::bhttp::field::set_cookie, svc.clearSessionCookie());
    co_return res;
  });
}

}  // namespace sportello::citizens
