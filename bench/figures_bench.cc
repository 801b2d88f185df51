// Figures (issue 16): the reports page's figures over a year of 1,000,000 contacts, through the
// same roll-up and report code the server runs (no HTTP in the way).
//   figures_bench --database sqlite:/tmp/f.db|postgresql://… [--contacts 1000000] [--queries 50]
// Phase 1 (load): N contacts spread over 2026 (working hours, 6 offices × 2 services, 5
// channels, 12 operators two per office; 85 % served, 8 % abandoned, 4 % no-shows, 3 % refused;
// waits and service times drawn from exponentials), each recorded by feedback::recordContact —
// the hook the writers call in their transaction: two upserts of the contact's local day — and
// 30 % of them rated through store::insertRating (rating row, its hour, its two daily cells),
// 10,000 contacts per transaction.
// Phase 2 (report): feedback::figuresReport (the reports page's read) over the year, a month, a
// week, a day, one office, one channel and one operator over the year; and, in the same
// session, the read the satisfaction report did before the daily roll-ups (every hourly row of
// the year, fb_hourly_ratings) and a year's count straight from the ratings table, for scale.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
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
#include "staff/store.h"

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
struct Place {
  std::string enteId;
  std::vector<std::string> offices, services, operators;  // services[2i..2i+1], operators too
};
}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"figures bench"};
  std::string url;
  int64_t total = 1'000'000;
  int queries = 50;
  cli.add_option("--database", url, "sqlite:/path.db or postgresql://…")->required();
  cli.add_option("--contacts", total, "contacts to load (0 = use what is there)");
  cli.add_option("--queries", queries, "reports of each kind");
  CLI11_PARSE(cli, argc, argv);

  SystemClock clock;
  auto db = bench::openMigrated(url, clock);
  const char* backend = bench::backendOf(url);
  auto placed = db->writeSync<Place>([&](Tx& tx) -> Result<Place> {
    auto& c = tx.conn();
    Place p;
    auto e = directory::store::enteBySlug(c, "figures");
    if (e.ok()) {
      p.enteId = e->id;
      SP_ASSIGN(auto offices, directory::store::listOffices(c, e->id));
      for (auto& off : offices) p.offices.push_back(off.id);
      SP_ASSIGN(auto rows, c.query("SELECT id FROM services WHERE ente_id = ? ORDER BY sort", {e->id}));
      for (auto& r : rows) p.services.push_back(r.str(0));
      SP_ASSIGN(auto ops, c.query("SELECT id FROM operators WHERE ente_id = ? ORDER BY username", {e->id}));
      for (auto& r : ops) p.operators.push_back(r.str(0));
      return p;
    }
    directory::Ente ente;
    ente.id = newId();
    ente.slug = "figures";
    ente.name = "Comune di Figures";
    ente.timezone = "Europe/Rome";
    SP_TRY(directory::store::insertEnte(c, ente, tx.nowMs()));
    p.enteId = ente.id;
    int i = 0;
    for (const char* n : {"URP", "Anagrafe", "Tributi", "Sociali", "Edilizia", "Sindaco"}) {
      directory::Office off;
      off.id = newId();
      off.enteId = ente.id;
      off.slug = n;
      off.name = n;
      SP_TRY(directory::store::insertOffice(c, off, tx.nowMs()));
      p.offices.push_back(off.id);
      for (int k = 0; k < 2; ++k, ++i) {
        directory::Service s;
        s.id = newId();
        s.enteId = ente.id;
        s.officeId = off.id;
        s.name = std::string(n) + " " + std::to_string(k + 1);
        s.prefix = std::string(1, static_cast<char>('A' + i));
        s.sort = i;
        SP_TRY(directory::store::insertService(c, s, tx.nowMs()));
        p.services.push_back(s.id);
        staff::Operator op;
        op.id = newId();
        op.enteId = ente.id;
        op.username = "op" + std::to_string(10 + i);
        op.displayName = "Operatore " + std::to_string(i + 1);
        op.email = op.username + "@bench.invalid";
        SP_TRY(staff::store::insertOperator(c, op, "x", tx.nowMs()));
        p.operators.push_back(op.id);
      }
    }
    return p;
  });
  if (!placed.ok()) {
    std::fprintf(stderr, "setup: %s\n", placed.error().message.c_str());
    return 1;
  }
  const Place& place = placed.value();
  const auto* tz = date::locate_zone("Europe/Rome");

  if (total > 0) {
    std::mt19937_64 rng(16);
    std::exponential_distribution<double> waitS(1.0 / 300.0), serviceS(1.0 / 480.0);
    const int64_t yearStart = 1'767'222'000'000;  // 2026-01-01T00:00+01:00
    const char* channels[] = {"visit", "ticket", "appointment", "case", "phone"};
    const auto& all = reasons();
    auto t0 = Clk::now();
    int64_t rated = 0;
    constexpr int64_t kBatch = 10'000;
    for (int64_t done = 0; done < total;) {
      int64_t n = std::min(kBatch, total - done);
      auto r = db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
        for (int64_t i = 0; i < n; ++i) {
          size_t office = rng() % place.offices.size();
          size_t which = 2 * office + rng() % 2;  // the office's service and operator
          ContactFact f;
          f.enteId = place.enteId;
          f.officeId = place.offices[office];
          f.serviceId = place.services[which];
          f.operatorId = place.operators[2 * office + rng() % 2];
          f.channel = channels[rng() % 5];
          int64_t day = static_cast<int64_t>(rng() % 365);
          int64_t minute = 8 * 60 + static_cast<int64_t>(rng() % (10 * 60));  // 08:00–18:00
          f.arrivedAt = yearStart + day * 86'400'000 + minute * 60'000;
          auto u = rng() % 100;
          f.outcome = u < 85   ? ContactOutcome::kServed
                      : u < 93 ? ContactOutcome::kAbandoned
                      : u < 97 ? ContactOutcome::kNoShow
                               : ContactOutcome::kOther;
          if (f.outcome != ContactOutcome::kAbandoned) {
            f.startedAt = f.arrivedAt + static_cast<int64_t>(waitS(rng) * 1000.0);
          }
          f.endedAt = f.startedAt.value_or(f.arrivedAt) + static_cast<int64_t>(serviceS(rng) * 1000.0);
          if (f.outcome == ContactOutcome::kServed && (f.channel == "visit" || f.channel == "case" ||
                                                       f.channel == "phone")) {
            f.firstContactResolved = rng() % 100 < 78;
          }
          SP_TRY(recordContact(tx, f));
          if (f.outcome == ContactOutcome::kServed && rng() % 100 < 35) {
            Rating x;
            x.id = newId();
            x.enteId = f.enteId;
            x.channel = *parseChannel(f.channel);
            x.contactId = x.id;
            x.officeId = f.officeId;
            x.serviceId = f.serviceId;
            x.operatorId = f.operatorId;
            x.contactAt = f.endedAt;
            x.ratedAt = f.endedAt + 60'000;
            auto s = rng() % 100;
            x.score = s < 70 ? Score::kPositive : s < 88 ? Score::kNeutral : Score::kNegative;
            if (x.score != Score::kPositive) x.reasons.push_back(all[rng() % all.size()]);
            SP_TRY(store::insertRating(tx.conn(), x, tz));
            ++rated;
          }
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
    std::printf("[%s] loaded %lld contacts (%lld rated) in %.1f s: %.0f contacts/s\n", backend,
                static_cast<long long>(total), static_cast<long long>(rated), secs,
                static_cast<double>(total) / secs);
  }
  auto count = [&](const char* table) {
    auto n = db->readSync<int64_t>([&](sql::Connection& c) -> Result<int64_t> {
      SP_ASSIGN(auto row, c.one(std::string("SELECT COUNT(*) FROM ") + table, {}));
      return row.i64(0);
    });
    return static_cast<long long>(n.ok() ? *n : -1);
  };
  std::printf("[%s] rows: fb_daily %lld, fb_daily_operator %lld, fb_hourly_ratings %lld, fb_ratings %lld\n",
              backend, count("fb_daily"), count("fb_daily_operator"), count("fb_hourly_ratings"),
              count("fb_ratings"));

  if (queries <= 0) return 0;
  struct Kind {
    const char* name;
    FiguresQuery q;
  };
  std::vector<Kind> kinds = {
      {"year", {"2026-01-01", "2026-12-31"}},
      {"month", {"2026-10-01", "2026-10-31"}},
      {"week", {"2026-10-19", "2026-10-25"}},
      {"day (DST, 25 h)", {"2026-10-25", "2026-10-25"}},
      {"year, one office", {"2026-01-01", "2026-12-31", place.offices[1]}},
      {"year, one channel", {"2026-01-01", "2026-12-31", std::nullopt, std::nullopt, "ticket"}},
      {"year, one operator",
       {"2026-01-01", "2026-12-31", std::nullopt, std::nullopt, std::nullopt, place.operators[3]}},
  };
  for (const auto& k : kinds) {
    std::vector<double> lat;
    int64_t counted = 0;
    for (int i = 0; i < queries; ++i) {
      auto t = Clk::now();
      auto r = db->readSync<FiguresReport>(
          [&](sql::Connection& c) { return figuresReport(c, "figures", k.q); });
      lat.push_back(ms(Clk::now() - t));
      if (!r.ok()) {
        std::fprintf(stderr, "report: %s\n", r.error().message.c_str());
        return 1;
      }
      counted = r->total.contacts.contacts;
      (void)toJson(*r).dump();  // what the route renders
    }
    std::printf("[%s] figures %-20s %8lld contacts  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d runs)\n",
                backend, k.name, static_cast<long long>(counted), pct(lat, 0.5), pct(lat, 0.99),
                *std::max_element(lat.begin(), lat.end()), queries);
  }
  // The same session's comparison: the satisfaction report now (daily cells) and the read it
  // made before (every hour of the year from fb_hourly_ratings), and a raw count of the year.
  auto time = [&](const char* name, int runs, auto fn) {
    std::vector<double> lat;
    for (int i = 0; i < runs; ++i) {
      auto t = Clk::now();
      auto r = db->readSync<int64_t>(fn);
      lat.push_back(ms(Clk::now() - t));
      if (!r.ok()) {
        std::fprintf(stderr, "%s: %s\n", name, r.error().message.c_str());
        std::exit(1);
      }
    }
    std::printf("[%s] %-46s p50 %8.2f ms  p99 %8.2f ms  (%d runs)\n", backend, name,
                pct(lat, 0.5), pct(lat, 0.99), runs);
  };
  time("satisfaction report, year (daily roll-up)", queries, [&](sql::Connection& c) -> Result<int64_t> {
    SP_ASSIGN(auto r, satisfactionReport(c, "figures", "2026-01-01", "2026-12-31", std::nullopt));
    return r.total.total();
  });
  int slow = std::max(3, queries / 10);
  time("before: hourly roll-up rows of the year", slow, [&](sql::Connection& c) -> Result<int64_t> {
    SP_ASSIGN(auto hrs, store::hours(c, place.enteId, 1'767'222'000'000, 1'798'758'000'000,
                                     std::nullopt));
    return static_cast<int64_t>(hrs.size());
  });
  time("raw: fb_ratings GROUP BY office, channel, score", slow,
       [&](sql::Connection& c) -> Result<int64_t> {
         SP_ASSIGN(auto rows, c.query("SELECT office_id, channel, score, COUNT(*) FROM fb_ratings "
                                      "WHERE ente_id = ? AND contact_at >= ? AND contact_at < ? "
                                      "GROUP BY office_id, channel, score",
                                      {place.enteId, int64_t{1'767'222'000'000},
                                       int64_t{1'798'758'000'000}}));
         return static_cast<int64_t>(rows.size());
       });
  return 0;
}
