// The single writer's group commit: a job that lost a transaction conflict (PostgreSQL broke a
// deadlock with another node's transaction) runs again in the next group, and only its last
// outcome reaches the caller. The real deadlock between two nodes is exercised by
// tests/integration/line.test.mjs ("two desks on two nodes…") on PostgreSQL.
#include "platform/database.h"

#include <gtest/gtest.h>

#include "../../support/test_database.h"

namespace sportello {
namespace {

Error conflict() {
  Error e(Errc::kUnavailable, "transaction conflict (deadlock detected); retry the transaction");
  e.transactionConflict = true;
  return e;
}

// A fresh database per test from the shared fixture (tests/unit/support/test_database.h): a
// temporary SQLite file, and a fresh PostgreSQL schema when $SPORTELLO_TEST_PG is set.
class DatabaseRetryTest : public ::testing::TestWithParam<unit::Backend> {
 protected:
  void SetUp() override {
    auto t = unit::TestDatabase::create(GetParam(), clock_, 1);
    ASSERT_TRUE(t.ok()) << t.error().message;
    tdb_ = std::move(t.value());
    db_ = &tdb_->db();
    auto made = db_->writeSync<bool>([](Tx& tx) -> Result<bool> {
      SP_TRY(tx.conn().exec("CREATE TABLE t (v INTEGER)", {}));
      return true;
    });
    ASSERT_TRUE(made.ok()) << made.error().message;
  }
  void TearDown() override { tdb_.reset(); }
  int64_t rows() {
    auto n = db_->readSync<int64_t>([](sql::Connection& c) -> Result<int64_t> {
      SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM t", {}));
      return row.i64(0);
    });
    return n.ok() ? n.value() : -1;
  }

  ManualClock clock_{SysMillis(std::chrono::milliseconds(1'000'000))};
  std::unique_ptr<unit::TestDatabase> tdb_;
  Database* db_ = nullptr;
};

TEST_P(DatabaseRetryTest, AJobThatLostAConflictRunsAgainAndItsFirstTryLeavesNothing) {
  int runs = 0;
  auto r = db_->writeSync<int>([&](Tx& tx) -> Result<int> {
    ++runs;
    SP_TRY(tx.conn().exec("INSERT INTO t(v) VALUES (?)", {int64_t{runs}}));
    if (runs < 3) return conflict();  // the insert above is rolled back with the job
    return runs;
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value(), 3);
  EXPECT_EQ(rows(), 1);
  EXPECT_EQ(db_->stats().retries, 2u);
}

TEST_P(DatabaseRetryTest, AJobThatKeepsLosingGetsTheConflictAfterTheLastAttempt) {
  int runs = 0;
  auto r = db_->writeSync<int>([&](Tx& tx) -> Result<int> {
    ++runs;
    SP_TRY(tx.conn().exec("INSERT INTO t(v) VALUES (1)", {}));
    return conflict();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().transactionConflict);
  EXPECT_EQ(runs, Database::kMaxAttempts);
  EXPECT_EQ(rows(), 0);
}

TEST_P(DatabaseRetryTest, AnOrdinaryErrorIsNotRetried) {
  int runs = 0;
  auto r = db_->writeSync<int>([&](Tx&) -> Result<int> {
    ++runs;
    return makeError(Errc::kConflict, "già preso");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(db_->stats().retries, 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseRetryTest, ::testing::ValuesIn(unit::backends()),
                         unit::backendParamName);

}  // namespace
}  // namespace sportello
