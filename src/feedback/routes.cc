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

// A CSV or JSON download of `body` (CSV) / the rendered value (JSON).
template <class T>
Response download(Result<T>& v, const std::string& format, const std::string& filename,
                  const char* cache) {
  if (!v.ok()) return http::render(v);
  if (format != "csv") {
    auto res = http::render(v);
    res.set(http::bhttp::field::cache_control, cache);
    return res;
  }
  Response res{http::bhttp::status::ok, 11};
  res.set(http::bhttp::field::content_type, "text/csv; charset=utf-8");
  res.set(http::bhttp::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  res.set(http::bhttp::field::cache_control, cache);
  res.body() = toCsv(*v);
  res.prepare_payload();
  return res;
}

std::optional<std::string> optParam(const Request& q, const char* name) {
  auto v = q.queryParam(name);
  if (v.empty()) return std::nullopt;
  return v;
}

}  // namespace

void registerRoutes(http::Router& r, FeedbackService& fs) {
  // Supervisors: every figure over a period, from the daily roll-ups; ?format=csv|json.
  r.add(Method::get, "/api/v1/enti/{slug}/reports/figures",
        [&fs](Request& q) -> asio::awaitable<Response> {
          std::string format = q.queryParam("format");
          if (!format.empty() && format != "json" && format != "csv") {
            co_return http::error(Errc::kInvalid, "format: json o csv", "format");
          }
          FiguresQuery fq{q.queryParam("from"), q.queryParam("to"), optParam(q, "office"),
                          optParam(q, "service"), optParam(q, "channel"),
                          optParam(q, "operator")};
          auto rep = co_await fs.figures(q.caller(), q.param("slug"), std::move(fq));
          std::string file = rep.ok() ? "sportello-" + rep->from + "-" + rep->to + ".csv" : "";
          co_return download(rep, format, file, "no-store");
        });
  // Public open data: the year's monthly figures per office (?year=YYYY, ?format=csv|json).
  r.add(Method::get, "/api/v1/enti/{slug}/opendata/figures",
        [&fs](Request& q) -> asio::awaitable<Response> {
          std::string format = q.queryParam("format");
          if (!format.empty() && format != "json" && format != "csv") {
            co_return http::error(Errc::kInvalid, "format: json o csv", "format");
          }
          auto d = co_await fs.openData(q.param("slug"), q.queryParam("year"), q.caller().origin);
          std::string file = d.ok() ? d->enteSlug + "-sportello-" + d->year + ".csv" : "";
          co_return download(d, format, file, "public, max-age=3600");
        });
  // Its metadata alone (DCAT-AP_IT fields), for catalogues that harvest it.
  r.add(Method::get, "/api/v1/enti/{slug}/opendata/figures/metadata",
        [&fs](Request& q) -> asio::awaitable<Response> {
          auto d = co_await fs.openData(q.param("slug"), q.queryParam("year"), q.caller().origin);
          if (!d.ok()) co_return http::error(d.error());
          Response res = http::json(http::bhttp::status::ok, metadataJson(*d));
          res.set(http::bhttp::field::cache_control, "public, max-age=3600");
          co_return res;
        });

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
