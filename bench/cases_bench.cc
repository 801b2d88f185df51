// Cases: durable case events per second and search latency, through the same store code the
// service runs (no HTTP in the way).
//   cases_bench --database sqlite:/tmp/c.db|postgresql://… [--clients 64] [--seconds 10]
//               [--cases 1000000] [--queries 300]
// Phase 1 (events): K client threads, each opens a case (case row + FTS row + "created"
// timeline entry + event) and then appends timeline entries to it (internal note: entry + case
// update + event), one write job each, acknowledged after COMMIT (group commit; SQLite
// synchronous=FULL). Reports jobs/s and latency percentiles.
// Phase 2 (search): bulk-loads cases up to --cases (10,000 per transaction), then runs the list
// queries the console runs — full text (a surname; a surname and a topic word), citizen phone,
// tracking code — and reports p50 / p99 of each (newest 50, like the API).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "bench_db.h"
#include "app/app.h"
#include "cases/store.h"
#include "core/clock.h"
#include "core/token.h"
#include "directory/store.h"

using namespace sportello;
using namespace sportello::cases;

namespace {

const std::vector<std::string> kTopics = {
    "tari",        "imu",           "residenza",   "carta",      "identita",     "passaporto",
    "buche",       "illuminazione", "rifiuti",     "mensa",      "scuola",       "asilo",
    "contributo",  "affitto",       "isee",        "parcheggio", "contrassegno", "disabili",
    "multa",       "verde",         "alberi",      "cimitero",   "matrimonio",   "nascita",
    "certificato", "edilizia",      "scia",        "cila",       "condono",      "acqua",
    "fognatura",   "strada",        "marciapiede", "semaforo",   "rumore",       "animali",
    "randagi",     "trasporto",     "scuolabus",   "bando"};
const std::vector<std::string> kFirst = {
    "Anna",   "Marco",  "Giulia", "Luca",   "Sara",      "Paolo",  "Elena",   "Giovanni",
    "Chiara", "Andrea", "Laura",  "Matteo", "Francesca", "Davide", "Martina", "Simone"};

std::string surname(size_t i) {
  static const std::vector<std::string> roots = {
      "ross", "bianch", "verd",  "ner",   "gall",  "espos",  "roman", "colomb", "ricc", "marin",
      "grec", "brun",   "gallo", "conti", "costa", "fontan", "sant",  "mancin", "lomb", "barb"};
  static const std::vector<std::string> ends = {
      "i",    "o",    "ini",  "etti", "ucci", "ello",  "one", "ato", "ari",
      "esi",  "ani",  "otti", "ieri", "olo",  "ino",   "aro", "ene", "ardi",
      "elli", "uzzi", "anti", "enti", "oni",  "icchi", "ulli"};
  // 20 × 25 = 500 surnames.
  return roots[i % roots.size()] + ends[(i / roots.size()) % ends.size()];
}

StoredCase makeCase(std::mt19937_64& rng, const std::string& enteId, const std::string& officeId,
                    int64_t now) {
  StoredCase k;
  k.id = newId();
  k.enteId = enteId;
  k.officeId = officeId;
  k.code = formatTrackingCode(readableCode(8)).value();
  k.secretHash = sha256Hex(k.id);
  k.subject = kTopics[rng() % kTopics.size()] + " " + kTopics[rng() % kTopics.size()] + " via " +
              surname(rng() % 500) + " " + std::to_string(rng() % 200);
  k.citizenName = kFirst[rng() % kFirst.size()] + " " + surname(rng() % 500);
  k.citizenPhone = "+39 3" + std::to_string(100000000 + rng() % 899999999);
  k.dueAt = now + 30LL * 86400000;
  k.createdAt = k.updatedAt = now;
  return k;
}

TimelineEntry entryFor(const StoredCase& k, const std::string& kind, const std::string& body,
                       int64_t now) {
  TimelineEntry e;
  e.id = newId();
  e.caseId = k.id;
  e.kind = kind;
  e.visible = kind != "note_internal";
  e.officeId = k.officeId;
  e.body = body;
  e.data = "{}";
  e.at = now;
  return e;
}

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  initCrypto();
  CLI::App cli{"Sportello cases benchmark"};
  std::string url;
  int clients = 64, seconds = 10, queries = 300;
  int64_t total = 1'000'000;
  cli.add_option("--database", url, "sqlite:/path.db or postgresql://…")->required();
  cli.add_option("--clients", clients, "concurrent writers");
  cli.add_option("--seconds", seconds, "duration of the events phase (0 = skip)");
  cli.add_option("--cases", total, "cases in the database for the search phase (0 = skip)");
  cli.add_option("--queries", queries, "queries of each kind");
  CLI11_PARSE(cli, argc, argv);

  SystemClock clock;
  auto db = bench::openMigrated(url, clock);
  const char* backend = bench::backendOf(url);
  // One ente and one office (reused when the database already has them).
  auto place = db->writeSync<std::pair<std::string, std::string>>(
      [&](Tx& tx) -> Result<std::pair<std::string, std::string>> {
        auto& c = tx.conn();
        auto e = directory::store::enteBySlug(c, "bench");
        if (e.ok()) {
          SP_ASSIGN(auto offices, directory::store::listOffices(c, e->id));
          return std::make_pair(e->id, offices.at(0).id);
        }
        directory::Ente ente;
        ente.id = newId();
        ente.slug = "bench";
        ente.name = "Comune di Bench";
        ente.timezone = "Europe/Rome";
        SP_TRY(directory::store::insertEnte(c, ente, tx.nowMs()));
        directory::Office off;
        off.id = newId();
        off.enteId = ente.id;
        off.slug = "urp";
        off.name = "URP";
        SP_TRY(directory::store::insertOffice(c, off, tx.nowMs()));
        return std::make_pair(ente.id, off.id);
      });
  if (!place.ok()) {
    std::fprintf(stderr, "setup: %s\n", place.error().message.c_str());
    return 1;
  }
  const auto [enteId, officeId] = place.value();

  if (seconds > 0) {
    auto before = db->stats();
    std::atomic<bool> stop{false};
    std::atomic<int64_t> failures{0}, creates{0};
    std::vector<std::vector<double>> lat(clients);
    std::vector<std::thread> threads;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < clients; ++i) {
      threads.emplace_back([&, i] {
        std::mt19937_64 rng(i + 1);
        std::optional<StoredCase> current;
        int appended = 0;
        while (!stop) {
          auto s = std::chrono::steady_clock::now();
          Result<bool> r = true;
          if (!current || appended >= 9) {
            StoredCase k = makeCase(rng, enteId, officeId, clock.nowMs());
            r = db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
              SP_TRY(store::insertCase(tx.conn(), k));
              SP_TRY(store::append(tx.conn(), entryFor(k, "created", "", tx.nowMs())));
              SP_TRY(tx.emit("office:" + k.officeId + ":cases", "case.created",
                             Json{{"id", k.id}, {"code", k.code}}));
              return true;
            });
            current = k;
            appended = 0;
            creates++;
          } else {
            StoredCase& k = *current;
            r = db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
              SP_TRY(store::append(
                  tx.conn(), entryFor(k, "note_internal", "Richiamato, in attesa", tx.nowMs())));
              k.updatedAt = tx.nowMs();
              SP_TRY(store::touchCase(tx.conn(), k.id, k.updatedAt));
              SP_TRY(
                  tx.emit("office:" + k.officeId + ":cases", "case.updated", Json{{"id", k.id}}));
              return true;
            });
            ++appended;
          }
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
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    auto after = db->stats();
    double batches = double(after.batches - before.batches);
    size_t n = all.size();
    std::printf(
        "%s events: clients=%d: %.0f durable case events/s (%zu in %.1f s: %lld cases opened, "
        "the rest timeline appends; %lld failed), latency p50 %.2f ms p99 %.2f ms, mean group "
        "%.1f\n",
        backend, clients, n / elapsed, n, elapsed, static_cast<long long>(creates.load()),
        static_cast<long long>(failures.load()), pct(all, 0.5), pct(all, 0.99),
        batches > 0 ? (after.jobs - before.jobs) / batches : 0.0);
    std::fflush(stdout);
  }

  if (total > 0) {
    auto count = db->readSync<int64_t>([&](sql::Connection& c) -> Result<int64_t> {
      SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM cases WHERE ente_id = ?", {enteId}));
      return r.i64(0);
    });
    int64_t have = count.ok() ? *count : 0;
    std::mt19937_64 rng(42);
    std::vector<std::string> phones, codes;
    auto tl = std::chrono::steady_clock::now();
    int64_t now = clock.nowMs() - 400LL * 86400000;
    while (have < total) {
      int64_t batch = std::min<int64_t>(10'000, total - have);
      std::vector<StoredCase> ks;
      ks.reserve(batch);
      for (int64_t j = 0; j < batch; ++j) {
        ks.push_back(makeCase(rng, enteId, officeId, now + (have + j) * 30));
      }
      auto r = db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
        for (auto& k : ks) {
          // 1M random codes of 8 characters collide now and then: redraw, like the service.
          for (;;) {
            SP_ASSIGN(bool taken, store::codeTaken(tx.conn(), k.code));
            if (!taken) break;
            k.code = formatTrackingCode(readableCode(8)).value();
          }
          SP_TRY(store::insertCase(tx.conn(), k));
        }
        return true;
      });
      if (!r.ok()) {
        std::fprintf(stderr, "load: %s\n", r.error().message.c_str());
        return 1;
      }
      phones.push_back(ks.back().citizenPhone);
      codes.push_back(ks.front().code);
      have += batch;
    }
    double loadS = std::chrono::duration<double>(std::chrono::steady_clock::now() - tl).count();
    if (phones.empty()) {
      // Already loaded by an earlier run: sample some.
      auto sample = db->readSync<std::vector<std::pair<std::string, std::string>>>(
          [&](sql::Connection& c) -> Result<std::vector<std::pair<std::string, std::string>>> {
            SP_ASSIGN(auto rows, c.query("SELECT citizen_phone, code FROM cases WHERE ente_id = ? "
                                         "ORDER BY id LIMIT 500",
                                         {enteId}));
            std::vector<std::pair<std::string, std::string>> out;
            for (auto& r : rows) out.emplace_back(r.str(0), r.str(1));
            return out;
          });
      for (auto& [p, c] : sample.value()) {
        phones.push_back(p);
        codes.push_back(c);
      }
    }
    std::printf("%s search: %lld cases (loaded in %.0f s)\n", backend, static_cast<long long>(have),
                loadS);
    auto run = [&](const char* what, auto makeFilter) {
      std::vector<double> ms;
      size_t found = 0;
      for (int q = 0; q < queries; ++q) {
        CaseFilter f = makeFilter(q);
        f.enteId = enteId;
        f.now = clock.nowMs();
        f.limit = 50;
        auto s = std::chrono::steady_clock::now();
        auto r = db->readSync<std::vector<StoredCase>>(
            [&](sql::Connection& c) { return store::search(c, f); });
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s)
                         .count());
        if (r.ok()) found += r->size();
      }
      std::printf("  %-34s p50 %7.2f ms  p99 %7.2f ms  (mean %.1f results)\n", what, pct(ms, 0.5),
                  pct(ms, 0.99), double(found) / queries);
      std::fflush(stdout);
    };
    std::mt19937_64 qr(7);
    run("text: surname + topic word", [&](int) {
      CaseFilter f;
      f.text = surname(qr() % 500) + " " + kTopics[qr() % kTopics.size()];
      return f;
    });
    run("text: one surname", [&](int) {
      CaseFilter f;
      f.text = surname(qr() % 500);
      return f;
    });
    run("citizen phone (exact)", [&](int q) {
      CaseFilter f;
      f.citizen = phones[q % phones.size()];
      return f;
    });
    run("tracking code", [&](int q) {
      CaseFilter f;
      f.code = codes[q % codes.size()];
      return f;
    });
    run("open cases of the office (no text)", [&](int) {
      CaseFilter f;
      f.officeIds = {officeId};
      f.openOnly = true;
      return f;
    });
  }
  return 0;
}
