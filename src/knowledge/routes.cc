#include "knowledge/routes.h"

#include <charconv>

namespace sportello::knowledge {

using http::Method;
using http::Request;
using http::Response;

namespace {

// Every answer is a typed view of the service (knowledge/views.h), rendered by http::render.
using http::render;

// A changed article: {"article": its staff view with the rendered fields}.
Response answerArticle(const Result<StaffArticle>& r,
                       http::bhttp::status s = http::bhttp::status::ok) {
  if (!r.ok()) return http::error(r.error());
  return http::json(s, Json{{"article", toJson(r.value())}});
}

// ?lang=it|en (default it); nullopt for anything else.
std::optional<bool> english(const Request& q) {
  std::string l = q.queryParam("lang");
  if (l.empty() || l == "it") return false;
  if (l == "en") return true;
  return std::nullopt;
}

// ?limit=N (default `def`); nullopt when not a number.
std::optional<int64_t> limitOf(const Request& q, int64_t def) {
  std::string s = q.queryParam("limit");
  if (s.empty()) return def;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

constexpr const char* kBadLang = "lang: it o en";
constexpr const char* kBadLimit = "limit: un numero da 1 a 20";

}  // namespace

void registerRoutes(http::Router& r, KnowledgeService& kb, staff::StaffService& staff) {
  // ---- citizens ----
  r.add(Method::get, "/api/v1/enti/{slug}/kb/search",
        [&kb](Request& q) -> asio::awaitable<Response> {
          auto en = english(q);
          if (!en) co_return http::error(Errc::kInvalid, kBadLang, "lang");
          auto limit = limitOf(q, 5);
          if (!limit || *limit < 1 || *limit > 20)
            co_return http::error(Errc::kInvalid, kBadLimit, "limit");
          PublicSearch s{q.queryParam("q"), *en, q.queryParam("office"), *limit};
          co_return render(co_await kb.search(q.param("slug"), std::move(s)));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/kb/articles",
        [&kb](Request& q) -> asio::awaitable<Response> {
          auto en = english(q);
          if (!en) co_return http::error(Errc::kInvalid, kBadLang, "lang");
          co_return render(co_await kb.list(q.param("slug"), q.queryParam("office"),
                                            q.queryParam("service"), *en));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/kb/articles/{article}",
        [&kb](Request& q) -> asio::awaitable<Response> {
          auto en = english(q);
          if (!en) co_return http::error(Errc::kInvalid, kBadLang, "lang");
          co_return render(co_await kb.article(q.param("slug"), q.param("article"), *en));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/kb/articles/{article}/feedback",
        [&kb](Request& q) -> asio::awaitable<Response> {
          bool helpful = false;
          std::string context;
          auto st = readBody(q, [&](Fields& f) {
            f.boolean("helpful", helpful, true);
            f.str("context", context, {.maxLen = 20});
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await kb.feedback(q.param("slug"), q.param("article"), helpful,
                                                std::move(context), q.remoteAddr),
                           http::bhttp::status::created);
        });
  r.add(Method::post, "/api/v1/enti/{slug}/kb/feedback/{id}/ended",
        [&kb](Request& q) -> asio::awaitable<Response> {
          auto st = readBody(q, [](Fields&) {});
          if (!st.ok()) co_return http::error(st.error());
          co_return render(co_await kb.feedbackEnded(q.param("slug"), q.param("id")));
        });

  // ---- staff ----
  // Any staff of the ente reads (operator and up); supervisors and admins change.
  r.add(Method::get, "/api/v1/enti/{slug}/kb/admin/articles",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await kb.adminList(std::move(ctx.value()), q.queryParam("status"),
                                                 q.queryParam("q")));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/kb/admin/articles/{id}",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await kb.adminGet(std::move(ctx.value()), q.param("id")));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/kb/admin/articles",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kSupervisor);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          co_return answerArticle(
              co_await kb.create(std::move(ctx.value()), std::move(body.value())),
              http::bhttp::status::created);
        });
  r.add(Method::put, "/api/v1/enti/{slug}/kb/admin/articles/{id}",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kSupervisor);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto body = parseJsonObject(q.body());
          if (!body.ok()) co_return http::error(body.error());
          co_return answerArticle(
              co_await kb.save(std::move(ctx.value()), q.param("id"), std::move(body.value())));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/kb/admin/articles/{id}/status",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kSupervisor);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string status;
          int64_t version = 0;
          auto st = readBody(q, [&](Fields& f) {
            f.str("status", status, {.maxLen = 20, .required = true});
            f.integer("version", version, 1, INT64_MAX, true);
          });
          if (!st.ok()) co_return http::error(st.error());
          auto s = parseStatus(status);
          if (!s) {
            co_return http::error(Errc::kInvalid, "status: draft, published o archived", "status");
          }
          co_return answerArticle(
              co_await kb.setStatus(std::move(ctx.value()), q.param("id"), *s, version));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/kb/admin/articles/{id}/versions",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          co_return render(co_await kb.versions(std::move(ctx.value()), q.param("id")));
        });
  r.add(Method::get, "/api/v1/enti/{slug}/kb/admin/articles/{id}/versions/{n}",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          const std::string& s = q.param("n");
          int64_t n = 0;
          auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
          if (ec != std::errc() || p != s.data() + s.size() || n < 1) {
            co_return http::error(Errc::kNotFound, "versione non trovata");
          }
          co_return render(co_await kb.version(std::move(ctx.value()), q.param("id"), n));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/kb/suggest/feedback",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          std::string article;
          bool helpful = false;
          auto st = readBody(q, [&](Fields& f) {
            f.str("article", article, {.maxLen = 80, .required = true});
            f.boolean("helpful", helpful, true);
          });
          if (!st.ok()) co_return http::error(st.error());
          co_return render(
              co_await kb.operatorFeedback(std::move(ctx.value()), std::move(article), helpful),
              http::bhttp::status::created);
        });
  r.add(Method::get, "/api/v1/enti/{slug}/kb/suggest",
        [&kb, &staff](Request& q) -> asio::awaitable<Response> {
          auto ctx = co_await staff.require(q.caller(), q.param("slug"), staff::Role::kOperator);
          if (!ctx.ok()) co_return http::error(ctx.error());
          auto limit = limitOf(q, 5);
          if (!limit || *limit < 1 || *limit > 20) {
            co_return http::error(Errc::kInvalid, kBadLimit, "limit");
          }
          co_return render(co_await kb.suggest(std::move(ctx.value()), q.queryParam("text"),
                                               q.queryParam("office"), *limit));
        });
}

}  // namespace sportello::knowledge
