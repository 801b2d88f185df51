#include "platform/ratelimit.h"

#include <gtest/gtest.h>

#include "../../support/test_database.h"

namespace sportello::ratelimit {
namespace {

constexpr int64_t kHour = 3'600'000;

TEST(RateLimitWindowTest, WindowStartIsAlignedAndFloorsNegatives) {
  EXPECT_EQ(windowStart(7'200'000 + 5, kHour), 7'200'000);
  EXPECT_EQ(windowStart(7'200'000, kHour), 7'200'000);
  EXPECT_EQ(windowStart(-1, kHour), -kHour);
}

TEST(RateLimitWindowTest, PreviousWindowWeighsByTheShareStillInside) {
  int64_t ws = 10 * kHour;
  // At the start of a window the previous one counts whole, at its middle half.
  EXPECT_EQ(currentCapacity(10, 10, kHour, ws), 0);
  EXPECT_EQ(currentCapacity(10, 10, kHour, ws + kHour / 2), 5);
  EXPECT_EQ(currentCapacity(0, 10, kHour, ws), 10);
  EXPECT_EQ(currentCapacity(3, 10, kHour, ws + kHour - 1), 9);  // 3·(1/3.6M) still counts
}

TEST(RateLimitWindowTest, WaitIsZeroWhileUnitsFit) {
  int64_t now = 10 * kHour + 1000;
  EXPECT_EQ(waitMs(0, 0, 1, 5, kHour, now), 0);
  EXPECT_EQ(waitMs(0, 4, 1, 5, kHour, now), 0);
  EXPECT_EQ(waitMs(0, 0, 5, 5, kHour, now), 0);
  EXPECT_EQ(waitMs(100, 100, 1, 0, kHour, now), 0);  // limit 0: no limit
}

TEST(RateLimitWindowTest, FullCurrentWindowWaitsForTheNextAndItsDecay) {
  int64_t ws = 10 * kHour;
  // 5 of 5 used, a quarter into the window: the next window starts in 45 min, and there the
  // 5 previous units must decay to 4 (a fifth of the window) before one more fits.
  int64_t w = waitMs(0, 5, 1, 5, kHour, ws + kHour / 4);
  EXPECT_EQ(w, 3 * kHour / 4 + kHour / 5);
  // And after that wait, one unit does fit.
  int64_t later = ws + kHour / 4 + w;
  EXPECT_EQ(waitMs(5, 0, 1, 5, kHour, later), 0);
  EXPECT_GT(waitMs(5, 0, 1, 5, kHour, later - 1), 0);
}

TEST(RateLimitWindowTest, FullPreviousWindowWaitsForItsDecayOnly) {
  int64_t ws = 10 * kHour;
  // 10 of 10 in the previous window, none in this one, at its start: one unit fits once the
  // previous weighs 9, i.e. after a tenth of the window.
  EXPECT_EQ(waitMs(10, 0, 1, 10, kHour, ws), kHour / 10);
  EXPECT_EQ(waitMs(10, 0, 1, 10, kHour, ws + kHour / 10), 0);
}

TEST(RateLimitWindowTest, CostOverTheLimitNeverFits) {
  EXPECT_GT(waitMs(0, 0, 6, 5, kHour, kHour), 0);
}

TEST(RateLimitBackoffTest, DelaysDoubleAfterTheFreeFailuresUpToTheCap) {
  Backoff b{"t", 3, 1000, 900'000, 86'400'000};
  EXPECT_EQ(backoffDelayMs(0, b), 0);
  EXPECT_EQ(backoffDelayMs(2, b), 0);
  EXPECT_EQ(backoffDelayMs(3, b), 1000);
  EXPECT_EQ(backoffDelayMs(4, b), 2000);
  EXPECT_EQ(backoffDelayMs(5, b), 4000);
  EXPECT_EQ(backoffDelayMs(12, b), 512'000);
  EXPECT_EQ(backoffDelayMs(13, b), 900'000);
  EXPECT_EQ(backoffDelayMs(1000, b), 900'000);
}

TEST(RateLimitTextTest, WaitsAreSaidInItalian) {
  EXPECT_EQ(waitText(1), "1 secondo");
  EXPECT_EQ(waitText(4000), "4 secondi");
  EXPECT_EQ(waitText(61'000), "2 minuti");
  EXPECT_EQ(waitText(60'000), "1 minuto");
  EXPECT_EQ(waitText(2 * kHour), "2 ore");
  Error e = tooMany("Troppi messaggi.", 1500);
  EXPECT_EQ(e.code, Errc::kTooManyRequests);
  EXPECT_EQ(e.retryAfterSeconds, 2);
  EXPECT_EQ(e.message, "Troppi messaggi. Riprova tra 2 secondi.");
}

// The store functions on a real database from the shared fixture
// (tests/unit/support/test_database.h): SQLite, and PostgreSQL when $SPORTELLO_TEST_PG is set
// (limits.test.mjs runs them through the server too).
class RateLimitStoreTest : public ::testing::TestWithParam<unit::Backend> {
 protected:
  void SetUp() override {
    auto t = unit::TestDatabase::create(GetParam(), clock_, 1);
    ASSERT_TRUE(t.ok()) << t.error().message;
    tdb_ = std::move(t.value());
    db_ = &tdb_->db();
    auto m = db_->migrate({migration()});
    ASSERT_TRUE(m.ok()) << m.error().message;
  }
  void TearDown() override { tdb_.reset(); }
  int64_t take(const Rule& r, const std::string& subject, int64_t cost = 1) {
    auto w = db_->writeSync<int64_t>([&](Tx& tx) { return ratelimit::take(tx, r, subject, cost); });
    EXPECT_TRUE(w.ok());
    return w.ok() ? w.value() : -1;
  }
  int64_t rows() {
    auto n = db_->readSync<int64_t>([](sql::Connection& c) -> Result<int64_t> {
      SP_ASSIGN(auto row, c.one("SELECT COUNT(*) FROM rate_limits", {}));
      return row.i64(0);
    });
    return n.ok() ? n.value() : -1;
  }

  ManualClock clock_{SysMillis(std::chrono::milliseconds(100 * kHour + 1000))};
  std::unique_ptr<unit::TestDatabase> tdb_;
  Database* db_ = nullptr;
};

TEST_P(RateLimitStoreTest, CountsUpToTheLimitThenRefusesWithoutCounting) {
  Rule r{"test.address", 3, kHour};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(take(r, "203.0.113.7"), 0);
  int64_t wait = take(r, "203.0.113.7");
  EXPECT_GT(wait, 0);
  EXPECT_EQ(take(r, "198.51.100.1"), 0);    // another subject has its own count
  EXPECT_EQ(take(r, "203.0.113.7"), wait);  // the refusal counted nothing
  clock_.advance(std::chrono::milliseconds(wait));
  EXPECT_EQ(take(r, "203.0.113.7"), 0);
  EXPECT_GT(take(r, "203.0.113.7"), 0);
}

TEST_P(RateLimitStoreTest, CostsAndGiveBack) {
  Rule r{"test.bytes", 100, kHour};
  EXPECT_EQ(take(r, "k", 60), 0);
  EXPECT_GT(take(r, "k", 50), 0);
  EXPECT_EQ(take(r, "k", 40), 0);
  int64_t at = clock_.nowMs();
  auto g = db_->writeSync<bool>([&](Tx& tx) -> Result<bool> {
    SP_TRY(giveBack(tx, r, "k", at, 40));
    return true;
  });
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(take(r, "k", 40), 0);
  auto peeked = db_->readSync<int64_t>(
      [&](sql::Connection& c) { return peek(c, r, "k", 1, clock_.nowMs()); });
  ASSERT_TRUE(peeked.ok());
  EXPECT_GT(peeked.value(), 0);
}

TEST_P(RateLimitStoreTest, TheSlidingWindowRemembersThePreviousWindow) {
  Rule r{"test.sliding", 10, kHour};
  for (int i = 0; i < 10; ++i) ASSERT_EQ(take(r, "k"), 0);
  // Just into the next fixed window the previous ten still count (a fixed window would
  // allow ten more at once).
  clock_.set(SysMillis(std::chrono::milliseconds(101 * kHour)));
  EXPECT_EQ(take(r, "k"), kHour / 10);
  clock_.advance(std::chrono::milliseconds(kHour / 2));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(take(r, "k"), 0);
  EXPECT_GT(take(r, "k"), 0);
}

TEST_P(RateLimitStoreTest, BackoffDelaysAfterTheFreeFailuresAndResets) {
  Backoff b{"test.login", 3, 1000, 900'000, 86'400'000};
  auto attempt = [&] {
    auto w = db_->writeSync<int64_t>([&](Tx& tx) { return ratelimit::attempt(tx, b, "acct"); });
    EXPECT_TRUE(w.ok());
    return w.ok() ? w.value() : -1;
  };
  EXPECT_EQ(attempt(), 0);
  // Another node whose clock is a little behind still grants the free attempts.
  clock_.advance(std::chrono::milliseconds(-500));
  EXPECT_EQ(attempt(), 0);
  clock_.advance(std::chrono::milliseconds(500));
  EXPECT_EQ(attempt(), 0);
  EXPECT_EQ(attempt(), 1000);  // after 3 failures: wait 1 s
  EXPECT_EQ(attempt(), 1000);  // refused attempts count nothing
  clock_.advance(std::chrono::milliseconds(1000));
  EXPECT_EQ(attempt(), 0);
  EXPECT_EQ(attempt(), 2000);  // then 2 s
  clock_.advance(std::chrono::milliseconds(2000));
  EXPECT_EQ(attempt(), 0);
  EXPECT_EQ(attempt(), 4000);
  auto other = db_->readSync<int64_t>(
      [&](sql::Connection& c) { return backoffWait(c, b, "other", clock_.nowMs()); });
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.value(), 0);
  auto r = db_->writeSync<bool>([&](Tx& tx) -> Result<bool> {
    SP_TRY(reset(tx, b, "acct"));
    return true;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(attempt(), 0);
  // Forgotten a day after the last failure.
  for (int i = 0; i < 2; ++i) EXPECT_EQ(attempt(), 0);
  EXPECT_GT(attempt(), 0);
  clock_.advance(std::chrono::hours(24));
  EXPECT_EQ(attempt(), 0);
}

TEST_P(RateLimitStoreTest, PurgeDeletesOnlyRowsNoLimitNeeds) {
  Rule r{"test.purge", 5, kHour};
  EXPECT_EQ(take(r, "a"), 0);
  clock_.advance(std::chrono::hours(1));
  EXPECT_EQ(take(r, "b"), 0);
  auto purged = [&] {
    auto n = db_->writeSync<int64_t>([](Tx& tx) { return purge(tx); });
    return n.ok() ? n.value() : -1;
  };
  EXPECT_EQ(purged(), 0);  // "a" is the previous window of the sliding one: still needed
  clock_.advance(std::chrono::hours(1));
  EXPECT_EQ(purged(), 1);
  EXPECT_EQ(rows(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, RateLimitStoreTest, ::testing::ValuesIn(unit::backends()),
                         unit::backendParamName);

}  // namespace
}  // namespace sportello::ratelimit
