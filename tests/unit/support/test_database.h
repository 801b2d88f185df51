// The one fixture of the store and service suites: a fresh database per test on SQLite (a
// temporary file) and, when $SPORTELLO_TEST_PG is set, on PostgreSQL too (a fresh schema of that
// database, dropped afterwards), driven by a ManualClock. `make test` (tests/run_all.sh) starts a
// throwaway PostgreSQL with tests/tools/pg_tmp.sh and exports the variable to ctest; without it
// only the SQLite instances exist (none is skipped).
//
// Header-only, so a test folder needs nothing but its *_test.cc files (CMakeLists.txt,
// sp_unit_test). Include it as "../support/test_database.h" from tests/unit/<folder>/.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
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

// $SPORTELLO_TEST_PG with its database name replaced by `dbname` (a libpq URI or key=value
// string; in the latter a later keyword wins).
inline std::string withDatabase(const std::string& base, const std::string& dbname) {
  if (base.rfind("postgres", 0) == 0 && base.find("://") != std::string::npos) {
    size_t hostStart = base.find("://") + 3;
    size_t q = base.find('?', hostStart);
    std::string head = base.substr(0, q), tail = q == std::string::npos ? "" : base.substr(q);
    size_t slash = head.find('/', hostStart);
    if (slash != std::string::npos) head.resize(slash);
    return head + "/" + dbname + tail;
  }
  return base + " dbname=" + dbname;
}

// Adds synchronous_commit=off to a libpq URL (see withSearchPath).
inline std::string withAsyncCommit(const std::string& base) {
  if (base.rfind("postgres", 0) == 0 && base.find("://") != std::string::npos) {
    return base + (base.find('?') == std::string::npos ? "?" : "&") +
           "options=-csynchronous_commit%3Doff";
  }
  return base + " options='-csynchronous_commit=off'";
}

// An id of the product code a template is built from: the size, mtime and inode of the sp_app
// library the test programs link (SP_APP_LIBRARY, set by CMake), so every test program of one
// build shares a template and a rebuilt library gets a new one; without it, of this program.
inline std::string buildKey() {
  std::error_code ec;
#ifdef SP_APP_LIBRARY
  std::filesystem::path file = SP_APP_LIBRARY;
#else
  std::filesystem::path file = std::filesystem::read_symlink("/proc/self/exe", ec);
#endif
  struct stat st {};
  if (ec || ::stat(file.c_str(), &st) != 0) return "pid" + std::to_string(::getpid());
  uint64_t h = 1469598103934665603ULL;  // FNV-1a over the numbers
  for (uint64_t v : {static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_mtime),
                     static_cast<uint64_t>(st.st_mtim.tv_nsec), static_cast<uint64_t>(st.st_ino)}) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ULL;
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// Holds an exclusive lock on a file of the templates' folder while alive (flock: released when
// the process ends, however it ends). Test programs run in parallel (ctest -j) build a template
// one at a time: the others wait for it instead of building it too.
class TemplateLock {
 public:
  explicit TemplateLock(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / "sportello_unit_templates";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    fd_ = ::open((dir / (name + ".lock")).c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~TemplateLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  TemplateLock(const TemplateLock&) = delete;
  TemplateLock& operator=(const TemplateLock&) = delete;

 private:
  int fd_ = -1;
};

// A fresh, empty database (no migration applied) and the Database opened on it; or (copyOf) a
// copy of a template database built once. Destroying it closes the Database and removes the
// file or drops the schema / database; Databases opened with openNode() must be destroyed first.
class TestDatabase {
 public:
  // Fills an empty database: what the template holds (migrations, demo data).
  using Fill = std::function<Status(Database&)>;

  // A copy of the template `name` (built by `fill` on an empty database the first time any
  // test program asks for it on this machine and backend, then kept): what each service test
  // starts from, instead of ~30 migrations and the demo's password hashes per test. SQLite: a
  // file in $TMPDIR/sportello_unit_templates, copied; PostgreSQL: a database of the server of
  // $SPORTELLO_TEST_PG, each test's copy made with CREATE DATABASE … TEMPLATE (the role needs
  // CREATEDB; pg_tmp.sh's has it). Programs running at once build a template one at a time
  // (TemplateLock), under a temporary name renamed into place when complete, so a copy is never
  // made of a half-built template. `name` must change when what `fill` writes changes
  // (buildKey(), and a version the caller bumps when `fill` itself changes).
  static Result<std::unique_ptr<TestDatabase>> copyOf(Backend backend, const Clock& clock,
                                                      const std::string& name, const Fill& fill,
                                                      int readers = 2) {
    std::unique_ptr<TestDatabase> t(new TestDatabase(backend));
    t->readers_ = readers;
    if (backend == Backend::kSqlite) {
      namespace fs = std::filesystem;
      fs::path dir = fs::temp_directory_path() / "sportello_unit_templates";
      std::error_code ec;
      fs::create_directories(dir, ec);
      fs::path tpl = dir / (name + ".db");
      TemplateLock lock(name + ".sqlite");
      if (!fs::exists(tpl)) {
        SP_ASSIGN(auto fresh, create(backend, clock, readers));
        SP_TRY(fill(fresh->db()));
        fresh->db_.reset();  // the last connection closed: the WAL is checkpointed into the file
        fs::path built = fresh->dir_ + "/test.db";
        fs::path part = dir / (name + ".db." + std::to_string(::getpid()));
        fs::copy_file(built, part, fs::copy_options::overwrite_existing, ec);
        if (ec) return makeError(Errc::kInternal, "template copy: " + ec.message());
        fs::rename(part, tpl, ec);  // atomic: never seen half-written
        if (ec) return makeError(Errc::kInternal, "template rename: " + ec.message());
        // Templates of earlier builds, a day old (another build tree on this machine may still
        // be copying a recent one).
        std::string stem = name.substr(0, name.rfind('_') + 1);
        auto dayAgo = fs::file_time_type::clock::now() - std::chrono::hours(24);
        for (const auto& e : fs::directory_iterator(dir, ec)) {
          std::string f = e.path().filename().string();
          if (f.rfind(stem, 0) == 0 && f.rfind(name, 0) != 0 &&
              fs::last_write_time(e.path(), ec) < dayAgo) {
            fs::remove(e.path(), ec);
          }
        }
      }
      char tmpl[] = "/tmp/sportello_unit_XXXXXX";
      if (mkdtemp(tmpl) == nullptr) return makeError(Errc::kInternal, "mkdtemp failed");
      t->dir_ = tmpl;
      fs::copy_file(tpl, t->dir_ + "/test.db", ec);
      if (ec) return makeError(Errc::kInternal, "copy of the template: " + ec.message());
      t->url_ = "sqlite:" + t->dir_ + "/test.db";
    } else {
      if (pgUrl() == nullptr) return makeError(Errc::kInvalid, "SPORTELLO_TEST_PG is not set");
      SP_ASSIGN(t->admin_, sql::openPostgres(pgUrl()));
      std::string tpl = "sp_tpl_" + name;
      TemplateLock lock(name + ".postgres");
      SP_ASSIGN(auto have, t->admin_->query("SELECT 1 FROM pg_database WHERE datname = ?", {tpl}));
      if (have.empty()) {
        std::string part = tpl + "_" + std::to_string(::getpid());
        SP_TRY(t->admin_->execScript("DROP DATABASE IF EXISTS " + part + " WITH (FORCE)"));
        SP_TRY(t->admin_->execScript("CREATE DATABASE " + part));
        {
          DatabaseOptions o;
          o.url = withAsyncCommit(withDatabase(pgUrl(), part));
          o.readers = 1;
          SP_ASSIGN(auto db, Database::open(o, clock));
          SP_TRY(fill(*db));
        }
        // Renamed into place (it fails when a concurrent builder's is there: ours goes).
        if (!t->admin_->execScript("ALTER DATABASE " + part + " RENAME TO " + tpl).ok()) {
          (void)t->admin_->execScript("DROP DATABASE IF EXISTS " + part + " WITH (FORCE)");
        }
      }
      static std::atomic<int> counter{0};
      t->database_ = "sp_unit_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
      SP_TRY(t->admin_->execScript("DROP DATABASE IF EXISTS " + t->database_ + " WITH (FORCE)"));
      // PostgreSQL waits (up to 5 s) for the template's last connections to go.
      SP_TRY(t->admin_->execScript("CREATE DATABASE " + t->database_ + " TEMPLATE " + tpl));
      t->url_ = withAsyncCommit(withDatabase(pgUrl(), t->database_));
    }
    SP_ASSIGN(t->db_, t->openNode(clock));
    return t;
  }

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
    if (admin_ && !schema_.empty()) {
      (void)admin_->execScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
    if (admin_ && !database_.empty()) {
      (void)admin_->execScript("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    }
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
  std::string schema_;  // PostgreSQL: the schema made for this test (create)
  std::string database_;  // PostgreSQL: the database copied for this test (copyOf)
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
