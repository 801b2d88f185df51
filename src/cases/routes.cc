#include "cases/routes.h"

#include <sodium.h>

#include "core/clock.h"
#include "core/contact.h"
#include "reception/model/visit.h"

namespace sportello::cases {

using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTokenHeader = "X-Case-Token";

using CaseHandler = std::function<asio::awaitable<Response>(Request&, CaseActor&)>;

// A staff route on /api/v1/cases/{id}/…: the caller must be allowed on the case.
void onCase(http::Router& r, CaseService& cs, Method m, std::string_view path, CaseHandler h) {
  r.add(m, path, [&cs, h = std::move(h)](Request& q) -> asio::awaitable<Response> {
    auto a = co_await cs.actor(q.caller(), q.param("id"));
    if (!a.ok()) co_return http::error(a.error());
    co_return co_await h(q, a.value());
  });
}

// Every answer is a typed view of the service (cases/views.h), rendered by http::render.
using http::render;

using http::readBody;

Result<int64_t> instant(const std::string& s, const char* field) {
  auto t = parseIso(s);
  if (!t.ok()) return makeError(Errc::kInvalid, std::string(field) + ": istante ISO 8601", field);
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.value().time_since_epoch())
      .count();
}

// Free text of at most `max` characters (UTF-8).
Status textLimit(const std::string& s, size_t max, const char* field) {
  auto n = utf8Length(s);
  if (!n) return makeError(Errc::kInvalid, std::string(field) + ": testo non valido", field);
  if (*n > max) {
    return makeError(Errc::kInvalid,
                     std::string(field) + ": al massimo " + std::to_string(max) + " caratteri",
                     field);
  }
  return okStatus();
}

Status validEmail(const std::string& s) {
  if (!contact::validEmail(s)) {
    return makeError(Errc::kInvalid, "citizen.email: indirizzo email non valido", "citizen.email");
  }
  return okStatus();
}

Status validPhone(const std::string& s, const char* field) {
  if (!contact::validPhone(s)) {
    return makeError(Errc::kInvalid, std::string(field) + ": numero di telefono non valido", field);
  }
  return okStatus();
}

Response download(const Result<std::pair<Attachment, std::string>>& r) {
  if (!r.ok()) return http::error(r.error());
  const auto& [a, bytes] = r.value();
  Response res{http::bhttp::status::ok, 11};
  // Never rendered by the browser: always a download, type from the magic bytes.
  res.set(http::bhttp::field::content_type, a.contentType);
  res.set(http::bhttp::field::content_disposition, "attachment; filename=\"" + a.filename + "\"");
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::bhttp::field::cache_control, "private, no-store");
  res.body() = bytes;
  res.prepare_payload();
  return res;
}

std::optional<std::string> fromBase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), "\r\n", &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string token(const Request& q) {
  return std::string(q.header(kTokenHeader));
}

}  // namespace

void registerRoutes(http::Router& r, CaseService& cs, staff::StaffService& staff) {
  // ---- staff: cases of the ente ----
  r.add(Method::post, "/api/v1/enti/{slug}/cases",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          CreateInput in;
          std::string channel = "phone", priority = "normal";
          std::optional<std::string> due, callbackDue, visit;
          int64_t level = 1;
          const Json* citizen = nullptr;
          auto st = readBody(q, [&](Fields& f) {
            f.str("office", in.office, {.maxLen = 64});
            f.str("subject", in.subject, {.maxLen = 400, .required = true, .allowEmpty = false});
            f.str("channel", channel, {.maxLen = 10});
            f.str("priority", priority, {.maxLen = 10});
            f.optStr("due_at", due, {.maxLen = 40});
            f.integer("level", level, kMinLevel, kMaxLevel);
            f.str("answer", in.answer, {.maxLen = 20000, .multiline = true});
            f.boolean("resolved_now", in.resolvedNow);
            f.optStr("visit", visit, {.maxLen = 64});
            f.optStr("callback_due_at", callbackDue, {.maxLen = 40});
            f.boolean("wait_in_line", in.waitInLine);
            f.str("lang", in.lang, {.maxLen = 5});
            citizen = f.raw("citizen", Json::value_t::object);
            if (citizen) {
              Fields c(*citizen, "citizen");
              c.str("name", in.citizen.name, {.maxLen = 120});
              c.str("email", in.citizen.email, {.maxLen = 254});
              c.str("phone", in.citizen.phone, {.maxLen = 30});
              auto cs2 = c.finish();
              if (!cs2.ok()) f.fail(cs2.error().field, cs2.error().message);
            }
          });
          if (!st.ok()) co_return http::error(st.error());
          auto ch = parseChannel(channel);
          if (!ch)
            co_return http::error(Errc::kInvalid, "channel: phone, visit, message, walk_in o email",
                                  "channel");
          in.channel = *ch;
          auto pr = parsePriority(priority);
          if (!pr)
            co_return http::error(Errc::kInvalid, "priority: low, normal, high o urgent",
                                  "priority");
          in.priority = *pr;
          in.level = static_cast<int>(level);
          if (in.lang != "it" && in.lang != "en")
            co_return http::error(Errc::kInvalid, "lang: it o en", "lang");
          if (auto s = textLimit(in.answer, 4000, "answer"); !s.ok())
            co_return http::error(s.error());
          if (!in.citizen.email.empty()) {
            if (auto s = validEmail(in.citizen.email); !s.ok()) co_return http::error(s.error());
          }
          if (!in.citizen.phone.empty()) {
            if (auto s = validPhone(in.citizen.phone, "citizen.phone"); !s.ok())
              co_return http::error(s.error());
          }
          if (due) {
            auto t = instant(*due, "due_at");
            if (!t.ok()) co_return http::error(t.error());
            in.dueAt = *t;
          }
          if (callbackDue) {
            auto t = instant(*callbackDue, "callback_due_at");
            if (!t.ok()) co_return http::error(t.error());
            in.callbackDueAt = *t;
          }
          if (in.waitInLine) {
            if (in.resolvedNow || callbackDue || visit) {
              co_return http::error(Errc::kInvalid,
                                    "wait_in_line: solo per una telefonata ancora da risolvere, "
                                    "senza data di richiamata",
                                    "wait_in_line");
            }
            if (in.citizen.phone.empty()) {
              co_return http::error(Errc::kInvalid,
                                    "citizen.phone: serve il numero per richiamare chi è in fila",
                                    "citizen.phone");
            }
          }
          if (in.resolvedNow && in.callbackDueAt) {
            co_return http::error(Errc::kInvalid, "callback_due_at: non serve se risolta subito",
                                  "callback_due_at");
          }
          if (visit) {
            in.visitId = *visit;
            in.channel = Channel::kVisit;
          }
          co_return render(co_await cs.create(std::move(ctx.value()), std::move(in)),
                           http::bhttp::status::created);
        });

  r.add(Method::get, "/api/v1/enti/{slug}/cases",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          CaseFilter f;
          std::string code = q.queryParam("code");
          if (!code.empty()) {
            auto n = normalizeTrackingCode(code);
            if (!n)
              co_return http::error(Errc::kInvalid, "code: codice di pratica non valido", "code");
            f.code = *n;
          }
          f.citizen = q.queryParam("citizen");
          f.text = q.queryParam("q");
          f.visitId = q.queryParam("visit");
          if (f.citizen.size() > 254 || f.text.size() > 200 || f.visitId.size() > 64) {
            co_return http::error(Errc::kInvalid, "ricerca troppo lunga", "q");
          }
          std::string state = q.queryParam("state");
          if (!state.empty()) {
            if (state == "open") {
              f.openOnly = true;
            } else {
              f.state = parseCaseState(state);
              if (!f.state)
                co_return http::error(Errc::kInvalid, "state: stato sconosciuto", "state");
            }
          }
          f.overdue = q.queryParam("overdue") == "1" || q.queryParam("overdue") == "true";
          std::string days = q.queryParam("older_than_days");
          if (!days.empty()) {
            char* end = nullptr;
            long n = std::strtol(days.c_str(), &end, 10);
            if (*end != '\0' || n < 0 || n > 3650) {
              co_return http::error(Errc::kInvalid, "older_than_days: da 0 a 3650",
                                    "older_than_days");
            }
            f.olderThanMs = static_cast<int64_t>(n) * 24 * 3600 * 1000;
          }
          std::string limit = q.queryParam("limit");
          if (!limit.empty()) {
            char* end = nullptr;
            long n = std::strtol(limit.c_str(), &end, 10);
            if (*end != '\0' || n < 1 || n > 500)
              co_return http::error(Errc::kInvalid, "limit: da 1 a 500", "limit");
            f.limit = n;
          }
          co_return render(
              co_await cs.list(std::move(ctx.value()), std::move(f), q.queryParam("office")));
        });

  r.add(Method::get, "/api/v1/enti/{slug}/case-stats",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string since = q.queryParam("since");
          int64_t sinceMs = 0;
          if (!since.empty()) {
            auto t = instant(since, "since");
            if (!t.ok()) co_return http::error(t.error());
            sinceMs = *t;
          }
          co_return render(co_await cs.stats(std::move(ctx.value()), sinceMs));
        });

  r.add(Method::get, "/api/v1/enti/{slug}/case-escalation",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await cs.chain(std::move(ctx.value())));
        });
  r.add(Method::put, "/api/v1/enti/{slug}/case-escalation",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::vector<EscalationLevel> levels;
          auto st = readBody(q, [&](Fields& f) {
            const Json* arr = f.raw("levels", Json::value_t::array, true);
            if (!arr) return;
            if (arr->size() > 10) {
              f.fail("levels", "al massimo 10 livelli");
              return;
            }
            for (size_t i = 0; i < arr->size(); ++i) {
              std::string prefix = "levels[" + std::to_string(i) + "]";
              if (!(*arr)[i].is_object()) {
                f.fail(prefix, "atteso un oggetto");
                return;
              }
              Fields l((*arr)[i], prefix);
              EscalationLevel lv;
              l.str("name", lv.name, {.maxLen = 80, .required = true, .allowEmpty = false});
              l.str("office", lv.officeId, {.maxLen = 64, .required = true, .allowEmpty = false});
              auto s = l.finish();
              if (!s.ok()) {
                f.fail(s.error().field, s.error().message);
                return;
              }
              levels.push_back(std::move(lv));
            }
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await cs.setChain(std::move(ctx.value()), std::move(levels)));
        });

  // ---- callbacks ----
  r.add(Method::get, "/api/v1/enti/{slug}/case-callbacks",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          bool overdue = q.queryParam("overdue") == "1" || q.queryParam("overdue") == "true";
          co_return render(
              co_await cs.listCallbacks(std::move(ctx.value()), overdue, q.queryParam("office")));
        });
  r.add(Method::post, "/api/v1/case-callbacks/{id}/done",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), "", staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string outcome;
          auto st = readBody(q, [&](Fields& f) {
            f.str("outcome", outcome,
                  {.maxLen = 4000, .required = true, .multiline = true, .allowEmpty = false});
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await cs.completeCallback(std::move(ctx.value()), q.param("id"),
                                                        std::move(outcome)));
        });

  // ---- canned answers ----
  r.add(Method::get, "/api/v1/enti/{slug}/offices/{office}/canned-answers",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await cs.cannedList(std::move(ctx.value()), q.param("office")));
        });
  auto cannedBody = [](const Request& q, std::string& title, std::string& body) {
    return readBody(q, [&](Fields& f) {
      f.str("title", title, {.maxLen = 120, .required = true, .allowEmpty = false});
      f.str("body", body,
            {.maxLen = 8000, .required = true, .multiline = true, .allowEmpty = false});
    });
  };
  r.add(Method::post, "/api/v1/enti/{slug}/offices/{office}/canned-answers",
        [&cs, &staff, cannedBody](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string title, body;
          auto st = cannedBody(q, title, body);
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await cs.cannedSave(std::move(ctx.value()), q.param("office"),
                                                  std::nullopt, std::move(title), std::move(body)),
                           http::bhttp::status::created);
        });
  r.add(Method::put, "/api/v1/canned-answers/{id}",
        [&cs, &staff, cannedBody](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), "", staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string title, body;
          auto st = cannedBody(q, title, body);
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await cs.cannedSave(std::move(ctx.value()), "", q.param("id"),
                                                  std::move(title), std::move(body)));
        });
  r.add(Method::delete_, "/api/v1/canned-answers/{id}",
        [&cs, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), "", staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto st = co_await cs.cannedDelete(std::move(ctx.value()), q.param("id"));
          if (!st.ok()) co_return http::error(st.error());
          co_return http::noContent();
        });

  // ---- one case ----
  onCase(r, cs, Method::get, "/api/v1/cases/{id}",
         [&cs](Request&, CaseActor& a) -> asio::awaitable<Response> {
           co_return render(co_await cs.view(a));
         });
  onCase(r, cs, Method::post, "/api/v1/cases/{id}/state",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           std::string state, note;
           auto st = readBody(q, [&](Fields& f) {
             f.str("state", state, {.maxLen = 20, .required = true, .allowEmpty = false});
             f.str("note", note, {.maxLen = 4000, .multiline = true});
           });
           if (!st.ok()) co_return http::error(st.error());
           auto to = parseCaseState(state);
           if (!to) co_return http::error(Errc::kInvalid, "state: stato sconosciuto", "state");
           co_return render(co_await cs.setState(a, *to, std::move(note)));
         });
  onCase(r, cs, Method::post, "/api/v1/cases/{id}/notes",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           std::string body;
           auto st = readBody(q, [&](Fields& f) {
             f.str("body", body,
                   {.maxLen = 8000, .required = true, .multiline = true, .allowEmpty = false});
           });
           if (!st.ok()) co_return http::error(st.error());
           co_return render(co_await cs.note(a, std::move(body)), http::bhttp::status::created);
         });
  onCase(r, cs, Method::post, "/api/v1/cases/{id}/replies",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           std::string channel, body;
           auto st = readBody(q, [&](Fields& f) {
             f.str("channel", channel, {.maxLen = 10, .required = true, .allowEmpty = false});
             f.str("body", body,
                   {.maxLen = 20000, .required = true, .multiline = true, .allowEmpty = false});
           });
           if (!st.ok()) co_return http::error(st.error());
           co_return render(co_await cs.reply(a, std::move(channel), std::move(body)),
                            http::bhttp::status::created);
         });
  onCase(r, cs, Method::get, "/api/v1/cases/{id}/replies/{reply}/letter",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           auto html = co_await cs.letter(a, q.param("reply"));
           if (!html.ok()) co_return http::error(html.error());
           Response res{http::bhttp::status::ok, 11};
           res.set(http::bhttp::field::content_type, "text/html; charset=utf-8");
           res.set(http::bhttp::field::cache_control, "private, no-store");
           res.body() = std::move(html.value());
           res.prepare_payload();
           co_return res;
         });
  onCase(r, cs, Method::post, "/api/v1/cases/{id}/transfer",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           TransferInput in;
           int64_t level = 0;
           bool hasLevel = false;
           auto st = readBody(q, [&](Fields& f) {
             f.optStr("office", in.office, {.maxLen = 64, .allowEmpty = false});
             hasLevel = f.integer("level", level, kMinLevel, kMaxLevel);
             f.str("note", in.note,
                   {.maxLen = 4000, .required = true, .multiline = true, .allowEmpty = false});
           });
           if (!st.ok()) co_return http::error(st.error());
           if (hasLevel) in.level = static_cast<int>(level);
           co_return render(co_await cs.transfer(a, std::move(in)));
         });
  onCase(r, cs, Method::post, "/api/v1/cases/{id}/escalate",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           std::string reason;
           auto st = readBody(q, [&](Fields& f) {
             f.str("reason", reason,
                   {.maxLen = 4000, .required = true, .multiline = true, .allowEmpty = false});
           });
           if (!st.ok()) co_return http::error(st.error());
           co_return render(co_await cs.escalate(a, std::move(reason)));
         });
  onCase(r, cs, Method::post, "/api/v1/cases/{id}/callbacks",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           CallbackInput in;
           std::string due;
           auto st = readBody(q, [&](Fields& f) {
             f.str("due_at", due, {.maxLen = 40, .required = true, .allowEmpty = false});
             f.optStr("office", in.office, {.maxLen = 64, .allowEmpty = false});
             f.optStr("operator", in.operatorId, {.maxLen = 64, .allowEmpty = false});
             f.optStr("phone", in.phone, {.maxLen = 30, .allowEmpty = false});
             f.str("note", in.note, {.maxLen = 2000, .multiline = true});
           });
           if (!st.ok()) co_return http::error(st.error());
           auto t = instant(due, "due_at");
           if (!t.ok()) co_return http::error(t.error());
           in.dueAt = *t;
           if (in.phone) {
             if (auto s = validPhone(*in.phone, "phone"); !s.ok()) co_return http::error(s.error());
           }
           co_return render(co_await cs.addCallback(a, std::move(in)),
                            http::bhttp::status::created);
         });
  onCase(r, cs, Method::get, "/api/v1/cases/{id}/attachments/{att}",
         [&cs](Request& q, CaseActor& a) -> asio::awaitable<Response> {
           co_return download(co_await cs.staffAttachment(a, q.param("att")));
         });

  // ---- citizen: tracking by code + secret (X-Case-Token) ----
  r.add(Method::get, "/api/v1/enti/{slug}/tracking/{code}",
        [&cs](Request& q) -> asio::awaitable<Response> {
          co_return render(co_await cs.track(q.param("slug"), q.param("code"), token(q)));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/tracking/{code}/info",
        [&cs](Request& q) -> asio::awaitable<Response> {
          std::string body;
          auto st = readBody(q, [&](Fields& f) {
            f.str("body", body,
                  {.maxLen = 8000, .required = true, .multiline = true, .allowEmpty = false});
          });
          if (!st.ok()) co_return http::error(st.error());
          if (auto s = textLimit(body, 2000, "body"); !s.ok()) co_return http::error(s.error());
          co_return render(co_await cs.addInfo(q.param("slug"), q.param("code"), token(q),
                                               std::move(body), q.remoteAddr),
                           http::bhttp::status::created);
        });
  r.add(Method::post, "/api/v1/enti/{slug}/tracking/{code}/attachments",
        [&cs](Request& q) -> asio::awaitable<Response> {
          std::string name, content;
          auto st = readBody(q, [&](Fields& f) {
            f.str("filename", name, {.maxLen = 200});
            // 5 MiB of bytes are at most 7 MiB of base64.
            f.str("content_base64", content,
                  {.maxLen = 7u * 1024u * 1024u + 8u, .required = true, .allowEmpty = false});
          });
          if (!st.ok()) co_return http::error(st.error());
          auto bytes = fromBase64(content);
          if (!bytes)
            co_return http::error(Errc::kInvalid, "content_base64: base64 non valido",
                                  "content_base64");
          co_return render(co_await cs.attach(q.param("slug"), q.param("code"), token(q),
                                              std::move(name), std::move(*bytes), q.remoteAddr),
                           http::bhttp::status::created);
        });
  r.add(Method::get, "/api/v1/enti/{slug}/tracking/{code}/attachments/{att}",
        [&cs](Request& q) -> asio::awaitable<Response> {
          co_return download(co_await cs.citizenAttachment(q.param("slug"), q.param("code"),
                                                           token(q), q.param("att")));
        });
}

}  // namespace sportello::cases
