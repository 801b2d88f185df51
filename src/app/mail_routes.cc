#include "app/mail_routes.h"

#include "core/contact.h"
#include "core/json_fields.h"
#include "core/token.h"
#include "platform/mail.h"

namespace sportello::app {

using http::Method;
using http::Request;
using http::Response;
namespace asio = boost::asio;

void registerMailRoutes(http::Router& r, Database& db, staff::StaffService& staff) {
  // POST {to} → 202 {id}: a test message through the outbox, like any other mail.
  r.add(Method::post, "/api/v1/enti/{slug}/mail/test",
        [&db, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          Fields f(*body);
          std::string to;
          f.str("to", to, {.maxLen = 254, .required = true});
          if (auto st = f.finish(); !st.ok()) co_return http::error(st.error());
          if (!contact::validEmail(to)) {
            co_return http::error(Errc::kInvalid, "indirizzo email non valido", "to");
          }
          std::string key = "test:" + newId();
          mail::Mail m{ctx->op.enteId, to, "Sportello: messaggio di prova / test message",
                       "Questo è un messaggio di prova inviato da Sportello da " +
                           ctx->op.displayName +
                           ".\nSe lo hai ricevuto, la posta in uscita funziona.\n\n"
                           "This is a test message sent by Sportello: outgoing mail works.\n",
                       key};
          auto job = [m](Tx& tx) -> Result<bool> { return mail::enqueue(tx, m); };
          auto res = co_await db.write<bool>(std::move(job));
          if (!res.ok()) co_return http::error(res.error());
          co_return http::json(http::bhttp::status::accepted, {{"dedup_key", key}});
        });

  // GET ?limit= → {mails: [...]}: recipient, subject, state, attempts, last error, times.
  r.add(Method::get, "/api/v1/enti/{slug}/mail/outbox",
        [&db, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kAdmin);
          if (!ctx.ok()) co_return http::error(ctx.error());
          int limit = 50;
          if (auto l = q.queryParam("limit"); !l.empty()) {
            try {
              limit = std::stoi(l);
            } catch (...) {
              limit = -1;
            }
            if (limit < 1 || limit > 500) {
              co_return http::error(Errc::kInvalid, "limit: un numero da 1 a 500", "limit");
            }
          }
          std::string ente = ctx->op.enteId;
          auto job = [ente, limit](sql::Connection& c) { return mail::recent(c, ente, limit); };
          auto rows = co_await db.read<std::vector<mail::OutboxEntry>>(std::move(job));
          if (!rows.ok()) co_return http::error(rows.error());
          Json list = Json::array();
          for (const auto& e : *rows) {
            Json j = {{"to", e.to},
                      {"subject", e.subject},
                      {"state", e.state},
                      {"attempts", e.attempts},
                      {"created_at", formatIsoMs(e.createdAt)},
                      {"not_before", formatIsoMs(e.notBefore)}};
            if (e.sentAt) j["sent_at"] = formatIsoMs(e.sentAt);
            if (!e.lastError.empty()) j["last_error"] = e.lastError;
            list.push_back(std::move(j));
          }
          co_return http::ok({{"mails", list}});
        });
}

}  // namespace sportello::app
