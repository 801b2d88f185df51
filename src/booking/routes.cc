#include "booking/routes.h"

namespace sportello::booking {

using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTokenHeader = "X-Booking-Token";

// Every answer is a typed view of the service (booking/views.h), rendered by http::render.
using http::render;

using http::readBody;

// The citizen's secret: the X-Booking-Token header, else ?token= (the .ics link).
std::string secretOf(const Request& q) {
  std::string s(q.header(kTokenHeader));
  if (s.empty()) s = q.queryParam("token");
  return s;
}

}  // namespace

void registerRoutes(http::Router& r, BookingService& bs, staff::StaffService& staff) {
  // ---- public ----
  r.add(Method::get, "/api/v1/enti/{slug}/booking/offices",
        [&bs](Request& q) -> asio::awaitable<Response> {
          co_return render(co_await bs.bookable(q.param("slug")));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/offices/{office}/availability",
        [&bs](Request& q) -> asio::awaitable<Response> {
          std::optional<std::string> service;
          if (std::string s = q.queryParam("service"); !s.empty()) service = s;
          co_return render(co_await bs.availability(q.param("slug"), q.param("office"),
                                                    std::move(service), q.queryParam("month")));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/bookings",
        [&bs](Request& q) -> asio::awaitable<Response> {
          BookInput in;
          in.remote = q.remoteAddr;
          bool privacy = false;
          auto st = readBody(q, [&](Fields& f) {
            f.boolean("privacy_accepted", privacy, true);
            f.str("office", in.office, {.maxLen = 64, .required = true, .allowEmpty = false});
            f.optStr("service", in.service, {.maxLen = 64});
            f.str("date", in.date, {.maxLen = 10, .required = true, .allowEmpty = false});
            f.str("start", in.start, {.maxLen = 5, .required = true, .allowEmpty = false});
            f.str("mode", in.mode, {.maxLen = 10});
            f.str("first_name", in.firstName, {.maxLen = 80, .required = true});
            f.str("last_name", in.lastName, {.maxLen = 80, .required = true});
            f.str("email", in.email, {.maxLen = 254, .required = true});
            f.optStr("phone", in.phone, {.maxLen = 30});
            f.optStr("notes", in.notes, {.maxLen = 1000, .multiline = true});
            f.str("lang", in.lang, {.maxLen = 5});
          });
          if (!st.ok()) co_return http::error(st.error());
          if (!privacy) {
            co_return http::error(Errc::kInvalid, "occorre accettare l'informativa sulla privacy",
                                  "privacy_accepted");
          }
          if (in.lang != "it" && in.lang != "en") {
            co_return http::error(Errc::kInvalid, "lang: it o en", "lang");
          }
          co_return render(co_await bs.book(q.param("slug"), std::move(in)),
                           http::bhttp::status::created);
        });
  r.add(Method::get, "/api/v1/enti/{slug}/bookings/{code}",
        [&bs](Request& q) -> asio::awaitable<Response> {
          co_return render(
              co_await bs.view(q.param("slug"), q.param("code"), secretOf(q), q.caller()));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/bookings/{code}/cancel",
        [&bs](Request& q) -> asio::awaitable<Response> {
          auto st = readBody(q, [](Fields&) {});
          if (!st.ok()) co_return http::error(st.error());
          co_return render(
              co_await bs.cancel(q.param("slug"), q.param("code"), secretOf(q), q.caller()));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/bookings/{code}/reschedule",
        [&bs](Request& q) -> asio::awaitable<Response> {
          std::string date, start;
          auto st = readBody(q, [&](Fields& f) {
            f.str("date", date, {.maxLen = 10, .required = true, .allowEmpty = false});
            f.str("start", start, {.maxLen = 5, .required = true, .allowEmpty = false});
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await bs.reschedule(q.param("slug"), q.param("code"), secretOf(q),
                                                  std::move(date), std::move(start),
                                                  q.caller()));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/bookings/{code}/video-visit",
        [&bs](Request& q) -> asio::awaitable<Response> {
          auto st = readBody(q, [](Fields&) {});
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await bs.videoVisit(q.param("slug"), q.param("code"), secretOf(q)));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/bookings/{code}/ics",
        [&bs](Request& q) -> asio::awaitable<Response> {
          auto ics = co_await bs.ics(q.param("slug"), q.param("code"), secretOf(q));
          if (!ics.ok()) co_return http::error(ics.error());
          Response res{http::bhttp::status::ok, 11};
          res.set(http::bhttp::field::content_type, "text/calendar; charset=utf-8");
          res.set(http::bhttp::field::content_disposition,
                  "attachment; filename=\"appuntamento-" + q.param("code") + ".ics\"");
          res.set(http::bhttp::field::cache_control, "no-store");
          res.body() = std::move(ics.value());
          res.prepare_payload();
          co_return res;
        });

  // ---- staff ----
  r.add(Method::get, "/api/v1/enti/{slug}/booking/plans",
        [&bs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await bs.listPlans(std::move(ctx.value())));
        });
  r.add(Method::put, "/api/v1/enti/{slug}/booking/plans",
        [&bs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          co_return render(co_await bs.putPlan(std::move(ctx.value()), std::move(body.value())));
        });
  r.add(Method::delete_, "/api/v1/enti/{slug}/booking/plans/{id}",
        [&bs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await bs.deletePlan(std::move(ctx.value()), q.param("id")));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/offices/{office}/agenda",
        [&bs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(
              co_await bs.agenda(std::move(ctx.value()), q.param("office"), q.queryParam("date")));
        });
  for (auto [path, toMe] : std::vector<std::pair<std::string, bool>>{
           {"/api/v1/enti/{slug}/bookings/{code}/assign", true},
           {"/api/v1/enti/{slug}/bookings/{code}/unassign", false}}) {
    bool me = toMe;
    r.add(Method::post, path, [&bs, &staff, me](Request& q) -> asio::awaitable<Response> {
      auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
      if (!ctx.ok()) co_return http::error(ctx.error());
      auto st = readBody(q, [](Fields&) {});
      if (!st.ok()) co_return http::error(st.error());
      co_return render(co_await bs.assign(std::move(ctx.value()), q.param("code"), me));
    });
  }
  for (auto [path, state] : std::vector<std::pair<std::string, BookingState>>{
           {"/api/v1/enti/{slug}/bookings/{code}/arrived", BookingState::kArrived},
           {"/api/v1/enti/{slug}/bookings/{code}/no-show", BookingState::kNoShow},
           {"/api/v1/enti/{slug}/bookings/{code}/done", BookingState::kDone}}) {
    BookingState s = state;
    r.add(Method::post, path, [&bs, &staff, s](Request& q) -> asio::awaitable<Response> {
      auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
      if (!ctx.ok()) co_return http::error(ctx.error());
      auto st = readBody(q, [](Fields&) {});
      if (!st.ok()) co_return http::error(st.error());
      co_return render(co_await bs.mark(std::move(ctx.value()), q.param("code"), s));
    });
  }
}

}  // namespace sportello::booking
