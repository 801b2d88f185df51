// Feedback: the satisfaction report over a year of ratings, through the same store and report
// code the service runs (no HTTP in the way).
//   feedback_bench --database sqlite:/tmp/f.db|postgresql://… [--ratings 1000000] [--queries 200]
// Phase 1 (load): N ratings spread over 2026 (working hours, 6 offices, 5 channels, 12
// operators, 70/18/12 % faces, reasons after a non-positive vote), each written by
// store::insertRating — the rating row, its hour's and its day's roll-up upserts, as the writer
// does —
// 10,000 per transaction. Reports ratings/s.
// Phase 2 (report): the report (feedback::satisfactionReport: ente, offices, the daily cells of
// the period, grouped by local day / office / channel, totals) over the whole year, one month, one
// week, one day, and one office over the year; p50 / p99 / max of each.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "bench_db.h"
#include "app/app.h"
#include "core/clock.h"
#include "core/token.h"
#include "directory/store.h"
#include "feedback/service.h"
#include "feedback/store.h"

using namespace sportello;
using namespace sportello::feedback;
using Clk = std::chrono::steady_clock;

namespace {
double ms(Clk::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}
double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"feedback bench"};
  std::string url;
  int64_t total = 1'000'000;
  int queries = 200;
  cli.add_option("--database", url, "sqlite:/path.db or postgresql://…")->required();
  cli.add_option("--ratings", total, "ratings to load (0 = use what is there)");
  cli.add_option("--queries", queries, "reports of each kind");
  CLI11_PARSE(cli, argc, argv);

  SystemClock clock;
  auto db = bench::openMigrated(url, clock);
  const char* backend = bench::backendOf(url);
  auto place = db->writeSync<std::pair<std::string, std::vector<std::string>>>(
      [&](Tx& tx) -> Result<std::pair<std::string, std::vector<std::string>>> {
        auto& c = tx.conn();
        std::vector<std::string> ids;
        auto e = directory::store::enteBySlug(c, "bench");
        if (e.ok()) {
          SP_ASSIGN(auto offices, directory::store::listOffices(c, e->id));
          for (auto& off : offices) ids.push_back(off.id);
          return std::make_pair(e->id, ids);
        }
        directory::Ente ente;
        ente.id = newId();
        ente.slug = "bench";
        ente.name = "Comune di Bench";
        ente.timezone = "Europe/Rome";
        SP_TRY(directory::store::insertEnte(c, ente, tx.nowMs()));
        for (const char* n : {"URP", "Anagrafe", "Tributi", "Sociali", "Edilizia", "Sindaco"}) {
          directory::Office off;
          off.id = newId();
          off.enteId = ente.id;
          off.slug = n;
          off.name = n;
          SP_TRY(directory::store::insertOffice(c, off, tx.nowMs()));
          ids.push_back(off.id);
        }
        return std::make_pair(ente.id, ids);
      });
  if (!place.ok()) {
    std::fprintf(stderr, "setup: %s\n", place.error().message.c_str());
    return 1;
  }
  const auto& [enteId, offices] = place.value();

  if (total > 0) {
    std::mt19937_64 rng(16);
    const int64_t yearStart = 1'767'222'000'000;  // 2026-01-01T00:00+01:00
    std::vector<std::string> operators;
    for (int i = 0; i < 12; ++i) operators.push_back("op-" + std::to_string(i));
    const auto& all = reasons();
    const auto* tz = date::locate_zone("Europe/Rome");
    auto t0 = Clk::now();
    constexpr int64_t kBatch = 10'000;
    for (int64_t done = 0; done < total;) {
      int64_t n = std::min(kBatch, total - done);
      auto r = db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
        for (int64_t i = 0; i < n; ++i) {
          Rating x;
          x.id = newId();
          x.enteId = enteId;
          x.channel = allChannels()[rng() % 5];
          x.contactId = x.id;
          x.officeId = offices[rng() % offices.size()];
          x.operatorId = operators[rng() % operators.size()];
          int64_t day = static_cast<int64_t>(rng() % 365);
          int64_t minute = 8 * 60 + static_cast<int64_t>(rng() % (10 * 60));  // 08:00–18:00
          x.contactAt = yearStart + day * 86'400'000 + minute * 60'000;
          x.ratedAt = x.contactAt + 60'000;
          auto f = rng() % 100;
          x.score = f < 70 ? Score::kPositive : f < 88 ? Score::kNeutral : Score::kNegative;
          if (x.score != Score::kPositive) x.reasons.push_back(all[rng() % all.size()]);
          SP_TRY(store::insertRating(tx.conn(), x, tz));
        }
        return true;
      });
      if (!r.ok()) {
        std::fprintf(stderr, "load: %s\n", r.error().message.c_str());
        return 1;
      }
      done += n;
    }
    double secs = ms(Clk::now() - t0) / 1000.0;
    std::printf("[%s] loaded %lld ratings in %.1f s: %.0f ratings/s (rating row + hourly upsert)\n",
                backend, static_cast<long long>(total), secs, static_cast<double>(total) / secs);
  }
  auto hours = db->readSync<int64_t>([&](sql::Connection& c) -> Result<int64_t> {
    SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM fb_hourly_ratings", {}));
    return row.i64(0);
  });
  auto ratings = db->readSync<int64_t>([&](sql::Connection& c) -> Result<int64_t> {
    SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM fb_ratings", {}));
    return row.i64(0);
  });
  std::printf("[%s] %lld ratings, %lld hourly roll-up rows\n", backend,
              static_cast<long long>(ratings.ok() ? *ratings : -1), static_cast<long long>(hours.ok() ? *hours : -1));

  struct Kind {
    const char* name;
    std::string from, to;
    std::optional<std::string> office;
  };
  std::vector<Kind> kinds = {{"year", "2026-01-01", "2026-12-31", std::nullopt},
                             {"month", "2026-10-01", "2026-10-31", std::nullopt},
                             {"week", "2026-10-19", "2026-10-25", std::nullopt},
                             {"day", "2026-10-25", "2026-10-25", std::nullopt},
                             {"year, one office", "2026-01-01", "2026-12-31", offices[1]}};
  for (const auto& k : kinds) {
    std::vector<double> lat;
    int64_t counted = 0;
    for (int i = 0; i < queries; ++i) {
      auto t = Clk::now();
      auto r = db->readSync<SatisfactionReport>([&](sql::Connection& c) {
        return satisfactionReport(c, "bench", k.from, k.to, k.office);
      });
      lat.push_back(ms(Clk::now() - t));
      if (!r.ok()) {
        std::fprintf(stderr, "report: %s\n", r.error().message.c_str());
        return 1;
      }
      counted = r->total.total();
    }
    std::printf("[%s] report %-17s %8lld ratings  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d runs)\n",
                backend, k.name, static_cast<long long>(counted), pct(lat, 0.5), pct(lat, 0.99),
                *std::max_element(lat.begin(), lat.end()), queries);
  }
  return 0;
}
