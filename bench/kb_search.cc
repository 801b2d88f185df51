// Knowledge base: citizen search latency over N published articles of one ente, through the
// service the API calls (KnowledgeService::search: the ente's offices and services, the AND
// query, the OR fallback when AND finds nothing, the JSON) — everything but HTTP.
//   kb_search --database sqlite:/tmp/kb.db|postgresql://… [--articles 10000] [--queries 1000]
// Articles are generated from an Italian vocabulary of front-office words (title 3–6 words,
// body ~120 words, Zipf-like frequencies so common words match thousands of articles), loaded
// with the same insert the demo uses (500 per transaction). Queries: the examples
// ("carta identità", "certificati", …), random one- to three-word queries, and the operators'
// suggestion (OR of a long message's words); p50 / p99 of each.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
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
#include "knowledge/service.h"
#include "knowledge/store.h"

using namespace sportello;
using namespace sportello::knowledge;

namespace {

const std::vector<std::string> kTopics = {
    "carta",       "identità",     "elettronica",   "residenza",    "certificato", "anagrafico",
    "passaporto",  "tari",         "imu",           "rifiuti",      "ingombranti", "mensa",
    "scolastica",  "asilo",        "nido",          "contributo",   "affitto",     "isee",
    "parcheggio",  "contrassegno", "disabili",      "multa",        "verde",       "alberi",
    "cimitero",    "matrimonio",   "nascita",       "edilizia",     "permesso",    "costruire",
    "scia",        "cila",         "condono",       "acqua",        "fognatura",   "strada",
    "marciapiede", "rumore",       "animali",       "trasporto",    "scuolabus",   "bando",
    "autentica",   "firma",        "copia",         "accesso",      "atti",        "assegno",
    "inclusione",  "assistenza",   "domiciliare",   "anziani",      "famiglia",    "stato",
    "civile",      "cittadinanza", "separazione",   "divorzio",     "unione",      "elettorale",
    "tessera",     "scrutatori",   "volontariato",  "associazioni", "palestra",    "sala",
    "impianti",    "sportivi",     "biblioteca",    "museo",        "eventi",      "suolo",
    "pubblico",    "occupazione",  "mercato",       "commercio",    "licenza",     "autorizzazione",
    "pagamento",   "rimborso",     "rateizzazione", "agevolazione", "esenzione",   "riduzione",
    "bonus",       "energia",      "gas",           "idrico",       "canone",      "pubblicità",
    "passo",       "carrabile",    "ztl",           "abbonamento",  "studenti",    "trasporti"};
const std::vector<std::string> kCommon = {
    "domanda",   "documento", "ufficio",    "sportello", "comune",       "cittadini",
    "richiesta", "modulo",    "presentare", "online",    "appuntamento", "giorni",
    "servizio",  "pagare",    "euro",       "scadenza",  "rilascio",     "rinnovo",
    "codice",    "fiscale",   "valido",     "residenti", "informazioni", "orari",
    "telefono",  "email",     "pec",        "spid",      "cie",          "dichiarazione",
    "nucleo",    "familiare", "genitori",   "minori",    "ritiro",       "consegna",
    "ricevuta",  "marca",     "bollo",      "gratuito",  "tariffa",      "anno",
    "mese",      "settimana", "lavorativi", "termine",   "procedura",    "requisiti"};

std::string pick(std::mt19937_64& rng, const std::vector<std::string>& v, double skew) {
  // Zipf-like: index = n · u^skew (skew > 1 favours the first words).
  std::uniform_real_distribution<double> u(0, 1);
  size_t i = std::min(v.size() - 1, static_cast<size_t>(v.size() * std::pow(u(rng), skew)));
  return v[i];
}

std::string words(std::mt19937_64& rng, int n, double topicShare) {
  std::string s;
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < n; ++i) {
    if (!s.empty()) s += i % 12 == 11 ? ". " : " ";
    s += u(rng) < topicShare ? pick(rng, kTopics, 1.6) : pick(rng, kCommon, 1.3);
  }
  return s;
}

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * v.size()))];
}

template <class T>
T runOne(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw) {
  std::optional<T> out;
  boost::asio::co_spawn(
      ioc, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(aw)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  ioc.run();
  ioc.restart();
  return std::move(*out);
}

}  // namespace

int main(int argc, char** argv) {
  initCrypto();
  CLI::App cli{"Sportello knowledge base search benchmark"};
  std::string url;
  int64_t total = 10'000;
  int queries = 1000;
  cli.add_option("--database", url, "sqlite:/path.db or postgresql://…")->required();
  cli.add_option("--articles", total, "published articles of the ente");
  cli.add_option("--queries", queries, "queries of each kind");
  CLI11_PARSE(cli, argc, argv);

  SystemClock clock;
  // As kb_search always measured it: SQLite at synchronous NORMAL.
  auto db = bench::openMigrated(url, clock, false);
  const char* backend = bench::backendOf(url);
  // One ente with six offices and eleven services (reused when the database has them).
  auto place =
      db->writeSync<std::vector<std::string>>([&](Tx& tx) -> Result<std::vector<std::string>> {
        auto& c = tx.conn();
        std::vector<std::string> offices;
        auto e = directory::store::enteBySlug(c, "bench");
        if (e.ok()) {
          SP_ASSIGN(auto list, directory::store::listOffices(c, e->id));
          for (auto& x : list) offices.push_back(x.id);
          return offices;
        }
        directory::Ente ente;
        ente.id = newId();
        ente.slug = "bench";
        ente.name = "Comune di Bench";
        ente.timezone = "Europe/Rome";
        SP_TRY(directory::store::insertEnte(c, ente, tx.nowMs()));
        for (const char* s : {"urp", "anagrafe", "tributi", "edilizia", "sociali", "scuola"}) {
          directory::Office off;
          off.id = newId();
          off.enteId = ente.id;
          off.slug = s;
          off.name = s;
          SP_TRY(directory::store::insertOffice(c, off, tx.nowMs()));
          offices.push_back(off.id);
        }
        for (int i = 0; i < 11; ++i) {
          directory::Service sv;
          sv.id = newId();
          sv.enteId = ente.id;
          sv.officeId = offices[static_cast<size_t>(i) % offices.size()];
          sv.name = "Servizio " + std::to_string(i);
          sv.prefix = std::string(1, static_cast<char>('A' + i));
          SP_TRY(directory::store::insertService(c, sv, tx.nowMs()));
        }
        return offices;
      });
  if (!place.ok()) {
    std::fprintf(stderr, "setup: %s\n", place.error().message.c_str());
    return 1;
  }
  const auto offices = place.value();

  auto have = db->readSync<int64_t>([&](sql::Connection& c) -> Result<int64_t> {
    SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM kb_articles a JOIN enti e ON e.id = a.ente_id "
                            "WHERE e.slug = 'bench'",
                            {}));
    return r.i64(0);
  });
  if (!have.ok()) return 1;
  std::mt19937_64 rng(17);
  auto t0 = std::chrono::steady_clock::now();
  for (int64_t n = have.value(); n < total;) {
    int64_t batch = std::min<int64_t>(500, total - n);
    auto r = db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
      for (int64_t i = 0; i < batch; ++i) {
        Article a;
        a.status = ArticleStatus::kPublished;
        std::uniform_int_distribution<int> len(3, 6);
        a.text.title.it = words(rng, len(rng), 0.8);
        a.text.title.it[0] = static_cast<char>(std::toupper(a.text.title.it[0]));
        a.text.summary.it = words(rng, 20, 0.3);
        a.text.body.it = words(rng, 120, 0.25);
        a.text.documents.it = "- " + words(rng, 6, 0.1) + "\n- " + words(rng, 6, 0.1);
        if ((n + i) % 3 == 0) {
          a.text.title.en = "Service guide " + std::to_string(n + i);
          a.text.summary.en = "How to apply, documents and fees";
        }
        a.officeIds.push_back(offices[static_cast<size_t>(n + i) % offices.size()]);
        SP_TRY(KnowledgeService::insert(tx, "bench", std::move(a), std::nullopt));
      }
      return true;
    });
    if (!r.ok()) {
      std::fprintf(stderr, "load: %s\n", r.error().message.c_str());
      return 1;
    }
    n += batch;
  }
  double loadS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (std::string(backend) == "postgres") {
    (void)db->writeSync<bool>([](Tx& tx) -> Result<bool> {
      SP_TRY(tx.conn().exec("ANALYZE kb_articles"));
      return true;
    });
  }
  std::printf("%s: %lld published articles (loaded in %.1f s)\n", backend,
              static_cast<long long>(total), loadS);

  KnowledgeService kb(*db, clock);
  boost::asio::io_context ioc;
  auto run = [&](const char* what, auto makeQuery) {
    std::vector<double> ms;
    size_t found = 0, failed = 0;
    for (int q = 0; q < queries; ++q) {
      PublicSearch s = makeQuery(q);
      auto start = std::chrono::steady_clock::now();
      auto r = runOne(ioc, kb.search("bench", s));
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      if (r.ok()) {
        found += r.value().results.size();
      } else {
        ++failed;
      }
    }
    std::printf("  %-40s p50 %6.2f ms  p99 %6.2f ms  (mean %.1f results%s)\n", what, pct(ms, 0.5),
                pct(ms, 0.99), double(found) / queries, failed ? ", SOME FAILED" : "");
    std::fflush(stdout);
  };
  const std::vector<std::string> examples = {
      "carta identità", "carta identita", "certificati",      "certificato di residenza",
      "tari rifiuti",   "isee",           "mensa scolastica", "permesso di costruire"};
  std::mt19937_64 qr(7);
  run("issue examples (AND, limit 5)", [&](int q) {
    return PublicSearch{examples[static_cast<size_t>(q) % examples.size()], false, "", 5};
  });
  run("1-3 random words (AND, else OR)", [&](int) {
    std::uniform_int_distribution<int> n(1, 3);
    std::string t;
    for (int i = n(qr); i > 0; --i) t += (t.empty() ? "" : " ") + pick(qr, kTopics, 1.0);
    return PublicSearch{t, false, "", 5};
  });
  run("one common word (most articles)", [&](int q) {
    return PublicSearch{kCommon[static_cast<size_t>(q) % 5], false, "", 5};
  });
  run("2 words, office filter, limit 20", [&](int q) {
    return PublicSearch{pick(qr, kTopics, 1.0) + " " + pick(qr, kTopics, 1.0), false, "anagrafe",
                        20};
  });
  run("lang=en (English and Italian)", [&](int q) {
    return PublicSearch{q % 2 ? "service guide" : "carta identità", true, "", 5};
  });
  // The operators' suggestion: OR of a long message's words, straight on the store.
  {
    std::vector<double> ms;
    size_t found = 0, failed = 0;
    auto ente = db->readSync<std::string>([](sql::Connection& c) -> Result<std::string> {
      SP_ASSIGN(auto r, c.one("SELECT id FROM enti WHERE slug = 'bench'", {}));
      return r.str(0);
    });
    for (int q = 0; q < queries; ++q) {
      SearchQuery s;
      s.enteId = ente.value();
      s.text = "Buongiorno, vorrei sapere " + words(qr, 40, 0.3) + " grazie";
      s.any = true;
      s.today = "2026-12-04";
      s.limit = 5;
      auto start = std::chrono::steady_clock::now();
      auto r = db->readSync<std::vector<SearchHit>>(
          [&](sql::Connection& c) { return store::search(c, s); });
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      if (r.ok()) {
        found += r->size();
      } else {
        ++failed;
        if (failed == 1) std::fprintf(stderr, "suggest: %s\n", r.error().message.c_str());
      }
    }
    std::printf("  %-40s p50 %6.2f ms  p99 %6.2f ms  (mean %.1f results%s)\n",
                "suggest: OR of a 40-word message", pct(ms, 0.5), pct(ms, 0.99),
                double(found) / queries, failed ? ", SOME FAILED" : "");
  }
  return 0;
}
