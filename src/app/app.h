// Wiring: builds the clock, database, services, router, hub and server from a
// Config.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <set>

#include "core/config.h"
#include "platform/capability.h"
#include "platform/database.h"
#include "platform/mail.h"
#include "platform/server.h"
#include "reception/service.h"
#include "staff/service.h"

namespace sportello::app {

// The capabilities the app is made of, in build order.
const std::vector<CapabilityEntry>& capabilities();
std::vector<Migration> allMigrations();
std::unique_ptr<Clock> makeClock(const Config& cfg);
Result<std::unique_ptr<Database>> openDatabase(const Config& cfg, const Clock& clock);

class App {
 public:
  explicit App(Config cfg);
  ~App();
  // Opens and migrates the database, loads web assets, registers routes.
  // Start-up errors are returned, not thrown.
  Status init();
  // Listens and runs until SIGINT/SIGTERM; returns the process exit code.
  int serve();

 private:
  void registerPages();
  void registerOps();
  void applyLimits();
  asio::awaitable<void> refreshOrigins();
  asio::awaitable<void> purgeOnce();
  asio::awaitable<void> purgeLoop();
  asio::awaitable<void> dayLoop();
  // Liveness: every 15 s, who is connected on this node is seen now, then the sweep.
  asio::awaitable<void> livenessLoop();
  asio::awaitable<void> livenessTick();
  // Tests (clock_control): POST /api/v1/test/clock moves the still clock.
  void registerClockControl();
  void stopAll();
  OriginCheck originCheck(std::string_view origin, std::string_view host);
  bool metricsAllowed(const http::Request& q) const;
  std::string frameAncestorsFor(std::string_view path);

  Config cfg_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<StaticFiles> files_;
  Metrics metrics_;
  http::Router router_;
  // One io_context per I/O thread (contexts_[0] also runs signals and the acceptor).
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  asio::io_context& ioc_;
  asio::thread_pool cpu_{1};
  Capabilities caps_;
  std::vector<TopicFamily> topics_;  // every capability's, in order
  // Used by the liveness sweep (citizens' pages and consoles), owned by caps_.
  staff::StaffService* staff_ = nullptr;
  std::unique_ptr<mail::MailSender> mail_;
  std::unique_ptr<WsHub> hub_;
  std::unique_ptr<HttpServer> server_;
  // PostgreSQL: WebRTC signalling to and from the other nodes (declared after hub_: it stops
  // first, and the hub it calls outlives it).
  std::unique_ptr<SignalBus> signalBus_;
  std::mutex originsMu_;
  // embedding origin → the enti (slugs) that list it. GUARDED_BY(originsMu_)
  std::map<std::string, std::vector<std::string>, std::less<>> embedOrigins_;
  // slug → frame-ancestors sources for that ente's pages. GUARDED_BY(originsMu_)
  std::map<std::string, std::string, std::less<>> frameAncestors_;
  std::chrono::steady_clock::time_point started_;
  ManualClock* manualClock_ = nullptr;  // with clock_control
  int64_t startedAtMs_ = 0;             // on the injected clock: the sweep waits a grace
};

}  // namespace sportello::app
