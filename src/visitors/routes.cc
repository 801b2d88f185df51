#include "visitors/routes.h"

#include <charconv>

namespace sportello::visitors {

using http::Method;
using http::render;
using http::renderList;
using http::Request;
using http::Response;
using staff::Role;

namespace {

constexpr http::bhttp::status kCreated = http::bhttp::status::created;

// The fields of a new visitor (registration and pre-registration).
void visitorFields(Fields& f, NewVisitor& in) {
  f.str("first_name", in.firstName, {.maxLen = 80, .required = true, .allowEmpty = false});
  f.str("last_name", in.lastName, {.maxLen = 80, .required = true, .allowEmpty = false});
  f.optStr("document_type", in.docType, {.maxLen = 40});
  f.optStr("document_number", in.docNumber, {.maxLen = 40});
  f.str("office", in.office, {.maxLen = 64, .required = true, .allowEmpty = false});
  f.optStr("host_operator", in.hostOperator, {.maxLen = 64});
  f.optStr("host_name", in.hostName, {.maxLen = 120});
  f.str("reason", in.reason, {.maxLen = 300, .required = true, .allowEmpty = false});
  f.integer("expected_minutes", in.expectedMinutes, 5, 600);
  f.optStr("expected_at", in.expectedAt, {.maxLen = 40});
}

// ?name=N within [min, max] (default `def`); nullopt when not such a number.
std::optional<int64_t> numberParam(const Request& q, std::string_view name, int64_t def,
                                   int64_t min, int64_t max) {
  std::string s = q.queryParam(name);
  if (s.empty()) return def;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) return std::nullopt;
  return v;
}

}  // namespace

void registerRoutes(http::Router& r, VisitorService& vs, staff::StaffService& staff) {
  // Staff of the ente with at least `min`; the handler gets the context.
  auto staffRoute = [&r, &staff](Method m, const char* path, Role min, auto fn) {
    r.add(m, path, [&staff, min, fn](Request& q) -> asio::awaitable<Response> {
      auto ctx = co_await staff.require(q.caller(), q.param("slug"), min);
      if (!ctx.ok()) co_return http::error(ctx.error());
      co_return co_await fn(q, std::move(ctx.value()));
    });
  };

  // ---- configuration ----
  staffRoute(Method::get, "/api/v1/enti/{slug}/visitors/rights", Role::kOperator,
             [&vs](Request&, staff::StaffContext ctx) -> asio::awaitable<Response> {
               co_return render(co_await vs.rights(std::move(ctx)));
             });
  staffRoute(Method::put, "/api/v1/enti/{slug}/visitors/settings", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               std::optional<std::string> info;
               int64_t hours = kDefaultRetentionHours;
               auto st = readBody(q, [&](Fields& f) {
                 f.optStr("info_office", info, {.maxLen = 64});
                 f.integer("retention_hours", hours, 1, 720, true);
               });
               if (!st.ok()) co_return http::error(st.error());
               co_return render(co_await vs.saveSettings(std::move(ctx), info, hours));
             });
  staffRoute(Method::get, "/api/v1/enti/{slug}/visitor-areas", Role::kOperator,
             [&vs](Request&, staff::StaffContext ctx) -> asio::awaitable<Response> {
               co_return renderList("areas", co_await vs.areas(std::move(ctx)));
             });
  staffRoute(Method::post, "/api/v1/enti/{slug}/visitor-areas", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               std::string name;
               std::vector<std::string> offices;
               auto st = readBody(q, [&](Fields& f) {
                 f.str("name", name, {.maxLen = 120, .required = true, .allowEmpty = false});
                 f.strArray("offices", offices, 50, {.maxLen = 64, .allowEmpty = false}, true);
               });
               if (!st.ok()) co_return http::error(st.error());
               co_return render(co_await vs.createArea(std::move(ctx), name, offices), kCreated);
             });
  staffRoute(Method::put, "/api/v1/enti/{slug}/visitor-areas/{id}", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               std::string name;
               std::vector<std::string> offices;
               auto st = readBody(q, [&](Fields& f) {
                 f.str("name", name, {.maxLen = 120, .required = true, .allowEmpty = false});
                 f.strArray("offices", offices, 50, {.maxLen = 64, .allowEmpty = false}, true);
               });
               if (!st.ok()) co_return http::error(st.error());
               co_return render(
                   co_await vs.updateArea(std::move(ctx), q.param("id"), name, offices));
             });
  staffRoute(Method::delete_, "/api/v1/enti/{slug}/visitor-areas/{id}", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               auto st = co_await vs.deleteArea(std::move(ctx), q.param("id"));
               if (!st.ok()) co_return http::error(st.error());
               co_return http::noContent();
             });
  staffRoute(Method::get, "/api/v1/enti/{slug}/turnstiles", Role::kAdmin,
             [&vs](Request&, staff::StaffContext ctx) -> asio::awaitable<Response> {
               co_return renderList("turnstiles", co_await vs.turnstiles(std::move(ctx)));
             });
  staffRoute(Method::post, "/api/v1/enti/{slug}/turnstiles", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               std::string name, area;
               auto st = readBody(q, [&](Fields& f) {
                 f.str("name", name, {.maxLen = 80, .required = true, .allowEmpty = false});
                 f.str("area", area, {.maxLen = 64, .required = true, .allowEmpty = false});
               });
               if (!st.ok()) co_return http::error(st.error());
               auto t = co_await vs.createTurnstile(std::move(ctx), name, area);
               if (t.ok()) vs.addSetupLink(*t, q.caller());
               co_return render(t, kCreated);
             });
  staffRoute(Method::post, "/api/v1/enti/{slug}/turnstiles/{id}/token", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               auto t = co_await vs.newTurnstileToken(std::move(ctx), q.param("id"));
               if (t.ok()) vs.addSetupLink(*t, q.caller());
               co_return render(t);
             });
  staffRoute(Method::delete_, "/api/v1/enti/{slug}/turnstiles/{id}", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               auto st = co_await vs.deactivateTurnstile(std::move(ctx), q.param("id"));
               if (!st.ok()) co_return http::error(st.error());
               co_return http::noContent();
             });

  // ---- info point and hosts ----
  staffRoute(Method::post, "/api/v1/enti/{slug}/visitors", Role::kOperator,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               NewVisitor in;
               auto st = readBody(q, [&](Fields& f) { visitorFields(f, in); });
               if (!st.ok()) co_return http::error(st.error());
               std::string slug = ctx.enteSlug;
               auto p = co_await vs.registerVisitor(std::move(ctx), std::move(in));
               if (p.ok()) vs.addPhoneLink(*p, q.caller(), slug);
               co_return render(p, kCreated);
             });
  staffRoute(Method::post, "/api/v1/enti/{slug}/visitors/expected", Role::kOperator,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               NewVisitor in;
               auto st = readBody(q, [&](Fields& f) { visitorFields(f, in); });
               if (!st.ok()) co_return http::error(st.error());
               co_return render(co_await vs.expect(std::move(ctx), std::move(in)), kCreated);
             });
  staffRoute(Method::get, "/api/v1/enti/{slug}/visitors", Role::kOperator,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               co_return render(co_await vs.list(std::move(ctx), q.queryParam("day")));
             });
  staffRoute(Method::post, "/api/v1/enti/{slug}/visitors/{id}/confirm", Role::kOperator,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               std::optional<std::string> type, number;
               auto st = readBody(q, [&](Fields& f) {
                 f.optStr("document_type", type, {.maxLen = 40});
                 f.optStr("document_number", number, {.maxLen = 40});
               });
               if (!st.ok()) co_return http::error(st.error());
               std::string slug = ctx.enteSlug;
               auto p = co_await vs.confirm(std::move(ctx), q.param("id"), type, number);
               if (p.ok()) vs.addPhoneLink(*p, q.caller(), slug);
               co_return render(p);
             });
  staffRoute(Method::post, "/api/v1/enti/{slug}/visitors/{id}/pass", Role::kOperator,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               auto st = readBody(q, [](Fields&) {});
               if (!st.ok()) co_return http::error(st.error());
               std::string slug = ctx.enteSlug;
               auto p = co_await vs.reissue(std::move(ctx), q.param("id"));
               if (p.ok()) vs.addPhoneLink(*p, q.caller(), slug);
               co_return render(p);
             });
  staffRoute(Method::post, "/api/v1/enti/{slug}/visitors/{id}/revoke", Role::kOperator,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               auto st = readBody(q, [](Fields&) {});
               if (!st.ok()) co_return http::error(st.error());
               co_return render(co_await vs.revoke(std::move(ctx), q.param("id")));
             });
  staffRoute(Method::get, "/api/v1/enti/{slug}/occupancy", Role::kOperator,
             [&vs](Request&, staff::StaffContext ctx) -> asio::awaitable<Response> {
               co_return render(co_await vs.occupancy(std::move(ctx)));
             });
  staffRoute(Method::get, "/api/v1/enti/{slug}/visitors/views", Role::kAdmin,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               auto days = numberParam(q, "days", 30, 1, 366);
               if (!days) co_return http::error(Errc::kInvalid, "days: un numero da 1 a 366", "days");
               co_return renderList("views", co_await vs.listViews(std::move(ctx), *days));
             });
  staffRoute(Method::get, "/api/v1/enti/{slug}/visitors/entries", Role::kSupervisor,
             [&vs](Request& q, staff::StaffContext ctx) -> asio::awaitable<Response> {
               co_return render(co_await vs.entriesPerHour(std::move(ctx), q.queryParam("day")));
             });

  // ---- the visitor's phone (the pass token, posted: never in a URL or a server log) ----
  r.add(Method::post, "/api/v1/visitor-pass", [&vs](Request& q) -> asio::awaitable<Response> {
    std::string token;
    auto st = readBody(q, [&](Fields& f) {
      f.str("token", token, {.maxLen = 200, .required = true, .allowEmpty = false});
    });
    if (!st.ok()) co_return http::error(st.error());
    co_return render(co_await vs.passView(std::move(token)));
  });

  // ---- turnstiles and door tablets (device token) ----
  r.add(Method::get, "/api/v1/turnstile", [&vs](Request& q) -> asio::awaitable<Response> {
    co_return render(co_await vs.home(q.caller()));
  });
  r.add(Method::post, "/api/v1/turnstile/check", [&vs](Request& q) -> asio::awaitable<Response> {
    std::string token, dir;
    auto st = readBody(q, [&](Fields& f) {
      f.str("token", token, {.maxLen = 200, .required = true, .allowEmpty = false});
      f.str("direction", dir, {.maxLen = 8, .required = true});
    });
    if (!st.ok()) co_return http::error(st.error());
    auto d = parseDirection(dir);
    if (!d) co_return http::error(Errc::kInvalid, "direction: in o out", "direction");
    co_return render(co_await vs.check(q.caller(), std::move(token), *d));
  });
}

}  // namespace sportello::visitors
