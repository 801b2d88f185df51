#include "queue/routes.h"

#include "core/clock.h"

namespace sportello::queue {

using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTokenHeader = "X-Ticket-Token";

using TicketHandler = std::function<asio::awaitable<Response>(Request&, TicketActor&)>;

// A route on /api/v1/tickets/{id}/…: authorises the caller (ticket token or staff of the
// ente) before the handler runs.
void onTicket(http::Router& r, QueueService& qs, Method m, std::string_view path, TicketHandler h) {
  r.add(m, path, [&qs, h = std::move(h)](Request& q) -> asio::awaitable<Response> {
    auto a = co_await qs.actor(q.caller(kTokenHeader), q.param("id"));
    if (!a.ok()) co_return http::error(a.error());
    co_return co_await h(q, a.value());
  });
}

// Typed views are rendered by http::render / http::renderList (their toJson).
using http::render;
using http::renderList;

using http::readBody;

// A staff route on /api/v1/counters/{id}/…
template <class Fn>
void onCounter(http::Router& r, staff::StaffService& staff, std::string_view path, Fn fn) {
  r.add(Method::post, path, [&staff, fn](Request& q) -> asio::awaitable<Response> {
    auto ctx = co_await staff.require(q.caller(), "", staff::Role::kOperator);
    if (!ctx.ok()) co_return http::error(ctx.error());
    auto st = readBody(q, [](Fields&) {});
    if (!st.ok()) co_return http::error(st.error());
    co_return render(co_await fn(std::move(ctx.value()), q.param("id")));
  });
}

}  // namespace

void registerRoutes(http::Router& r, QueueService& qs, staff::StaffService& staff) {
  // ---- public ----
  r.add(Method::get, "/api/v1/enti/{slug}/sites/{site}/queue",
        [&qs](Request& q) -> asio::awaitable<Response> {
          co_return render(co_await qs.siteQueue(q.param("slug"), q.param("site")));
        });

  r.add(Method::post, "/api/v1/enti/{slug}/sites/{site}/tickets",
        [&qs](Request& q) -> asio::awaitable<Response> {
          IssueInput in;
          std::string priority = "none";
          std::optional<std::string> appointment;
          auto st = readBody(q, [&](Fields& f) {
            f.str("service", in.service, {.maxLen = 64, .required = true, .allowEmpty = false});
            f.str("priority", priority, {.maxLen = 20});
            f.optStr("appointment_at", appointment, {.maxLen = 40});
            f.str("source", in.source, {.maxLen = 10});
            f.str("lang", in.lang, {.maxLen = 5});
          });
          if (!st.ok()) co_return http::error(st.error());
          if (in.source != "machine" && in.source != "phone") {
            co_return http::error(Errc::kInvalid, "source: machine o phone", "source");
          }
          auto p = parsePriorityReason(priority);
          if (!p) {
            co_return http::error(Errc::kInvalid,
                                  "priority: none, pregnancy, age, disability o appointment",
                                  "priority");
          }
          in.priority = *p;
          if (in.lang != "it" && in.lang != "en" && in.lang != "de" && in.lang != "fr" &&
              in.lang != "es") {
            co_return http::error(Errc::kInvalid, "lang: it, en, de, fr o es", "lang");
          }
          if (appointment) {
            auto t = parseIso(*appointment);
            if (!t.ok()) {
              co_return http::error(Errc::kInvalid, "appointment_at: istante ISO 8601",
                                    "appointment_at");
            }
            in.appointmentAt =
                std::chrono::duration_cast<std::chrono::milliseconds>(t.value().time_since_epoch())
                    .count();
          }
          co_return render(
              co_await qs.issue(q.caller(), q.param("slug"), q.param("site"), std::move(in)),
              http::bhttp::status::created);
        });

  onTicket(r, qs, Method::get, "/api/v1/tickets/{id}",
           [&qs](Request&, TicketActor& a) -> asio::awaitable<Response> {
             co_return render(co_await qs.view(a));
           });
  onTicket(r, qs, Method::post, "/api/v1/tickets/{id}/cancel",
           [&qs](Request&, TicketActor& a) -> asio::awaitable<Response> {
             co_return render(co_await qs.cancel(a));
           });

  // ---- staff ----
  for (auto [path, action] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/tickets/{id}/recall", "recall"},
           {"/api/v1/tickets/{id}/start", "start"},
           {"/api/v1/tickets/{id}/done", "done"},
           {"/api/v1/tickets/{id}/no-show", "no_show"}}) {
    std::string act = action;
    onTicket(r, qs, Method::post, path,
             [&qs, action = act](Request& q, TicketActor& a) -> asio::awaitable<Response> {
               auto st = readBody(q, [](Fields&) {});
               if (!st.ok()) co_return http::error(st.error());
               co_return render(co_await qs.act(a, action));
             });
  }
  onTicket(r, qs, Method::post, "/api/v1/tickets/{id}/transfer",
           [&qs](Request& q, TicketActor& a) -> asio::awaitable<Response> {
             std::string service;
             auto st = readBody(q, [&](Fields& f) {
               f.str("service", service, {.maxLen = 64, .required = true, .allowEmpty = false});
             });
             if (!st.ok()) co_return http::error(st.error());
             co_return render(co_await qs.transfer(a, std::move(service)));
           });

  r.add(Method::get, "/api/v1/enti/{slug}/counters",
        [&qs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return renderList(
              "counters", co_await qs.listCounters(std::move(ctx.value()), q.queryParam("site")));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/counters",
        [&qs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string name, site;
          std::vector<std::string> services;
          auto st = readBody(q, [&](Fields& f) {
            f.str("name", name, {.maxLen = 40, .required = true, .allowEmpty = false});
            f.str("site", site, {.maxLen = 64, .required = true, .allowEmpty = false});
            f.strArray("services", services, 50, {.maxLen = 64, .allowEmpty = false}, true);
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await qs.createCounter(std::move(ctx.value()), std::move(name),
                                                     std::move(site), std::move(services)),
                           http::bhttp::status::created);
        });
  r.add(Method::get, "/api/v1/enti/{slug}/sites/{site}/tickets",
        [&qs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string s = q.queryParam("state");
          auto state = parseTicketState(s.empty() ? "waiting" : s);
          if (!state) {
            co_return http::error(Errc::kInvalid,
                                  "state: waiting, called, serving, done, no_show o cancelled",
                                  "state");
          }
          co_return renderList(
              "tickets", co_await qs.siteTickets(std::move(ctx.value()), q.param("site"), *state));
        });

  r.add(Method::patch, "/api/v1/counters/{id}",
        [&qs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), "", staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          QueueService::CounterPatch patch;
          auto st = readBody(q, [&](Fields& f) {
            std::string name;
            if (f.str("name", name, {.maxLen = 40, .allowEmpty = false})) patch.name = name;
            std::vector<std::string> services;
            if (f.strArray("services", services, 50, {.maxLen = 64, .allowEmpty = false})) {
              patch.services = services;
            }
            bool active = true;
            if (f.boolean("active", active)) patch.active = active;
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(
              co_await qs.updateCounter(std::move(ctx.value()), q.param("id"), std::move(patch)));
        });

  // Statistics: from / to are ISO instants or local days of the ente (YYYY-MM-DD; `to` is
  // inclusive). Default: today (local) until now.
  r.add(Method::get, "/api/v1/enti/{slug}/sites/{site}/queue-stats",
        [&qs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await qs.stats(std::move(ctx.value()), q.param("site"),
                                             q.queryParam("from"), q.queryParam("to")));
        });

  onCounter(r, staff, "/api/v1/counters/{id}/call-next",
            [&qs](staff::StaffContext ctx, std::string id) {
              return qs.callNext(std::move(ctx), std::move(id));
            });
  onCounter(r, staff, "/api/v1/counters/{id}/pause",
            [&qs](staff::StaffContext ctx, std::string id) {
              return qs.setCounter(std::move(ctx), std::move(id), CounterState::kPaused);
            });
  onCounter(r, staff, "/api/v1/counters/{id}/close",
            [&qs](staff::StaffContext ctx, std::string id) {
              return qs.setCounter(std::move(ctx), std::move(id), CounterState::kClosed);
            });
}

}  // namespace sportello::queue
