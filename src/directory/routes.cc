#include "directory/routes.h"

namespace sportello::directory {

using http::Method;
using http::Request;
using http::Response;
using staff::Role;

namespace {

Response rawJson(std::string body) {
  Response res{http::bhttp::status::ok, 11};
  res.set(http::bhttp::field::content_type, "application/json; charset=utf-8");
  res.set(http::bhttp::field::cache_control, "no-cache");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

void registerRoutes(http::Router& r, DirectoryService& dir, staff::StaffService& staff,
                    std::string defaultEnte) {
  r.add(Method::get, "/api/v1/enti", [&dir](Request&) -> asio::awaitable<Response> {
    auto enti = co_await dir.listEnti();
    if (!enti.ok()) co_return http::error(enti.error());
    Json a = Json::array();
    for (const auto& e : *enti) {
      a.push_back({{"slug", e.slug},
                   {"name", e.name},
                   {"logo_url", e.logoUrl ? Json(*e.logoUrl) : Json(nullptr)},
                   {"primary_color", e.primaryColor}});
    }
    co_return http::ok({{"enti", a}});
  });

  r.add(Method::get, "/api/v1/enti/{slug}", [&dir](Request& q) -> asio::awaitable<Response> {
    auto e = co_await dir.ente(q.param("slug"));
    if (!e.ok()) co_return http::error(e.error());
    Json j = toJson(*e);
    j.erase("id");
    co_return http::ok(j);
  });

  r.add(Method::get, "/api/v1/enti/{slug}/offices",
        [&dir](Request& q) -> asio::awaitable<Response> {
          auto body = co_await dir.officesView(q.param("slug"));
          if (!body.ok()) co_return http::error(body.error());
          co_return rawJson(std::move(body).value());
        });

  r.add(Method::get, "/api/v1/offices", [&dir, defaultEnte](Request&) -> asio::awaitable<Response> {
    auto slug = co_await dir.defaultEnteSlug(defaultEnte);
    if (!slug.ok() || slug->empty()) {
      co_return http::error(Errc::kNotFound, "nessun ente configurato");
    }
    auto body = co_await dir.officesView(slug.value());
    if (!body.ok()) co_return http::error(body.error());
    co_return rawJson(std::move(body).value());
  });

  // ---- administration ----
  r.add(Method::patch, "/api/v1/enti/{slug}",
        [&dir, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          auto e = co_await dir.updateEnte(q.param("slug"), body.value());
          if (!e.ok()) co_return http::error(e.error());
          co_return http::ok(toJson(*e));
        });

  for (std::string kind : {"sites", "offices", "services"}) {
    std::string base = "/api/v1/enti/{slug}/" + kind;
    // Lists are readable by every staff member of the ente (the console needs them). The
    // offices list is the public view registered above, which carries every field.
    if (kind != "offices")
      r.add(Method::get, base, [&dir, &staff, kind](Request& q) -> asio::awaitable<Response> {
        auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kOperator);
        if (!ctx.ok()) co_return http::error(ctx.error());
        co_return http::render(co_await dir.list(q.param("slug"), kind));
      });
    r.add(Method::post, base, [&dir, &staff, kind](Request& q) -> asio::awaitable<Response> {
      auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
      if (!ctx.ok()) co_return http::error(ctx.error());
      auto body = parseJsonObject(q.body());
      if (!body.ok()) co_return http::error(body.error());
      co_return http::render(co_await dir.create(q.param("slug"), kind, body.value()),
                             http::bhttp::status::created);
    });
    r.add(Method::get, base + "/{id}",
          [&dir, &staff, kind](Request& q) -> asio::awaitable<Response> {
            auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kOperator);
            if (!ctx.ok()) co_return http::error(ctx.error());
            co_return http::render(co_await dir.get(q.param("slug"), kind, q.param("id")));
          });
    r.add(Method::patch, base + "/{id}",
          [&dir, &staff, kind](Request& q) -> asio::awaitable<Response> {
            auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
            if (!ctx.ok()) co_return http::error(ctx.error());
            auto body = parseJsonObject(q.body());
            if (!body.ok()) co_return http::error(body.error());
            co_return http::render(
                co_await dir.update(q.param("slug"), kind, q.param("id"), body.value()));
          });
    r.add(Method::delete_, base + "/{id}",
          [&dir, &staff, kind](Request& q) -> asio::awaitable<Response> {
            auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
            if (!ctx.ok()) co_return http::error(ctx.error());
            auto st = co_await dir.remove(q.param("slug"), kind, q.param("id"));
            if (!st.ok()) co_return http::error(st.error());
            co_return http::noContent();
          });
  }

  r.add(Method::get, "/api/v1/enti/{slug}/offices/{id}/schedule",
        [&dir, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return http::render(co_await dir.schedule(q.param("slug"), q.param("id")));
        });
  r.add(Method::put, "/api/v1/enti/{slug}/offices/{id}/schedule",
        [&dir, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          co_return http::render(
              co_await dir.putSchedule(q.param("slug"), q.param("id"), body.value()));
        });

  r.add(Method::get, "/api/v1/enti/{slug}/holidays",
        [&dir, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string y = q.queryParam("year");
          int year = 0;
          if (y.empty()) {
            year = dir.currentYear(q.param("slug"));
          } else if (y.size() == 4 && std::all_of(y.begin(), y.end(), ::isdigit)) {
            year = std::stoi(y);
          } else {
            co_return http::error(Errc::kInvalid, "anno non valido", "year");
          }
          co_return http::render(co_await dir.holidays(q.param("slug"), year));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/holidays",
        [&dir, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          co_return http::render(co_await dir.addHoliday(q.param("slug"), body.value()),
                                 http::bhttp::status::created);
        });
  r.add(Method::delete_, "/api/v1/enti/{slug}/holidays/{id}",
        [&dir, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto st = co_await dir.removeHoliday(q.param("slug"), q.param("id"));
          if (!st.ok()) co_return http::error(st.error());
          co_return http::noContent();
        });
}

}  // namespace sportello::directory
