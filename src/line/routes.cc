#include "line/routes.h"

namespace sportello::line {

using http::Method;
using http::Request;
using http::Response;

namespace {

// Typed views (line/views.h) are rendered by http::render (their toJson).
using http::render;

// {"desk": the desk or null}: the caller's own desk (mine, and close).
Json deskJson(const std::optional<StoredDesk>& d) {
  return {{"desk", d ? toJson(*d) : Json(nullptr)}};
}

// A staff route with no input beyond the session; `render` turns the use case's answer into
// the JSON body.
template <class T, class Render>
void onStaff(http::Router& r, staff::StaffService& staff, Method m, std::string_view path,
             std::function<asio::awaitable<Result<T>>(staff::StaffContext)> fn, Render render) {
  r.add(m, path, [&staff, m, fn = std::move(fn), render](Request& q) -> asio::awaitable<Response> {
    auto ctx = co_await staff.require(q.caller(), "", staff::Role::kOperator);
    if (!ctx.ok()) co_return http::error(ctx.error());
    if (m == Method::post) {
      auto st = http::readBody(q, [](Fields&) {});
      if (!st.ok()) co_return http::error(st.error());
    }
    auto out = co_await fn(std::move(ctx.value()));
    if (!out.ok()) co_return http::error(out.error());
    co_return http::ok(render(out.value()));
  });
}

}  // namespace

void registerRoutes(http::Router& r, LineService& ls, staff::StaffService& staff) {
  r.add(Method::post, "/api/v1/desks", [&ls, &staff](Request& q) -> asio::awaitable<Response> {
    auto ctx = co_await staff.require(q.caller(), "", staff::Role::kOperator);
    if (!ctx.ok()) co_return http::error(ctx.error());
    OpenDeskInput in;
    auto st = http::readBody(q, [&](Fields& f) {
      f.optStr("counter_id", in.counterId, {.maxLen = 64, .allowEmpty = false});
      f.boolean("remote", in.remote);
      f.strArray("offices", in.offices, 50, {.maxLen = 64, .allowEmpty = false});
    });
    if (!st.ok()) co_return http::error(st.error());
    co_return render(co_await ls.open(std::move(ctx.value()), std::move(in)),
                     http::bhttp::status::created);
  });
  onStaff<std::vector<StoredDesk>>(
      r, staff, Method::get, "/api/v1/desks",
      [&ls](staff::StaffContext ctx) { return ls.desks(std::move(ctx)); },
      [](const std::vector<StoredDesk>& ds) {
        Json arr = jsonArray(ds);
        return Json{{"desks", std::move(arr)}};
      });
  onStaff<Supervision>(
      r, staff, Method::get, "/api/v1/supervision",
      [&ls](staff::StaffContext ctx) { return ls.supervision(std::move(ctx)); },
      [](const Supervision& s) { return toJson(s); });
  r.add(Method::get, "/api/v1/enti/{slug}/wall", [&ls, &staff](Request& q) -> asio::awaitable<Response> {
    auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kSupervisor);
    if (!ctx.ok()) co_return http::error(ctx.error());
    std::string site = q.queryParam("site");
    if (site.size() > 64) co_return http::error(Errc::kInvalid, "site: sede sconosciuta", "site");
    co_return render(co_await ls.wall(std::move(ctx.value()), std::move(site)));
  });
  onStaff<std::optional<StoredDesk>>(
      r, staff, Method::get, "/api/v1/desks/mine",
      [&ls](staff::StaffContext ctx) { return ls.mine(std::move(ctx)); }, deskJson);
  onStaff<StoredDesk>(
      r, staff, Method::delete_, "/api/v1/desks/mine",
      [&ls](staff::StaffContext ctx) { return ls.close(std::move(ctx)); },
      [](const StoredDesk& d) { return deskJson(d); });
  onStaff<DeskLine>(
      r, staff, Method::get, "/api/v1/desks/mine/line",
      [&ls](staff::StaffContext ctx) { return ls.line(std::move(ctx)); },
      [](const DeskLine& l) { return toJson(l); });
  onStaff<DeskCall>(
      r, staff, Method::post, "/api/v1/desks/mine/next",
      [&ls](staff::StaffContext ctx) { return ls.next(std::move(ctx)); },
      [](const DeskCall& c) { return toJson(c); });
  r.add(Method::post, "/api/v1/desks/mine/take",
        [&ls, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), "", staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string id;
          auto st = http::readBody(q, [&](Fields& f) {
            f.str("id", id, {.maxLen = 64, .required = true, .allowEmpty = false});
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await ls.next(std::move(ctx.value()), std::move(id)));
        });
}

}  // namespace sportello::line
