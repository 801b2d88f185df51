// The PostgreSQL signalling bus between two nodes of one database: what one node publishes
// reaches the other exactly once and in order, whether it fits a NOTIFY payload or goes through
// the relay table, and a node never hears its own messages. PostgreSQL only (SQLite serves one
// node and has no bus): instantiated when $SPORTELLO_TEST_PG is set, as tests/run_all.sh does.
#include "platform/pg_signal_bus.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "../../support/test_database.h"

namespace sportello::unit {
namespace {

// What a bus received, with a wait for the n-th message.
struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> got;

  SignalBus::Receiver receiver() {
    return [this](std::string m) {
      std::lock_guard lk(mu);
      got.push_back(std::move(m));
      cv.notify_all();
    };
  }
  bool waitFor(size_t n) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, std::chrono::seconds(10), [&] { return got.size() >= n; });
  }
  std::vector<std::string> all() {
    std::lock_guard lk(mu);
    return got;
  }
};

class PgSignalBusTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto t = TestDatabase::create(GetParam(), clock_, 1);
    ASSERT_TRUE(t.ok()) << t.error().message;
    tdb_ = std::move(t.value());
    auto m = tdb_->db().migrate({signalRelayMigration()});
    ASSERT_TRUE(m.ok()) << m.error().message;
  }
  void TearDown() override { tdb_.reset(); }

  int64_t relayRows() {
    auto n = tdb_->db().readSync<int64_t>([](sql::Connection& c) -> Result<int64_t> {
      SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM signal_relay", {}));
      return row.i64(0);
    });
    return n.ok() ? n.value() : -1;
  }

  ManualClock clock_{at("2026-11-25T14:30:00Z")};
  std::unique_ptr<TestDatabase> tdb_;
};

TEST_P(PgSignalBusTest, MessagesOfAnySizeReachTheOtherNodeOnceAndInOrder) {
  Inbox one, two;
  auto a = openPgSignalBus(tdb_->url(), "node-a");
  auto b = openPgSignalBus(tdb_->url(), "node-b");
  a->start(one.receiver());
  b->start(two.receiver());

  // Candidates trickling, and every tenth an SDP-sized message over the NOTIFY payload limit.
  std::vector<std::string> sent;
  for (int i = 0; i < 100; ++i) {
    std::string m = "{\"n\":" + std::to_string(i) + "}";
    if (i % 10 == 5) m += std::string(kSignalInlineBytes + 3000 + i, 'x');
    if (i == 99) m += std::string(kSignalInlineBytes - m.size(), 'y');  // the longest inline one
    sent.push_back(m);
    a->publish(m);
  }
  ASSERT_TRUE(two.waitFor(sent.size())) << "received " << two.all().size();
  EXPECT_EQ(two.all(), sent);
  EXPECT_EQ(relayRows(), 10) << "the ten long ones went through the table";

  // B answers; A hears only that (its own hundred came back to it first, and were skipped).
  b->publish("from b");
  ASSERT_TRUE(one.waitFor(1));
  a.reset();  // stops A's thread: nothing more can arrive
  EXPECT_EQ(one.all(), std::vector<std::string>{"from b"});
  EXPECT_EQ(two.all().size(), sent.size()) << "B did not hear its own message";
}

TEST_P(PgSignalBusTest, WhatIsPublishedBeforeStartIsSentOnceStarted) {
  Inbox two;
  auto a = openPgSignalBus(tdb_->url(), "node-a");
  auto b = openPgSignalBus(tdb_->url(), "node-b");
  a->publish("early");  // queued: A's thread is not running yet
  b->start(two.receiver());
  Inbox one;
  a->start(one.receiver());
  ASSERT_TRUE(two.waitFor(1));
  EXPECT_EQ(two.all(), std::vector<std::string>{"early"});
}

TEST_P(PgSignalBusTest, RelayedRowsOlderThanAMinuteAreDeleted) {
  auto insert = [&](const char* age) {
    auto r = tdb_->db().writeSync<bool>([age](Tx& tx) -> Result<bool> {
      SP_TRY(tx.conn().exec(std::string("INSERT INTO signal_relay(node, body, created_at) "
                                        "VALUES ('gone', 'x', now() - interval '") +
                                age + "')",
                            {}));
      return true;
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
  };
  insert("2 minutes");
  insert("10 seconds");
  Inbox one;
  auto a = openPgSignalBus(tdb_->url(), "node-a");
  a->start(one.receiver());  // purges at once, then every 10 s
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (relayRows() != 1 && std::chrono::steady_clock::now() < deadline) {
    // Polled with a deadline: the purge runs on the bus's own thread.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(relayRows(), 1) << "the old row is deleted, the recent one kept";
}

// Two installations in two schemas of one database (or two test runs at once, as ctest -j
// does): NOTIFY is database-wide, so each schema has its own channel and neither hears the other.
TEST_P(PgSignalBusTest, AnotherSchemaOfTheSameDatabaseHearsNothing) {
  auto other = TestDatabase::create(GetParam(), clock_, 1);
  ASSERT_TRUE(other.ok()) << other.error().message;
  ASSERT_TRUE(other.value()->db().migrate({signalRelayMigration()}).ok());
  Inbox here, there, mine;
  auto a = openPgSignalBus(tdb_->url(), "node-a");
  auto b = openPgSignalBus(tdb_->url(), "node-b");
  auto elsewhere = openPgSignalBus(other.value()->url(), "node-b");  // same node name, on purpose
  b->start(here.receiver());
  elsewhere->start(there.receiver());
  a->start(mine.receiver());
  a->publish("short");
  a->publish(std::string(kSignalInlineBytes + 100, 'z'));  // through this schema's relay table
  ASSERT_TRUE(here.waitFor(2));
  // The other schema's bus got nothing: a message it would have heard was published before
  // b heard both, and it answers its own schema's traffic (checked by a message of its own).
  auto sink = openPgSignalBus(other.value()->url(), "node-c");
  Inbox sinkBox;
  sink->start(sinkBox.receiver());
  elsewhere->publish("own schema");
  ASSERT_TRUE(sinkBox.waitFor(1));
  EXPECT_TRUE(there.all().empty()) << "heard " << there.all().size() << " from another schema";
  EXPECT_EQ(here.all().size(), 2u);
}

TEST(SignalChannel, OnePerSchemaWithinPostgresNameLimit) {
  EXPECT_EQ(signalChannel("public"), "sportello_signals");
  EXPECT_EQ(signalChannel(""), "sportello_signals");
  EXPECT_EQ(signalChannel("comune_b"), "sportello_signals:comune_b");
  std::string longName(63, 's');
  std::string c = signalChannel(longName);
  EXPECT_LE(c.size(), 63u);
  EXPECT_NE(c, signalChannel(std::string(62, 's') + "t"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PgSignalBusTest, ::testing::ValuesIn(postgresOnly()),
                         backendParamName);
// Without $SPORTELLO_TEST_PG there is no second node to test (it is not a skipped test: it is
// not instantiated).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PgSignalBusTest);

}  // namespace
}  // namespace sportello::unit
