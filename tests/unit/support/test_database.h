// The one fixture of the store and service suites: a fresh database per test on SQLite (a
// temporary file) and, when $SPORTELLO_TEST_PG is set, on PostgreSQL too (a fresh schema of that
// database, dropped afterwards), driven by a ManualClock. `make test` (tests/run_all.sh) starts a
// throwaway PostgreSQL with tests/tools/pg_tmp.sh and exports the variable to ctest; without it
// only the SQLite instances exist (none is skipped).
//
// Header-only, so a test folder needs nothing but its *_test.cc files (CMakeLists.txt,
// sp_unit_test). Include it as "../support/test_database.h" from tests/unit/<folder>/.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "platform/database.h"
#include "platform/sql/sql.h"

// ASSERT_OK(expr): the Result or Status is ok, else the test stops with its message.
#define SP_ASSERT_OK(expr)                                             \
  do {                                                                 \
    const auto& sp_r_ = (expr);                                        \
    ASSERT_TRUE(sp_r_.ok()) << #expr << ": " << sp_r_.error().message; \
  } while (0)
// SP_ASSERT_OK_AND_ASSIGN(auto x, expr): binds the value, else the test stops with the message.
#define SP_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  SP_ASSERT_OK_AND_ASSIGN_IMPL(SP_CONCAT(sp_t_, __LINE__), lhs, expr)
#define SP_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)             \
  auto tmp = (expr);                                             \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.error().message; \
  lhs = std::move(tmp).value()

namespace sportello::unit {

enum class Backend { kSqlite, kPostgres };

inline std::string backendName(Backend b) {
  return b == Backend::kSqlite ? "sqlite" : "postgres";
}

// Found by ADL: failure messages and test names say "sqlite" / "postgres".
inline void PrintTo(Backend b, std::ostream* os) {
  *os << backendName(b);
}

// $SPORTELLO_TEST_PG (a libpq URL of a database the tests may create schemas in), or null.
inline const char* pgUrl() {
  const char* url = std::getenv("SPORTELLO_TEST_PG");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

// The backends this run can test: SQLite always, PostgreSQL when $SPORTELLO_TEST_PG is set.
inline std::vector<Backend> backends() {
  std::vector<Backend> out{Backend::kSqlite};
  if (pgUrl() != nullptr) out.push_back(Backend::kPostgres);
  return out;
}

// PostgreSQL alone (tests of several nodes on one database), when $SPORTELLO_TEST_PG is set.
inline std::vector<Backend> postgresOnly() {
  if (pgUrl() == nullptr) return {};
  return {Backend::kPostgres};
}

// For INSTANTIATE_TEST_SUITE_P(Backends, X, ::testing::ValuesIn(backends()), backendParamName).
inline std::string backendParamName(const ::testing::TestParamInfo<Backend>& info) {
  return backendName(info.param);
}

// Adds "search_path=<schema>" to a libpq URI or key=value string, so that every connection
// opened with the result (the writer, the readers, the event bus, a reconnect) works inside it;
// and synchronous_commit=off: a commit does not wait for its WAL flush (a test database need not
// survive a crash), which makes the ~30 migrations of every test several times faster.
inline std::string withSearchPath(const std::string& base, const std::string& schema) {
  if (base.rfind("postgres", 0) == 0 && base.find("://") != std::string::npos) {
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema + "%20-csynchronous_commit%3Doff";
  }
  return base + " options='-csearch_path=" + schema + " -csynchronous_commit=off'";
}

// A fresh, empty database (no migration applied) and the Database opened on it. Destroying it
// closes the Database and removes the file or drops the schema; Databases opened with
// openNode() must be destroyed first.
class TestDatabase {
 public:
  static Result<std::unique_ptr<TestDatabase>> create(Backend backend, const Clock& clock,
                                                      int readers = 2) {
    std::unique_ptr<TestDatabase> t(new TestDatabase(backend));
    if (backend == Backend::kSqlite) {
      char tmpl[] = "/tmp/sportello_unit_XXXXXX";
      if (mkdtemp(tmpl) == nullptr) return makeError(Errc::kInternal, "mkdtemp failed");
      t->dir_ = tmpl;
      t->url_ = "sqlite:" + t->dir_ + "/test.db";
    } else {
      if (pgUrl() == nullptr) return makeError(Errc::kInvalid, "SPORTELLO_TEST_PG is not set");
      SP_ASSIGN(t->admin_, sql::openPostgres(pgUrl()));
      SP_TRY(t->admin_->execScript("SET synchronous_commit = off"));
      static std::atomic<int> counter{0};
      t->schema_ = "sp_unit_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
      SP_TRY(t->admin_->execScript("DROP SCHEMA IF EXISTS " + t->schema_ +
                                   " CASCADE; CREATE SCHEMA " + t->schema_));
      t->url_ = withSearchPath(pgUrl(), t->schema_);
    }
    t->readers_ = readers;
    SP_ASSIGN(t->db_, t->openNode(clock));
    return t;
  }

  ~TestDatabase() {
    db_.reset();
    if (admin_) (void)admin_->execScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& db() { return *db_; }
  Backend backend() const { return backend_; }
  const std::string& url() const { return url_; }

  // Another Database on the same data: with PostgreSQL, a second node of one installation (its
  // own writer, readers and event bus).
  Result<std::unique_ptr<Database>> openNode(const Clock& clock) const {
    DatabaseOptions o;
    o.url = url_;
    o.readers = readers_;
    o.sqliteSynchronousFull = false;  // a test database need not survive a power cut
    return Database::open(o, clock);
  }

 private:
  explicit TestDatabase(Backend b) : backend_(b) {}

  Backend backend_;
  int readers_ = 2;
  std::string dir_;     // SQLite: the temporary directory holding the file
  std::string schema_;  // PostgreSQL: the schema made for this test
  std::string url_;
  std::unique_ptr<sql::Connection> admin_;  // PostgreSQL: creates and drops the schema
  std::unique_ptr<Database> db_;
};

// A ManualClock starting at `iso` ("2026-11-23T09:00:00Z").
inline SysMillis at(std::string_view iso) {
  auto t = parseIso(iso);
  if (!t.ok()) throw std::invalid_argument("bad instant in a test: " + std::string(iso));
  return t.value();
}

}  // namespace sportello::unit
