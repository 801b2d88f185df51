// Durable write throughput through the Database writer (group commit), the path every case,
// ticket and booking event takes: K client threads each run write jobs back to back; a job
// inserts one row and emits one event (topic sequence + event log), and is acknowledged only
// after COMMIT. Reports jobs/s, latency percentiles and the mean group size.
//   db_bench --database sqlite:/tmp/x.db|postgresql://… [--clients 64] [--seconds 5]
//            [--max-batch 512] [--sync FULL|NORMAL]
// --max-batch 1 turns group commit off (one transaction per job), for comparison.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/token.h"
#include "platform/database.h"
#include "platform/schema.h"

using namespace sportello;

int main(int argc, char** argv) {
  initCrypto();
  CLI::App cli{"Sportello durable-write benchmark"};
  std::string url;
  int clients = 64, seconds = 5;
  size_t maxBatch = 512;
  std::string sync = "FULL";
  cli.add_option("--database", url, "sqlite:/path.db or postgresql://…")->required();
  cli.add_option("--clients", clients, "concurrent writers");
  cli.add_option("--seconds", seconds, "duration");
  cli.add_option("--max-batch", maxBatch, "largest group commit (1 = off)");
  cli.add_option("--sync", sync, "SQLite synchronous: FULL or NORMAL");
  CLI11_PARSE(cli, argc, argv);

  SystemClock clock;
  DatabaseOptions o;
  o.url = url;
  o.maxBatch = maxBatch;
  o.sqliteSynchronousFull = sync == "FULL";
  auto db = Database::open(o, clock);
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.error().message.c_str());
    return 1;
  }
  auto migrations = platformMigrations();
  migrations.push_back({9000, "bench",
                        "CREATE TABLE IF NOT EXISTS bench_rows (id TEXT PRIMARY KEY, payload TEXT "
                        "NOT NULL, at BIGINT NOT NULL)",
                        ""});
  if (auto m = (*db)->migrate(migrations); !m.ok()) {
    std::fprintf(stderr, "migrate: %s\n", m.error().message.c_str());
    return 1;
  }
  auto before = (*db)->stats();
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> lat(clients);
  std::atomic<int64_t> failures{0};
  std::vector<std::thread> threads;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      std::string topic = "bench:" + std::to_string(i % 16);
      while (!stop) {
        auto s = std::chrono::steady_clock::now();
        auto r = (*db)->writeSync<bool>([&](Tx& tx) -> Result<bool> {
          SP_TRY(tx.conn().exec("INSERT INTO bench_rows(id, payload, at) VALUES(?,?,?)",
                                {newId(), std::string(120, 'x'), tx.nowMs()}));
          SP_TRY(tx.emit(topic, "bench.row", Json{{"client", i}}));
          return true;
        });
        if (!r.ok()) failures++;
        lat[i].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s)
                .count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0 : all[std::min(all.size() - 1, size_t(p * all.size()))]; };
  auto after = (*db)->stats();
  double batches = double(after.batches - before.batches);
  std::printf(
      "%s clients=%d max-batch=%zu sync=%s: %.0f durable jobs/s (%zu in %.1f s, %lld failed), "
      "latency p50 %.2f ms p99 %.2f ms, mean group %.1f jobs\n",
      url.rfind("sqlite", 0) == 0 ? "sqlite" : "postgres", clients, maxBatch, sync.c_str(),
      all.size() / elapsed, all.size(), elapsed, static_cast<long long>(failures.load()),
      pct(0.5), pct(0.99), batches > 0 ? (after.jobs - before.jobs) / batches : 0.0);
  return failures.load() == 0 ? 0 : 1;
}
