#include "app/app.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/mail_routes.h"
#include "booking/capability.h"
#include "cases/capability.h"
#include "citizens/capability.h"
#include "core/json_fields.h"
#include "core/token.h"
#include "directory/capability.h"
#include "feedback/capability.h"
#include "knowledge/capability.h"
#include "line/capability.h"
#include "platform/mail.h"
#include "platform/pg_signal_bus.h"
#include "platform/ratelimit.h"
#include "platform/schema.h"
#include "queue/capability.h"
#include "reception/capability.h"
#include "staff/capability.h"
#include "visitors/capability.h"

namespace sportello::app {

namespace fs = std::filesystem;

// The capabilities, in the order they are built (each may use the ones before it): adding one
// is one line here plus its own folder (docs/ARCHITECTURE.md, "Capabilities").
const std::vector<CapabilityEntry>& capabilities() {
  static const std::vector<CapabilityEntry> all = {
      directory::capability(), staff::capability(), line::capability(),    reception::capability(),
      queue::capability(),     cases::capability(), booking::capability(), knowledge::capability(),
      visitors::capability(),
      citizens::capability(),
      feedback::capability(),
  };
  return all;
}

std::vector<Migration> allMigrations() {
  std::vector<Migration> all = platformMigrations();
  auto mail = mail::migrations();
  all.insert(all.end(), mail.begin(), mail.end());
  for (const auto& c : capabilities()) {
    auto list = c.migrations();
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

std::unique_ptr<Clock> makeClock(const Config& cfg) {
  if (cfg.clockControl) {
    auto t = cfg.now ? parseIso(*cfg.now) : Result<SysMillis>(SystemClock().now());
    if (t.ok()) return std::make_unique<ManualClock>(t.value());
  }
  if (cfg.now) {
    auto t = parseIso(*cfg.now);
    if (t.ok()) return std::make_unique<OffsetClock>(t.value());
  }
  return std::make_unique<SystemClock>();
}

Result<std::unique_ptr<Database>> openDatabase(const Config& cfg, const Clock& clock) {
  std::string url = cfg.databaseUrl();
  if (url.rfind("sqlite:", 0) == 0) {
    std::error_code ec;
    fs::create_directories(cfg.dataDir, ec);
    if (ec)
      return makeError(Errc::kUnavailable, "cannot create " + cfg.dataDir + ": " + ec.message());
  }
  DatabaseOptions o;
  o.url = url;
  o.readers = cfg.dbReaders;
  o.sqliteSynchronousFull = cfg.sqliteSynchronousFull;
  o.eventRetention = cfg.eventRetention;
  SP_ASSIGN(auto db, Database::open(o, clock));
  SP_ASSIGN(int n, db->migrate(allMigrations()));
  if (n > 0) spdlog::info("database migrated ({} migrations applied)", n);
  return db;
}

namespace {
std::vector<std::unique_ptr<asio::io_context>> makeContexts(int threads) {
  int n =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<asio::io_context>> v;
  for (int i = 0; i < n; ++i) v.push_back(std::make_unique<asio::io_context>(1));
  return v;
}
}  // namespace

App::App(Config cfg)
    : cfg_(std::move(cfg)), contexts_(makeContexts(cfg_.threads)), ioc_(*contexts_[0]) {}

App::~App() {
  cpu_.join();
}

namespace {

std::string findWebDir(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    candidates.push_back(exe.parent_path() / "../web/dist");
    candidates.push_back(exe.parent_path() / "web");
  }
  candidates.push_back("web/dist");
  for (auto& c : candidates) {
    if (fs::exists(c / "offices.html", ec)) return fs::weakly_canonical(c, ec).string();
  }
  return "";
}

}  // namespace

Status App::init() {
  started_ = std::chrono::steady_clock::now();
  if (cfg_.now && !parseIso(*cfg_.now).ok()) {
    return makeError(Errc::kInvalid, "config now: not an ISO 8601 instant: " + *cfg_.now, "now");
  }
  clock_ = makeClock(cfg_);
  manualClock_ = dynamic_cast<ManualClock*>(clock_.get());
  startedAtMs_ = clock_->nowMs();
  SP_ASSIGN(db_, openDatabase(cfg_, *clock_));
  std::string web = findWebDir(cfg_.webDir);
  SP_ASSIGN(files_, StaticFiles::load(web));
  if (files_->size() == 0) {
    spdlog::warn(
        "no web assets found (build them with `make web`); the API "
        "works without");
  } else {
    spdlog::info("serving {} web files from {}", files_->size(), web);
  }
  mail_ = std::make_unique<mail::MailSender>(
      *db_, *clock_,
      mail::SenderOptions{cfg_.smtpUrl, cfg_.smtpFrom, cfg_.smtpUser, cfg_.smtpPassword});
  hub_ = std::make_unique<WsHub>(*db_, metrics_);
  Wiring wiring{*db_, *clock_, cfg_, cpu_, caps_};
  for (const auto& c : capabilities()) caps_.add(c.make(wiring));
  staff_ = &caps_.get<staff::StaffCapability>().service;
  for (const auto& c : caps_) c->addRoutes(router_);
  registerMailRoutes(router_, *db_, *staff_);
  topics_ = caps_.topics();
  applyLimits();
  registerOps();
  if (manualClock_) registerClockControl();
  registerPages();

  hub_->setAuthorizer([this](const WsAuth& auth, const std::string& topic,
                             const std::string& token) -> asio::awaitable<Result<std::string>> {
    auto who = co_await Capabilities::authorise(topics_, auth, topic, token);
    // Liveness: a page that subscribes is there now (a returning citizen takes their place
    // again at once, a console that reconnects gets its presence back).
    if (who.ok() && !who->empty()) {
      std::vector<std::string> ids{*who};
      for (const auto& c : caps_) co_await c->seenLive(ids);
    }
    co_return who;
  });
  hub_->setSignalPolicy([this](const std::string& topic, const std::string& identity,
                               const Json& data) -> asio::awaitable<Result<SignalRoute>> {
    co_return co_await Capabilities::route(topics_, topic, identity, data);
  });

  db_->setCommitListener([this](const std::vector<Event>& events) {
    for (const auto& c : caps_) c->committed(events);
    bool origins = false;
    for (const auto& e : events) {
      if (e.type == "ente.updated") origins = true;  // its embedding origins may have changed
    }
    hub_->publish(events);
    if (origins) asio::co_spawn(ioc_, refreshOrigins(), asio::detached);
  });
  return okStatus();
}

// Privacy: forget the personal data of visits ended longer ago than the retention period (each
// capability's purge), old outbox mails and the counters of windows that ended.
asio::awaitable<void> App::purgeOnce() {
  for (const auto& c : caps_) co_await c->purge(cfg_.personalDataRetentionDays);
  int64_t before = clock_->nowMs() - int64_t{cfg_.personalDataRetentionDays} * 86'400'000;
  auto mailJob = [before](Tx& tx) { return mail::purge(tx, before); };
  auto mn = co_await db_->write<int64_t>(std::move(mailJob));
  if (mn.ok() && *mn > 0) spdlog::info("retention: {} old outbox mails removed", *mn);
  (void)co_await ratelimit::purge(*db_);
}

// At start and then once an hour.
asio::awaitable<void> App::purgeLoop() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    co_await purgeOnce();
    timer.expires_after(std::chrono::hours(1));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

// Nothing of a day that closed stays open: every 30 s (and at start, so a server that was down
// at midnight catches up) each capability closes the days whose local midnight passed.
asio::awaitable<void> App::dayLoop() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    for (const auto& c : caps_) co_await c->closeDays();
    timer.expires_after(std::chrono::seconds(30));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

// Liveness (docs/OPERATIONS.md, "Liveness"): the citizens' pages and the consoles connected
// to this node are seen now; then what has not been seen for a grace is swept (on any node:
// the sweep is idempotent). Right after a start the sweep waits one grace, so that the pages
// a restart disconnected can come back before anyone is judged gone.
asio::awaitable<void> App::livenessTick() {
  auto ids = hub_->liveIdentities();
  for (const auto& c : caps_) co_await c->seenLive(ids);
  int64_t up = clock_->nowMs() - startedAtMs_;
  for (const auto& c : caps_) co_await c->sweepGone(up);
}

asio::awaitable<void> App::livenessLoop() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    co_await livenessTick();
    timer.expires_after(std::chrono::seconds(15));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

// Tests only (clock_control): the clock stands still; this moves it and runs, at the new time,
// what a start and the timers would have run — the retention purge, the day closing, the
// liveness sweep — before answering, and wakes the mail sender (mail that fell due leaves
// now). So a test moves time instead of restarting the server.
// Direct loopback requests only, like /metrics without a token.
void App::registerClockControl() {
  spdlog::warn("clock_control: the clock is moved by POST /api/v1/test/clock (tests only)");
  router_.add(http::Method::post, "/api/v1/test/clock",
              [this](http::Request& q) -> asio::awaitable<http::Response> {
                if (!cfg_.metricsToken.empty() || !metricsAllowed(q)) {
                  co_return http::error(Errc::kNotFound, "risorsa non trovata");
                }
                auto body = parseJsonObject(q.body());
                if (!body.ok()) co_return http::error(body.error());
                Fields f(body.value());
                int64_t advance = 0;
                f.integer("advance_seconds", advance, 0, 400 * 86'400, true);
                if (auto st = f.finish(); !st.ok()) co_return http::error(st.error());
                manualClock_->advance(std::chrono::seconds(advance));
                co_await purgeOnce();
                for (const auto& c : caps_) co_await c->closeDays();
                co_await livenessTick();
                if (mail_) mail_->poke();
                co_return http::ok({{"now", formatIsoMs(clock_->nowMs())}});
              });
}

// The limits of docs/SECURITY.md ("Limits"), from the config, to the services that count them.
void App::applyLimits() {
  // (the capabilities take theirs from the config when they are built)
  mail::setPerRecipientPerDay(cfg_.limits.mailsPerRecipientPerDay);
}

asio::awaitable<void> App::refreshOrigins() {
  auto enti = co_await caps_.get<directory::DirectoryCapability>().service.listEnti();
  if (!enti.ok()) co_return;
  std::map<std::string, std::vector<std::string>, std::less<>> s;
  std::map<std::string, std::string, std::less<>> frames;
  for (const auto& e : *enti) {
    for (const auto& o : e.embedOrigins) s[o].push_back(e.slug);
    if (e.embedOrigins.empty()) continue;
    std::string sources = "'self'";
    for (const auto& o : e.embedOrigins) sources += " " + o;
    frames[e.slug] = sources;
  }
  std::lock_guard lk(originsMu_);
  embedOrigins_ = std::move(s);
  frameAncestors_ = std::move(frames);
}

std::string App::frameAncestorsFor(std::string_view path) {
  // Only an ente's own pages (/{slug}/…) may be framed by that ente's embedding origins.
  if (path.size() < 2 || path[0] != '/') return "'self'";
  std::string_view rest = path.substr(1);
  size_t slash = rest.find('/');
  std::string_view slug = rest.substr(0, slash);
  if (slug == "api" || slug == "assets") return "'self'";
  // Only the citizen's pages (offices, visit, widget panel): never login, console or admin,
  // which a framing site could otherwise trick staff into clicking (clickjacking).
  if (slash != std::string_view::npos) {
    std::string_view page = rest.substr(slash + 1);
    page = page.substr(0, page.find('/'));
    if (!page.empty() && page != "visit" && page != "widget") return "'self'";
  }
  std::lock_guard lk(originsMu_);
  auto it = frameAncestors_.find(slug);
  return it == frameAncestors_.end() ? "'self'" : it->second;
}

void App::stopAll() {
  for (auto& c : contexts_) c->stop();
}

OriginCheck App::originCheck(std::string_view origin, std::string_view host) {
  if (origin == "http://" + std::string(host) || origin == "https://" + std::string(host)) {
    return {true, true, {}};
  }
  if (!cfg_.publicOrigin.empty() && origin == cfg_.publicOrigin) return {true, true, {}};
  // An ente's embedding origin: that ente's citizen side only (never staff: see OriginCheck).
  std::lock_guard lk(originsMu_);
  auto it = embedOrigins_.find(origin);
  if (it == embedOrigins_.end()) return {false, false, {}};
  return {true, false, it->second};
}

// /metrics tells request rates, connections and database figures: not for the public. With
// metrics_token, only "Authorization: Bearer <token>"; without, only a direct request from a
// loopback address (a proxied request — X-Forwarded-For, Forwarded, X-Real-IP — never).
bool App::metricsAllowed(const http::Request& q) const {
  if (!cfg_.metricsToken.empty()) {
    return secretEquals(q.header("Authorization"), "Bearer " + cfg_.metricsToken);
  }
  if (!q.header("X-Forwarded-For").empty() || !q.header("Forwarded").empty() ||
      !q.header("X-Real-IP").empty()) {
    return false;
  }
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(q.remoteAddr, ec);
  return !ec && addr.is_loopback();
}

void App::registerOps() {
  router_.add(
      http::Method::get, "/healthz", [this](http::Request&) -> asio::awaitable<http::Response> {
        auto sp_job1 = [](sql::Connection& c) -> Result<int64_t> {
          SP_ASSIGN(auto row, c.one("SELECT 1", {}));
          return row.i64(0);
        };
        auto r = co_await db_->read<int64_t>(std::move(sp_job1));
        if (!r.ok()) {
          co_return http::json(http::bhttp::status::service_unavailable,
                               {{"status", "unavailable"}, {"database", r.error().message}});
        }
        co_return http::ok({{"status", "ok"}, {"time", formatIso(clock_->now())}});
      });
  router_.add(
      http::Method::get, "/metrics", [this](http::Request& q) -> asio::awaitable<http::Response> {
        if (!metricsAllowed(q)) co_return http::error(Errc::kNotFound, "risorsa non trovata");
        http::Response res{http::bhttp::status::ok, 11};
        res.set(http::bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.set(http::bhttp::field::cache_control, "no-store");
        auto st = db_->stats();
        res.body() =
            metrics_.render() +
            "# HELP sportello_db_group_commits_total Write "
            "transactions committed.\n"
            "# TYPE sportello_db_group_commits_total counter\n"
            "sportello_db_group_commits_total " +
            std::to_string(st.batches) +
            "\n# HELP sportello_db_write_jobs_total Write jobs run.\n"
            "# TYPE sportello_db_write_jobs_total "
            "counter\nsportello_db_write_jobs_total " +
            std::to_string(st.jobs) +
            "\n# HELP sportello_bus_remote_events_total Events received from other nodes.\n"
            "# TYPE sportello_bus_remote_events_total counter\n"
            "sportello_bus_remote_events_total " +
            std::to_string(st.remoteEvents) + "\n";
        res.prepare_payload();
        co_return res;
      });
}

void App::registerPages() {
  auto page = [this](std::string file) {
    return [this, file](http::Request& q) -> asio::awaitable<http::Response> {
      const std::string& slug = q.param("slug");
      if (!slug.empty() && !directory::validSlug(slug)) {
        co_return http::error(Errc::kNotFound, "pagina non trovata");
      }
      const StaticFile* f = files_->find(file);
      if (!f) {
        co_return http::error(Errc::kUnavailable,
                              "interfaccia web non compilata: eseguire `make web`");
      }
      co_return staticAnswer(*f, q.header("Accept-Encoding"), q.header("If-None-Match"),
                             "no-cache");
    };
  };
  for (const auto& c : caps_) {
    for (const auto& p : c->pages()) router_.add(http::Method::get, p.path, page(p.file));
  }
}

int App::serve() {
  // Every WebSocket is a descriptor: thousands of waiting citizens need more than the usual
  // soft limit of 1024. Raise it to the hard limit the system allows.
  if (rlimit lim{}; getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) spdlog::warn("could not raise the open files limit");
  }
  ServerOptions so;
  so.host = cfg_.host;
  so.port = static_cast<uint16_t>(cfg_.port);
  so.maxBodyBytes = cfg_.maxBodyBytes;
  so.maxHeaderBytes = cfg_.maxHeaderBytes;
  so.maxWsMessageBytes = cfg_.maxWsMessageBytes;
  so.readTimeout = std::chrono::seconds(cfg_.readTimeoutSeconds);
  so.publicOrigin = cfg_.publicOrigin;
  so.trustedProxies = cfg_.trustedProxies;
  so.wsReauthInterval = std::chrono::seconds(cfg_.wsReauthSeconds);
  std::vector<asio::io_context*> ctxs;
  for (auto& c : contexts_) ctxs.push_back(c.get());
  server_ = std::make_unique<HttpServer>(ctxs, so, router_, *hub_, metrics_, *files_);
  if (db_->dialect() == sql::Dialect::kPostgres) {
    // The two parties of a call may be on different nodes (docs/OPERATIONS.md, "Several
    // nodes"). A signal nobody on this node took is answered `unavailable` when no other node
    // delivered it within 2 s: an acknowledgement takes two NOTIFY trips and one visit read.
    signalBus_ = openPgSignalBus(cfg_.databaseUrl(), db_->nodeId());
    hub_->setSignalBus(signalBus_.get(), ioc_.get_executor(), std::chrono::seconds(2));
    signalBus_->start([this](std::string m) { hub_->receiveSignal(std::move(m)); });
  }
  server_->setFrameAncestorsPolicy([this](std::string_view p) { return frameAncestorsFor(p); });
  server_->setOriginPolicy(
      [this](std::string_view o, std::string_view h) { return originCheck(o, h); });
  asio::co_spawn(ioc_, refreshOrigins(), asio::detached);
  asio::co_spawn(ioc_, purgeLoop(), asio::detached);
  asio::co_spawn(ioc_, dayLoop(), asio::detached);
  asio::co_spawn(ioc_, livenessLoop(), asio::detached);
  mail_->start();
  // SIGINT/SIGTERM are ours before anyone can learn we listen (a test, systemd): a signal that
  // came right after the "listening" line would otherwise kill the process without a shutdown.
  asio::signal_set signals(ioc_, SIGINT, SIGTERM);
  asio::steady_timer grace(ioc_);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: finishing in-flight requests", sig);
    server_->shutdown([this] { stopAll(); });
    grace.expires_after(std::chrono::seconds(cfg_.shutdownGraceSeconds));
    grace.async_wait([this](const boost::system::error_code& e) {
      if (!e) {
        spdlog::warn("shutdown grace period over, closing remaining connections");
        stopAll();
      }
    });
    // A second signal stops at once.
    signals.async_wait([this](const boost::system::error_code& e, int) {
      if (!e) stopAll();
    });
  });

  auto port = server_->start();
  if (!port.ok()) {
    spdlog::error("{}", port.error().message);
    return 1;
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_);
  std::cout << "sportello listening on http://" << cfg_.host << ":" << port.value() << std::endl;
  spdlog::info("listening on {}:{} (ready in {} ms)", cfg_.host, port.value(), elapsed.count());

  // Keep every context running even while it has no connection.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& c : contexts_) guards.push_back(asio::make_work_guard(*c));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([c = contexts_[i].get()] { c->run(); });
  }
  ioc_.run();
  for (auto& c : contexts_) c->stop();
  for (auto& t : threads) t.join();
  mail_->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace sportello::app
