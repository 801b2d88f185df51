// The one line: "Chiama il prossimo" latency with a long mixed line, through the same services
// the HTTP routes call (LineService::next, QueueService::callNext; no HTTP in the way).
//   line_bench --database sqlite:/tmp/x/sportello.db|postgresql://… [--entries 10000]
//              [--calls 500] [--mode line|queue]
// The database must hold the demo (sportello demo load). The clock stands on Wednesday
// 2026-11-25 10:30 in Rome (the town hall's services are open). --entries waiting entries are
// added to the URP and its five services C E G H J at the town hall: 60 % paper/phone tickets
// (1 in 10 with a priority, 1 in 50 an appointment due now), 30 % connected knocks (chat and
// video), 10 % callbacks already due. Then the operator "operatore" calls --calls times, one
// call at a time, and each call's latency is recorded (job queued → answer back):
//   line   a desk at Sportello 3 with camera and headset: every channel, one policy;
//   queue  the queue's own call-next at Sportello 3 (tickets only): the comparison.
// Prints p50 / p90 / p99 / max in ms, what each call took, and one JSON line (prefix RESULT).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "bench_db.h"
#include "app/app.h"
#include "cases/model/case.h"
#include "cases/store.h"
#include "core/clock.h"
#include "core/token.h"
#include "line/service.h"
#include "queue/service.h"
#include "queue/store.h"
#include "reception/store.h"
#include "staff/service.h"

using namespace sportello;
namespace asio = boost::asio;

namespace {

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * v.size()))];
}

struct Place {
  std::string enteId, siteId, officeId, counterId;
  std::vector<std::pair<std::string, std::string>> services;  // id, prefix
  staff::StaffContext ctx;
};

Result<Place> findPlace(sql::Connection& c) {
  Place p;
  SP_ASSIGN(auto e, c.one("SELECT id FROM enti WHERE slug = 'esempio'", {}, "ente"));
  p.enteId = e.str(0);
  SP_ASSIGN(auto o, c.one("SELECT id FROM offices WHERE ente_id = ? AND slug = 'urp'", {p.enteId},
                          "ufficio"));
  p.officeId = o.str(0);
  SP_ASSIGN(auto k, c.one("SELECT id, site_id FROM queue_counters WHERE ente_id = ? AND name = "
                          "'Sportello 3'",
                          {p.enteId}, "postazione"));
  p.counterId = k.str(0);
  p.siteId = k.str(1);
  SP_ASSIGN(auto ss, c.query("SELECT s.id, s.prefix FROM queue_counter_services cs JOIN services s "
                             "ON s.id = cs.service_id WHERE cs.counter_id = ? ORDER BY s.prefix",
                             {p.counterId}));
  for (auto& r : ss) p.services.emplace_back(r.str(0), r.str(1));
  SP_ASSIGN(auto op, c.one("SELECT id FROM operators WHERE ente_id = ? AND username = 'operatore'",
                           {p.enteId}, "operatore"));
  p.ctx.op.id = op.str(0);
  p.ctx.op.enteId = p.enteId;
  p.ctx.op.role = staff::Role::kOperator;
  p.ctx.op.active = true;
  p.ctx.op.presence = "available";
  p.ctx.enteSlug = "esempio";
  SP_ASSIGN(auto offs,
            c.query("SELECT o.id, o.slug, o.name FROM office_members m JOIN offices o ON "
                    "o.id = m.office_id WHERE m.operator_id = ?",
                    {p.ctx.op.id}));
  for (auto& r : offs) p.ctx.op.offices.push_back({r.str(0), r.str(1), r.str(2)});
  return p;
}

// Adds `n` waiting entries, in arrival order one second apart, ending at `now`.
Status fill(Tx& tx, const Place& p, int n, int64_t now, std::mt19937_64& rng) {
  auto& c = tx.conn();
  std::map<std::string, int64_t> numbers;
  SP_ASSIGN(auto kn, c.one("SELECT COALESCE(MAX(knock_no), 0) FROM visits", {}));
  int64_t knock = kn.i64(0);
  for (int i = 0; i < n; ++i) {
    int64_t at = now - int64_t(n - i) * 1000;
    int kind = i % 10;  // 0-5 ticket, 6-8 visit, 9 callback
    if (kind <= 5) {
      const auto& [sid, prefix] = p.services[rng() % p.services.size()];
      queue::StoredTicket t;
      t.id = newId();
      t.enteId = p.enteId;
      t.siteId = p.siteId;
      t.serviceId = t.numberedBy = sid;
      t.serviceName = prefix;
      t.servicePrefix = prefix;
      t.number = ++numbers[sid];
      t.code = prefix + std::to_string(t.number);
      t.day = "2026-11-25";
      t.source = i % 3 ? "machine" : "phone";
      t.lang = "it";
      t.tokenHash = sha256Hex(t.id);
      t.issuedAt = at;
      if (i % 50 == 0) {
        t.priority = queue::PriorityReason::kAppointment;
        t.appointmentAt = now;
      } else if (i % 10 == 1) {
        t.priority = queue::PriorityReason::kAge;
      }
      SP_TRY(queue::store::insertTicket(c, t));
    } else if (kind <= 8) {
      reception::Visit v;
      v.id = newId();
      v.enteId = p.enteId;
      v.officeId = p.officeId;
      v.tokenHash = sha256Hex(v.id);
      v.knockNo = ++knock;
      v.mode = i % 2 ? reception::Mode::kChat : reception::Mode::kVideo;
      v.name = "Persona " + std::to_string(i);
      v.topic = "Informazioni";
      v.knockedAt = at;
      v.seenAt = 0;  // followed through the API: counts as connected
      SP_TRY(reception::store::insertVisit(c, v));
    } else {
      cases::StoredCase k;
      k.id = newId();
      k.enteId = p.enteId;
      k.officeId = p.officeId;
      k.code = cases::formatTrackingCode(readableCode(8)).value();
      k.secretHash = sha256Hex(k.id);
      k.subject = "Richiamata " + std::to_string(i);
      k.citizenName = "Persona " + std::to_string(i);
      k.citizenPhone = "+39 333 " + std::to_string(1000000 + i);
      k.dueAt = now + 30LL * 86400000;
      k.createdAt = k.updatedAt = at;
      SP_TRY(cases::store::insertCase(c, k));
      cases::Callback b;
      b.id = newId();
      b.caseId = k.id;
      b.enteId = p.enteId;
      b.officeId = p.officeId;
      b.phone = k.citizenPhone;
      b.dueAt = at;
      b.createdAt = at;
      SP_TRY(cases::store::insertCallback(c, b));
    }
  }
  return okStatus();
}

}  // namespace

int main(int argc, char** argv) {
  initCrypto();
  CLI::App cli{"Sportello one-line call-next benchmark"};
  std::string url, mode = "line";
  int entries = 10'000, calls = 500;
  cli.add_option("--database", url, "sqlite:/path.db or postgresql://… (with the demo)")
      ->required();
  cli.add_option("--entries", entries, "waiting entries added before the calls");
  cli.add_option("--calls", calls, "calls, one at a time");
  cli.add_option("--mode", mode, "line (a desk, every channel) or queue (tickets only)")
      ->check(CLI::IsMember({"line", "queue"}));
  CLI11_PARSE(cli, argc, argv);

  ManualClock clock(parseIso("2026-11-25T09:30:00Z").value());
  auto db = bench::openMigrated(url, clock);
  auto place = db->writeSync<Place>([](Tx& tx) { return findPlace(tx.conn()); });
  if (!place.ok()) {
    std::fprintf(stderr, "the demo is needed: %s\n", place.error().message.c_str());
    return 1;
  }
  const Place p = place.value();
  std::mt19937_64 rng(42);
  auto t0 = std::chrono::steady_clock::now();
  auto filled = db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
    SP_TRY(fill(tx, p, entries, clock.nowMs(), rng));
    return true;
  });
  if (!filled.ok()) {
    std::fprintf(stderr, "fill: %s\n", filled.error().message.c_str());
    return 1;
  }
  double fillS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  asio::thread_pool cpu(1);
  staff::StaffService staffService(*db, clock, cpu, false);
  line::LineService lines(*db, clock);
  queue::QueueService queueService(*db, clock, staffService);
  auto await = [&]<class T>(asio::awaitable<Result<T>> a) {
    return asio::co_spawn(io, std::move(a), asio::use_future).get();
  };
  if (mode == "line") {
    line::OpenDeskInput in;
    in.counterId = p.counterId;
    in.remote = true;
    auto d = await(lines.open(p.ctx, in));
    if (!d.ok()) {
      std::fprintf(stderr, "open desk: %s\n", d.error().message.c_str());
      return 1;
    }
  }
  std::vector<double> lat;
  std::map<std::string, int> taken;
  int failures = 0;
  for (int i = 0; i < calls; ++i) {
    clock.advance(std::chrono::milliseconds(200));
    auto s = std::chrono::steady_clock::now();
    // What was taken ("ticket", "visit", "callback" or "none") and the policy's class.
    Result<std::pair<std::string, std::string>> r = makeError(Errc::kInternal, "");
    if (mode == "line") {
      auto c = await(lines.next(p.ctx));
      if (c.ok()) {
        r = std::pair<std::string, std::string>{
            c->channel ? line::channelName(*c->channel) : "none",
            c->kind ? line::callKindName(*c->kind) : "-"};
      } else {
        r = c.error();
      }
    } else {
      auto c = await(queueService.callNext(p.ctx, p.counterId));
      if (c.ok()) {
        r = std::pair<std::string, std::string>{c->ticket ? "ticket" : "none",
                                                c->kind ? line::callKindName(*c->kind) : "-"};
      } else {
        r = c.error();
      }
    }
    lat.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    if (!r.ok()) {
      if (failures++ < 3) std::fprintf(stderr, "call: %s\n", r.error().message.c_str());
      continue;
    }
    taken[r->first + "/" + r->second]++;
  }
  guard.reset();
  io.stop();
  runner.join();

  std::printf("backend %s, mode %s: %d waiting entries added in %.1f s, %d calls, %d failed\n",
              url.rfind("sqlite", 0) == 0 ? "sqlite" : "postgres", mode.c_str(), entries, fillS,
              calls, failures);
  std::printf("call-next latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", pct(lat, 0.5),
              pct(lat, 0.9), pct(lat, 0.99), pct(lat, 1.0));
  Json took = Json::object();
  for (const auto& [k, n] : taken) {
    std::printf("  took %-22s %d\n", k.c_str(), n);
    took[k] = n;
  }
  Json out = {{"mode", mode},
              {"entries", entries},
              {"calls", calls},
              {"failures", failures},
              {"p50_ms", pct(lat, 0.5)},
              {"p90_ms", pct(lat, 0.9)},
              {"p99_ms", pct(lat, 0.99)},
              {"max_ms", pct(lat, 1.0)},
              {"took", took}};
  std::printf("RESULT %s\n", out.dump().c_str());
  return failures ? 1 : 0;
}
