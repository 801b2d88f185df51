// Service tests through the capabilities' public functions (no HTTP): per test a copy of the
// demo database (test_database.h, TestDatabase::copyOf: SQLite, and PostgreSQL when
// $SPORTELLO_TEST_PG is set) — migrated and loaded with the demo Comune ("esempio", with
// "collina") through app::loadDemo and the staff service once per build of the product code
// (shared by every service test program), then copied — and every capability built on it as the app builds them (app::capabilities(),
// so the presence hooks and the commit hooks are the real ones). The clock is a ManualClock
// the test moves.
//
// Services are coroutines: run(aw) runs one to completion on a private io_context.
#pragma once

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <optional>

#include "app/app.h"
#include "app/demo.h"
#include "core/config.h"
#include "core/token.h"
#include "platform/capability.h"
#include "queue/checkin.h"
#include "staff/capability.h"
#include "test_database.h"

namespace sportello::unit {

namespace asio = boost::asio;

namespace detail {
template <class T>
asio::awaitable<void> into(asio::awaitable<T> aw, std::optional<T>& out) {
  out.emplace(co_await std::move(aw));
}
}  // namespace detail

// Runs one service coroutine to completion on its own io_context and returns its result
// (an exception escaping it is rethrown here).
template <class T>
T run(asio::awaitable<T> aw) {
  asio::io_context ioc;
  std::optional<T> out;
  std::exception_ptr failed;
  asio::co_spawn(ioc, detail::into<T>(std::move(aw), out),
                 [&failed](std::exception_ptr e) { failed = e; });
  ioc.run();
  if (failed) std::rethrow_exception(failed);
  return std::move(*out);
}

// Runs several service coroutines of one type at once, on one io_context with `threads`
// threads, and returns their results in the given order.
template <class T>
std::vector<T> runTogether(std::vector<asio::awaitable<T>> aws, int threads = 2) {
  asio::io_context ioc(threads);
  std::vector<std::optional<T>> outs(aws.size());
  std::exception_ptr failed;
  std::mutex mu;
  for (size_t i = 0; i < aws.size(); ++i) {
    asio::co_spawn(ioc, detail::into<T>(std::move(aws[i]), outs[i]),
                   [&failed, &mu](std::exception_ptr e) {
                     std::lock_guard lk(mu);
                     if (e && !failed) failed = e;
                   });
  }
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  if (failed) std::rethrow_exception(failed);
  std::vector<T> out;
  for (auto& o : outs) out.push_back(std::move(*o));
  return out;
}

// The capabilities of one node, built on a Database as the app builds them.
class Node {
 public:
  Node(Database& db, const Clock& clock, const Config& cfg) : db_(db) {
    Wiring wiring{db, clock, cfg, cpu_, caps_};
    for (const auto& c : app::capabilities()) caps_.add(c.make(wiring));
    db.setCommitListener([this](const std::vector<Event>& events) {
      for (const auto& c : caps_) c->committed(events);
    });
  }
  ~Node() {
    db_.setCommitListener(nullptr);
    cpu_.join();
  }
  template <class C>
  auto& service() {
    return caps_.get<C>().service;
  }

 private:
  Database& db_;
  asio::thread_pool cpu_{1};
  Capabilities caps_;
};

// The demo's logins (src/app/demo.cc).
inline constexpr const char* kOperator = "operatore";  // Giulia Rossi: urp, anagrafe
inline constexpr const char* kOperatorPassword = "operatore-demo-2026";
inline constexpr const char* kSupervisor = "supervisore";  // urp, anagrafe, tributi, …
inline constexpr const char* kSupervisorPassword = "supervisore-demo-2026";
inline constexpr const char* kAdmin = "admin";
inline constexpr const char* kAdminPassword = "admin-demo-2026";

class ServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Monday 23 November 2026, 10:00 in Rome: every demo office of the morning is open.
  static constexpr const char* kStart = "2026-11-23T09:00:00Z";

  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);  // no line per migration and login
    SP_ASSERT_OK_AND_ASSIGN(
        tdb_, TestDatabase::copyOf(GetParam(), clock_, kTemplate + buildKey(), fillDemo));
    node_ = std::make_unique<Node>(db(), clock_, cfg_);
    // The copy holds the demo: loading it again finds it there and changes nothing.
    auto demo = app::loadDemo(db(), staff());
    ASSERT_TRUE(demo.ok()) << demo.error().message;
    ASSERT_FALSE(demo->loaded);
  }

  // The demo template's name, before the build's key: change the version when fillDemo (or
  // kStart) changes, since the library it is keyed on does not.
  static constexpr const char* kTemplate = "demo_v1_";
  // What the template holds: every migration and the demo, loaded at kStart with a default
  // config (what SetUp used to do on each test's fresh database).
  static Status fillDemo(Database& db) {
    SP_TRY(db.migrate(app::allMigrations()));
    ManualClock clock{at(kStart)};
    Config cfg;
    Node node(db, clock, cfg);
    SP_ASSIGN(auto demo, app::loadDemo(db, node.service<staff::StaffCapability>()));
    if (!demo.loaded) return makeError(Errc::kInternal, "the demo was not loaded");
    return okStatus();
  }
  void TearDown() override {
    node_.reset();
    tdb_.reset();
  }

  Database& db() { return tdb_->db(); }
  template <class C>
  auto& service() {
    return node_->service<C>();
  }
  staff::StaffService& staff() { return service<staff::StaffCapability>(); }

  // Signs in a demo operator of "esempio" (from a documentation address) and returns the
  // session.
  staff::StaffService::Login login(const std::string& username, const std::string& password) {
    auto r = run(staff().login("esempio", username, password, "192.0.2.10", ""));
    EXPECT_TRUE(r.ok()) << username << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(r).value() : staff::StaffService::Login{};
  }

  // One value read on a reader connection (row 0, column 0 as an integer).
  int64_t count(const std::string& sql, std::vector<sql::Value> params = {}) {
    auto r = db().readSync<int64_t>([&](sql::Connection& c) -> Result<int64_t> {
      SP_ASSIGN(auto row, c.one(sql, params));
      return row.i64(0);
    });
    EXPECT_TRUE(r.ok()) << sql << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : -1;
  }
  std::string text(const std::string& sql, std::vector<sql::Value> params = {}) {
    auto r = db().readSync<std::string>([&](sql::Connection& c) -> Result<std::string> {
      SP_ASSIGN(auto row, c.one(sql, params));
      return row.str(0);
    });
    EXPECT_TRUE(r.ok()) << sql << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : std::string();
  }

  // Ids of the demo's records, by what a person calls them.
  std::string enteId(const std::string& slug = "esempio") {
    return text("SELECT id FROM enti WHERE slug = ?", {slug});
  }
  std::string officeId(const std::string& slug) {
    return text("SELECT id FROM offices WHERE ente_id = ? AND slug = ?", {enteId(), slug});
  }
  std::string serviceId(const std::string& prefix) {
    return text("SELECT id FROM services WHERE ente_id = ? AND prefix = ?", {enteId(), prefix});
  }
  std::string siteId(const std::string& name = "Palazzo municipale") {
    return text("SELECT id FROM sites WHERE ente_id = ? AND name = ?", {enteId(), name});
  }
  std::string counterId(const std::string& name) {
    return text("SELECT id FROM queue_counters WHERE ente_id = ? AND name = ?", {enteId(), name});
  }

  // A paper ticket from the town hall's machine for the service with that letter, now. Made
  // the way the queue makes every ticket (queue::numberAndStore, queue/checkin.h), without the
  // HTTP request QueueService::issue authorises.
  queue::StoredTicket machineTicket(const std::string& prefix,
                                    queue::PriorityReason priority = queue::PriorityReason::kNone) {
    queue::StoredTicket t;
    t.id = newId();
    t.tokenHash = sha256Hex(newSecret());
    t.enteId = enteId();
    t.siteId = siteId();
    t.serviceId = serviceId(prefix);
    t.serviceName = text("SELECT name FROM services WHERE id = ?", {t.serviceId});
    t.servicePrefix = prefix;
    t.numberedBy = t.serviceId;
    t.source = "machine";
    t.lang = "it";
    t.priority = priority;
    t.issuedAt = clock_.nowMs();
    auto r = db().writeSync<queue::StoredTicket>([&](Tx& tx) -> Result<queue::StoredTicket> {
      queue::StoredTicket out = t;
      SP_TRY(queue::numberAndStore(tx, out, date::locate_zone("Europe/Rome"), "machine"));
      return out;
    });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : t;
  }

  // An appointment that checked in (booking's "arrived"): a priority appointment ticket.
  queue::StoredTicket appointmentTicket(const std::string& prefix, SysMillis appointmentAt) {
    std::string ente = enteId(), site = siteId(), service = serviceId(prefix);
    int64_t when = appointmentAt.time_since_epoch().count();
    auto r = db().writeSync<queue::StoredTicket>(
        [&](Tx& tx) { return queue::issueAppointmentTicket(tx, ente, site, service, when, "it"); });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : queue::StoredTicket{};
  }

  ManualClock clock_{at(kStart)};
  Config cfg_;
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Node> node_;
};

}  // namespace sportello::unit
