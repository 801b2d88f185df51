#include "staff/routes.h"

namespace sportello::staff {

using http::Method;
using http::Request;
using http::Response;

namespace {

Json sessionJson(const StaffContext& ctx, const directory::Ente& ente) {
  Json e = directory::toJson(ente);
  e.erase("id");
  return {{"operator", toJson(ctx.op)}, {"ente", e}, {"csrf_token", ctx.csrfToken}};
}

// What a colleague sees of an operator: no username (half of a login), no email.
Json colleagueJson(const Operator& op) {
  Json j = toJson(op);
  j.erase("username");
  j.erase("email");
  return j;
}

}  // namespace

void registerRoutes(http::Router& r, StaffService& staff, directory::DirectoryService& dir) {
  r.add(Method::post, "/api/v1/enti/{slug}/session",
        [&staff, &dir](Request& q) -> asio::awaitable<Response> {
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          Fields f(body.value());
          std::string username, password;
          f.str("username", username, {.maxLen = 64, .required = true});
          f.str("password", password, {.maxLen = 200, .required = true});
          if (auto st = f.finish(); !st.ok()) co_return http::error(st.error());
          auto ente = co_await dir.ente(q.param("slug"));
          if (!ente.ok()) co_return http::error(ente.error());
          auto login = co_await staff.login(q.param("slug"), username, password, q.remoteAddr,
                                            std::string(q.cookie(kSessionCookie)));
          if (!login.ok()) co_return http::error(login.error());
          Response res = http::ok(sessionJson(login->ctx, *ente));
          res.set(http::bhttp::field::set_cookie, staff.sessionCookie(login->token));
          co_return res;
        });

  r.add(Method::get, "/api/v1/session", [&staff, &dir](Request& q) -> asio::awaitable<Response> {
    auto ctx = co_await staff.authenticate(q.caller());
    if (!ctx.ok()) co_return http::error(ctx.error());
    auto ente = co_await dir.ente(ctx->enteSlug);
    if (!ente.ok()) co_return http::error(ente.error());
    co_return http::ok(sessionJson(*ctx, *ente));
  });

  r.add(Method::delete_, "/api/v1/session", [&staff](Request& q) -> asio::awaitable<Response> {
    auto ctx = co_await staff.require(q.caller(), "", Role::kOperator);
    if (!ctx.ok()) co_return http::error(ctx.error());
    auto st = co_await staff.logout(*ctx);
    if (!st.ok()) co_return http::error(st.error());
    Response res = http::noContent();
    res.set(http::bhttp::field::set_cookie, staff.clearCookie());
    co_return res;
  });

  r.add(Method::post, "/api/v1/session/password",
        [&staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), "", Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          Fields f(body.value());
          std::string current, next;
          f.str("current_password", current, {.maxLen = 200, .required = true});
          f.str("new_password", next, {.maxLen = 200, .required = true});
          if (auto st = f.finish(); !st.ok()) co_return http::error(st.error());
          auto st = co_await staff.changePassword(*ctx, current, next);
          if (!st.ok()) co_return http::error(st.error());
          co_return http::noContent();
        });

  r.add(Method::put, "/api/v1/session/presence", [&staff](Request& q) -> asio::awaitable<Response> {
    auto ctx = co_await staff.require(q.caller(), "", Role::kOperator);
    if (!ctx.ok()) co_return http::error(ctx.error());
    auto body = parseJsonObject(q.body());
    if (!body.ok()) co_return http::error(body.error());
    Fields f(body.value());
    std::string presence;
    f.str("presence", presence, {.maxLen = 20, .required = true});
    if (auto st = f.finish(); !st.ok()) co_return http::error(st.error());
    auto op = co_await staff.setPresence(*ctx, presence);
    if (!op.ok()) co_return http::error(op.error());
    co_return http::ok(toJson(*op));
  });

  // ---- operators administration ----
  // Any staff member of the ente reads the colleagues' directory (who, which offices, presence:
  // what a transfer or a callback for a colleague needs); only admins see usernames, emails and
  // deactivated accounts.
  r.add(Method::get, "/api/v1/enti/{slug}/operators",
        [&staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto ops = co_await staff.listOperators(ctx->op.enteId);
          if (!ops.ok()) co_return http::error(ops.error());
          bool admin = ctx->op.role == Role::kAdmin;
          Json a = Json::array();
          for (const auto& op : *ops) {
            if (admin) {
              a.push_back(toJson(op));
            } else if (op.active) {
              a.push_back(colleagueJson(op));
            }
          }
          co_return http::ok({{"operators", a}});
        });
  r.add(Method::get, "/api/v1/enti/{slug}/operators/{id}",
        [&staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto op = co_await staff.getOperator(ctx->op.enteId, q.param("id"));
          if (!op.ok()) co_return http::error(op.error());
          if (ctx->op.role == Role::kAdmin) co_return http::ok(toJson(*op));
          if (!op->active) co_return http::error(Errc::kNotFound, "operatore non trovato");
          co_return http::ok(colleagueJson(*op));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/operators",
        [&staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          Fields f(body.value());
          NewOperator n;
          std::string role;
          f.str("username", n.username, {.maxLen = 64, .required = true});
          f.str("display_name", n.displayName, {.maxLen = 120, .required = true});
          f.str("email", n.email, {.maxLen = 200});
          f.str("role", role, {.maxLen = 20, .required = true});
          f.str("password", n.password, {.maxLen = 200, .required = true});
          f.strArray("office_ids", n.officeIds, 100, {.maxLen = 64});
          f.boolean("active", n.active);
          if (auto st = f.finish(); !st.ok()) co_return http::error(st.error());
          auto parsed = parseRole(role);
          if (!parsed) co_return http::error(Errc::kInvalid, "ruolo non valido", "role");
          n.role = *parsed;
          auto op = co_await staff.createOperator(ctx->op.enteId, n);
          if (!op.ok()) co_return http::error(op.error());
          co_return http::created(toJson(*op));
        });
  r.add(Method::patch, "/api/v1/enti/{slug}/operators/{id}",
        [&staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          if (q.param("id") == ctx->op.id &&
              ((body->contains("role") && (*body)["role"] != "admin") ||
               (body->contains("active") && (*body)["active"] == false))) {
            co_return http::error(Errc::kConflict,
                                  "non puoi togliere a te stesso il ruolo di amministratore",
                                  "role");
          }
          auto op = co_await staff.updateOperator(ctx->op.enteId, q.param("id"), body.value());
          if (!op.ok()) co_return http::error(op.error());
          co_return http::ok(toJson(*op));
        });
}

}  // namespace sportello::staff
