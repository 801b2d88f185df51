#include "feedback/routes.h"

namespace sportello::feedback {

using http::Method;
using http::Request;
using http::Response;

namespace {

// The channel of the path, or the error naming it.
Result<Channel> channelOf(const Request& q) {
  auto ch = parseChannel(q.param("channel"));
  if (!ch) {
    return makeError(Errc::kNotFound, "canale sconosciuto: visit, ticket, appointment, case o phone");
  }
  return *ch;
}

}  // namespace

void registerRoutes(http::Router& r, FeedbackService& fs) {
  // Supervisors: satisfaction over a period; ?format=csv for the export (JSON otherwise).
  r.add(Method::get, "/api/v1/enti/{slug}/reports/satisfaction",
        [&fs](Request& q) -> asio::awaitable<Response> {
          std::string format = q.queryParam("format");
          if (!format.empty() && format != "json" && format != "csv") {
            co_return http::error(Errc::kInvalid, "format: json o csv", "format");
          }
          std::optional<std::string> office;
          if (auto o = q.queryParam("office"); !o.empty()) office = o;
          auto rep = co_await fs.satisfaction(q.caller(), q.param("slug"), q.queryParam("from"),
                                              q.queryParam("to"), office);
          if (format != "csv" || !rep.ok()) co_return http::render(rep);
          Response res{http::bhttp::status::ok, 11};
          res.set(http::bhttp::field::content_type, "text/csv; charset=utf-8");
          res.set(http::bhttp::field::content_disposition,
                  "attachment; filename=\"soddisfazione-" + rep->from + "-" + rep->to + ".csv\"");
          res.set(http::bhttp::field::cache_control, "no-store");
          res.body() = toCsv(*rep);
          res.prepare_payload();
          co_return res;
        });

  r.add(Method::get, "/api/v1/enti/{slug}/ratings/{channel}/{ref}",
        [&fs](Request& q) -> asio::awaitable<Response> {
          auto ch = channelOf(q);
          if (!ch.ok()) co_return http::error(ch.error());
          auto caller = q.caller(FeedbackService::holderHeader(*ch));
          co_return http::render(
              co_await fs.status(std::move(caller), q.param("slug"), *ch, q.param("ref")));
        });
  r.add(Method::post, "/api/v1/enti/{slug}/ratings/{channel}/{ref}",
        [&fs](Request& q) -> asio::awaitable<Response> {
          auto ch = channelOf(q);
          if (!ch.ok()) co_return http::error(ch.error());
          std::string score;
          RatingInput in;
          auto st = http::readBody(q, [&](Fields& f) {
            f.str("score", score, {.maxLen = 10, .required = true});
            f.strArray("reasons", in.reasons, 6, {.maxLen = 20});
            f.str("comment", in.comment, {.maxLen = 2000, .multiline = true});
          });
          if (!st.ok()) co_return http::error(st.error());
          auto s = parseScore(score);
          if (!s) {
            co_return http::error(Errc::kInvalid, "score: positive, neutral o negative", "score");
          }
          in.score = *s;
          auto caller = q.caller(FeedbackService::holderHeader(*ch));
          co_return http::render(co_await fs.rate(std::move(caller), q.param("slug"), *ch,
                                                  q.param("ref"), std::move(in)),
                                 http::bhttp::status::created);
        });
}

}  // namespace sportello::feedback
