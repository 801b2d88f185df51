#include "reception/routes.h"

namespace sportello::reception {

using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTokenHeader = "X-Visit-Token";

using VisitHandler = std::function<asio::awaitable<Response>(Request&, Actor&)>;

// A route on /api/v1/visits/{id}/…: authorises the caller (visit token or staff of the
// office) before the handler runs.
void onVisit(http::Router& r, ReceptionService& rs, Method m, std::string_view path,
             VisitHandler h) {
  r.add(m, path, [&rs, h = std::move(h)](Request& q) -> asio::awaitable<Response> {
    auto a = co_await rs.actor(q.caller(kTokenHeader), q.param("id"));
    if (!a.ok()) co_return http::error(a.error());
    co_return co_await h(q, a.value());
  });
}

// Typed views are rendered by http::render / http::renderList (their toJson).
using http::render;
using http::renderList;

// A use case with nothing to show: 204, or the error.
Response render(const Status& s) {
  if (!s.ok()) return http::error(s.error());
  return http::noContent();
}

using http::readBody;

// For requests that take no body: an empty body or {} only, so that a misspelt field is an
// error rather than silently ignored.
Status noBody(const Request& q) {
  return readBody(q, [](Fields&) {});
}

}  // namespace

void registerRoutes(http::Router& r, ReceptionService& rs, staff::StaffService& staff) {
  // ---- citizen ----
  r.add(Method::get, "/api/v1/enti/{slug}/offices/{office}/reception",
        [&rs](Request& q) -> asio::awaitable<Response> {
          co_return render(co_await rs.receptionStatus(q.param("slug"), q.param("office")));
        });

  // The widget's button on a Comune's own site (another origin): public figures only, so any
  // page may read them (no cookies are involved); `framing` depends on the asking Origin.
  r.add(Method::get, "/api/v1/enti/{slug}/widget", [&rs](Request& q) -> asio::awaitable<Response> {
    std::vector<std::string> offices;
    std::string list = q.queryParam("offices");
    for (size_t at = 0; at <= list.size();) {
      size_t comma = std::min(list.find(',', at), list.size());
      std::string one = list.substr(at, comma - at);
      if (!one.empty()) offices.push_back(std::move(one));
      at = comma + 1;
    }
    Response res = render(
        co_await rs.widgetStatus(q.param("slug"), std::move(offices), std::string(q.header("Origin"))));
    res.set(http::bhttp::field::access_control_allow_origin, "*");
    res.set(http::bhttp::field::vary, "Origin");
    res.set(http::bhttp::field::cache_control, "no-store");
    co_return res;
  });

  r.add(Method::post, "/api/v1/enti/{slug}/offices/{office}/visits",
        [&rs](Request& q) -> asio::awaitable<Response> {
          KnockInput in;
          std::string mode = "chat", channel = "web";
          auto st = readBody(q, [&](Fields& f) {
            f.str("name", in.name, {.maxLen = 80});
            f.str("topic", in.topic, {.maxLen = 200});
            f.str("mode", mode, {.maxLen = 10});
            f.str("channel", channel, {.maxLen = 10});
          });
          if (!st.ok()) co_return http::error(st.error());
          auto m = parseMode(mode);
          if (!m) co_return http::error(Errc::kInvalid, "mode: chat o video", "mode");
          auto c = parseVisitChannel(channel);
          if (!c || *c == VisitChannel::kKiosk || *c == VisitChannel::kAppointment) {
            co_return http::error(Errc::kInvalid, "channel: web o widget", "channel");
          }
          in.mode = *m;
          in.channel = *c;
          co_return render(
              co_await rs.knock(q.param("slug"), q.param("office"), std::move(in), q.remoteAddr),
              http::bhttp::status::created);
        });

  r.add(Method::post, "/api/v1/enti/{slug}/offices/{office}/callback-requests",
        [&rs](Request& q) -> asio::awaitable<Response> {
          CallbackInput in;
          bool privacy = false;
          auto st = readBody(q, [&](Fields& f) {
            f.str("name", in.name, {.maxLen = 80, .required = true, .allowEmpty = false});
            f.str("contact", in.contact, {.maxLen = 254, .required = true, .allowEmpty = false});
            f.str("message", in.message,
                  {.maxLen = 8000, .required = true, .multiline = true, .allowEmpty = false});
            f.boolean("privacy_accepted", privacy, true);
          });
          if (!st.ok()) co_return http::error(st.error());
          if (!privacy) {
            co_return http::error(Errc::kInvalid, "occorre accettare l'informativa sulla privacy",
                                  "privacy_accepted");
          }
          auto len = utf8Length(in.message);
          if (!len || *len > 2000) {
            co_return http::error(Errc::kInvalid, "messaggio: al massimo 2000 caratteri",
                                  "message");
          }
          co_return render(co_await rs.createCallback(q.param("slug"), q.param("office"),
                                                      std::move(in), q.remoteAddr),
                           http::bhttp::status::created);
        });

  onVisit(r, rs, Method::get, "/api/v1/visits/{id}",
          [&rs](Request&, Actor& a) -> asio::awaitable<Response> {
            co_return render(co_await rs.view(a));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/leave",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            if (auto st = noBody(q); !st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.leave(a));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/here",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            if (auto st = noBody(q); !st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.here(a));
          });
  onVisit(r, rs, Method::get, "/api/v1/visits/{id}/messages",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            int64_t after = 0;
            std::string s = q.queryParam("after");
            if (!s.empty()) {
              char* end = nullptr;
              after = std::strtoll(s.c_str(), &end, 10);
              if (*end != '\0' || after < 0) {
                co_return http::error(Errc::kInvalid, "after: intero ≥ 0", "after");
              }
            }
            co_return render(co_await rs.messages(a, after));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/messages",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            std::string body, clientId;
            auto st = readBody(q, [&](Fields& f) {
              f.str("body", body, {.maxLen = 8000, .required = true, .multiline = true});
              f.str("client_id", clientId, {.maxLen = 40});
            });
            if (!st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.sendMessage(a, std::move(body), std::move(clientId)),
                             http::bhttp::status::created);
          });
  // Internal notes (staff of the visit's office only; never the citizen).
  onVisit(r, rs, Method::get, "/api/v1/visits/{id}/notes",
          [&rs](Request&, Actor& a) -> asio::awaitable<Response> {
            co_return renderList("notes", co_await rs.notes(a));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/notes",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            std::string body;
            auto st = readBody(q, [&](Fields& f) {
              f.str("body", body, {.maxLen = 8000, .required = true, .multiline = true});
            });
            if (!st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.addNote(a, std::move(body)),
                             http::bhttp::status::created);
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/read",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            int64_t seq = 0;
            auto st = readBody(q, [&](Fields& f) { f.integer("seq", seq, 0, INT64_MAX, true); });
            if (!st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.markRead(a, seq));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/call",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            if (auto st = noBody(q); !st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.startCall(a));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/call/propose",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            if (auto st = noBody(q); !st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.proposeCall(a));
          });
  onVisit(r, rs, Method::delete_, "/api/v1/visits/{id}/call",
          [&rs](Request&, Actor& a) -> asio::awaitable<Response> {
            co_return render(co_await rs.endCall(a));
          });
  onVisit(r, rs, Method::get, "/api/v1/visits/{id}/ice",
          [&rs](Request&, Actor& a) -> asio::awaitable<Response> {
            Response res = render(co_await rs.iceServers(a));
            res.set(http::bhttp::field::cache_control, "no-store");
            co_return res;
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/end",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            std::optional<std::string> outcome;
            std::optional<FollowUp> followUp;
            auto st = readBody(q, [&](Fields& f) {
              f.optStr("outcome", outcome, {.maxLen = 20});
              // "Da richiamare": whom to call back, when, and a note (cases opens the case).
              if (const Json* cb = f.raw("callback", Json::value_t::object)) {
                Fields g(*cb, "callback.");
                FollowUp u;
                std::optional<std::string> due;
                g.str("phone", u.phone, {.maxLen = 40});
                g.str("note", u.note, {.maxLen = 500, .multiline = true});
                g.optStr("due_at", due, {.maxLen = 40});
                if (due && !g.failed()) {
                  auto t = parseIso(*due);
                  if (!t.ok()) {
                    g.fail("due_at", "callback.due_at: istante ISO 8601");
                  } else {
                    u.dueAt = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  t.value().time_since_epoch())
                                  .count();
                  }
                }
                if (auto gs = g.finish(); !gs.ok()) {
                  f.fail("callback", gs.error().message);
                } else {
                  followUp = std::move(u);
                }
              }
            });
            if (!st.ok()) co_return http::error(st.error());
            std::optional<Outcome> o;
            if (outcome) {
              o = parseOutcome(*outcome);
              if (!o) {
                co_return http::error(Errc::kInvalid,
                                      "outcome: resolved, needs_callback, transferred o abandoned",
                                      "outcome");
              }
            }
            co_return render(co_await rs.end(a, o, std::move(followUp)));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/rating",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            std::string score, comment;
            std::vector<std::string> reasons;
            auto st = readBody(q, [&](Fields& f) {
              f.str("score", score, {.maxLen = 10, .required = true});
              f.strArray("reasons", reasons, 6, {.maxLen = 20});
              f.str("comment", comment, {.maxLen = 2000, .multiline = true});
            });
            if (!st.ok()) co_return http::error(st.error());
            auto s = parseScore(score);
            if (!s)
              co_return http::error(Errc::kInvalid, "score: positive, neutral o negative", "score");
            co_return render(co_await rs.rate(a, *s, std::move(reasons), std::move(comment)));
          });

  // ---- staff ----
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/admit",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            if (auto st = noBody(q); !st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.admit(a));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/reject",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            std::string reason;
            auto st = readBody(
                q, [&](Fields& f) { f.str("reason", reason, {.maxLen = 1200, .required = true}); });
            if (!st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.reject(a, std::move(reason)));
          });
  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/transfer",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            std::string office;
            auto st = readBody(
                q, [&](Fields& f) { f.str("office", office, {.maxLen = 64, .required = true}); });
            if (!st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.transfer(a, std::move(office)));
          });

  onVisit(r, rs, Method::post, "/api/v1/visits/{id}/assign",
          [&rs](Request& q, Actor& a) -> asio::awaitable<Response> {
            std::string op;
            auto st = readBody(q, [&](Fields& f) {
              f.str("operator_id", op, {.maxLen = 64, .required = true, .allowEmpty = false});
            });
            if (!st.ok()) co_return http::error(st.error());
            co_return render(co_await rs.reassign(a, std::move(op)));
          });

  // ---- the workspace's contact settings (ente, office) ----
  auto settingsRoutes = [&rs, &staff, &r](std::string path, bool ofOffice) {
    r.add(Method::get, path, [&rs, &staff, ofOffice](Request& q) -> asio::awaitable<Response> {
      auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
      if (!ctx.ok()) co_return http::error(ctx.error());
      // GCC 12: no conditional temporaries inside a co_await expression (double destruction).
      std::string office = ofOffice ? std::string(q.param("office")) : std::string();
      co_return render(co_await rs.contactSettings(std::move(ctx.value()), std::move(office)));
    });
    r.add(Method::put, path, [&rs, &staff, ofOffice](Request& q) -> asio::awaitable<Response> {
      auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kSupervisor);
      if (!ctx.ok()) co_return http::error(ctx.error());
      ContactSettings in;
      bool keepTarget = false;
      auto st = readBody(q, [&](Fields& f) {
        // Both fields required; null = unset (an office then follows the ente).
        if (!f.has("max_chats")) f.fail("max_chats", "max_chats: da 1 a 50, o null");
        if (!f.has("auto_assign")) f.fail("auto_assign", "auto_assign: true, false o null");
        if (f.isNull("max_chats")) {
          f.raw("max_chats", Json::value_t::null);
        } else {
          int64_t n = 0;
          if (f.integer("max_chats", n, 1, 50)) in.maxChats = n;
        }
        if (f.isNull("auto_assign")) {
          f.raw("auto_assign", Json::value_t::null);
        } else {
          bool b = false;
          if (f.boolean("auto_assign", b)) in.autoAssign = b;
        }
        // Optional (absent: the stored target stays); null = unset.
        if (!f.has("target_wait_minutes")) {
          keepTarget = true;
        } else if (f.isNull("target_wait_minutes")) {
          f.raw("target_wait_minutes", Json::value_t::null);
        } else {
          int64_t n = 0;
          if (f.integer("target_wait_minutes", n, 1, 480)) in.targetWaitMinutes = n;
        }
      });
      if (!st.ok()) co_return http::error(st.error());
      std::string office = ofOffice ? std::string(q.param("office")) : std::string();
      co_return render(co_await rs.setContactSettings(std::move(ctx.value()), std::move(office), in,
                                                      keepTarget));
    });
  };
  settingsRoutes("/api/v1/enti/{slug}/contact-settings", false);
  settingsRoutes("/api/v1/enti/{slug}/offices/{office}/contact-settings", true);

  r.add(Method::get, "/api/v1/enti/{slug}/reception",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await rs.console(std::move(ctx.value())));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/offices/{office}/visits",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string state = q.queryParam("state");
          auto s = parseVisitState(state.empty() ? "waiting" : state);
          if (!s || (*s != VisitState::kWaiting && *s != VisitState::kAdmitted &&
                     *s != VisitState::kEnded)) {
            co_return http::error(Errc::kInvalid, "state: waiting, admitted o ended", "state");
          }
          int64_t limit = 100;
          std::string l = q.queryParam("limit");
          if (!l.empty()) {
            char* end = nullptr;
            limit = std::strtoll(l.c_str(), &end, 10);
            if (*end != '\0' || limit < 1 || limit > 500) {
              co_return http::error(Errc::kInvalid, "limit: da 1 a 500", "limit");
            }
          }
          co_return renderList("visits", co_await rs.officeVisits(std::move(ctx.value()),
                                                                  q.param("office"), *s, limit));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/offices/{office}/admit-next",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          if (auto st = noBody(q); !st.ok()) co_return http::error(st.error());
          co_return render(co_await rs.admitNext(std::move(ctx.value()), q.param("office")));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/callback-requests",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string state = q.queryParam("state");
          if (state.empty()) state = "new";
          if (state != "new" && state != "done") {
            co_return http::error(Errc::kInvalid, "state: new o done", "state");
          }
          co_return renderList(
              "callback_requests",
              co_await rs.listCallbacks(std::move(ctx.value()), q.queryParam("office"), state));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/callback-requests/{id}/done",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string note;
          auto st = readBody(
              q, [&](Fields& f) { f.str("note", note, {.maxLen = 500, .multiline = true}); });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(
              co_await rs.callbackDone(std::move(ctx.value()), q.param("id"), std::move(note)));
        });

  // ---- kiosks ----
  r.add(Method::get, "/api/v1/enti/{slug}/kiosks",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return renderList("kiosks", co_await rs.listKiosks(ctx->op.enteId));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/kiosks",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string name, office;
          std::optional<std::string> site;
          auto st = readBody(q, [&](Fields& f) {
            f.str("name", name, {.maxLen = 80, .required = true, .allowEmpty = false});
            f.str("office", office, {.maxLen = 64, .required = true, .allowEmpty = false});
            f.optStr("site", site, {.maxLen = 64});
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await rs.createKiosk(ctx->op.enteId, name, office, site),
                           http::bhttp::status::created);
        });
  r.add(Method::post, "/api/v1/enti/{slug}/kiosks/{id}/token",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await rs.newKioskToken(ctx->op.enteId, q.param("id")));
        });
  r.add(Method::delete_, "/api/v1/enti/{slug}/kiosks/{id}",
        [&rs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await rs.deactivateKiosk(ctx->op.enteId, q.param("id")));
        });
  r.add(Method::get, "/api/v1/kiosk", [&rs](Request& q) -> asio::awaitable<Response> {
    auto k = co_await rs.kiosk(q.caller());
    if (!k.ok()) co_return http::error(k.error());
    co_return render(co_await rs.kioskHome(std::move(k.value())));
  });
  r.add(Method::post, "/api/v1/kiosk/visits", [&rs](Request& q) -> asio::awaitable<Response> {
    auto k = co_await rs.kiosk(q.caller());
    if (!k.ok()) co_return http::error(k.error());
    if (auto st = noBody(q); !st.ok()) co_return http::error(st.error());
    KnockInput in;
    in.mode = Mode::kVideo;
    in.channel = VisitChannel::kKiosk;
    auto home = co_await rs.kioskHome(k.value());
    if (!home.ok()) co_return http::error(home.error());
    co_return render(
        co_await rs.knock(home->enteSlug, k->officeId, std::move(in), q.remoteAddr, k->id),
        http::bhttp::status::created);
  });
}

}  // namespace sportello::reception
