// SQLite3 driver: one sqlite3 handle per Connection, WAL journal, foreign keys
// on, and a per-connection cache of prepared statements keyed by SQL text so
// hot statements are compiled once. SQLite result codes are translated to Errc
// here and nowhere else.
#include <sqlite3.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

#include "platform/sql/sql.h"

namespace sportello::sql {
namespace {

// Lets the statement cache be searched with a string_view without building a
// std::string.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The one translation from SQLite result codes (extended codes enabled) to
// Errc. `detail` is SQLite's message, which names the constraint's columns but
// never the SQL text or the values.
Error sqliteError(int rc, const std::string& detail) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return makeError(Errc::kConflict,
                       detail);  // e.g. "UNIQUE constraint failed: t.email"
    default:
      break;
  }
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return makeError(Errc::kUnavailable, "database busy: " + detail);
  }
  return makeError(Errc::kInternal, "sqlite: " + detail);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& entry : cache_) sqlite3_finalize(entry.second);
    sqlite3_close_v2(db_);  // rolls back an open transaction
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    SP_TRY(run(sql, params, &rows));
    return rows;
  }

  Result<int64_t> exec(std::string_view sql, const std::vector<Value>& params) override {
    // sqlite3_changes64() keeps the count of the last INSERT/UPDATE/DELETE, so
    // a DDL statement would report a stale figure: only trust it if this
    // statement changed rows.
    const int64_t before = sqlite3_total_changes64(db_);
    SP_TRY(run(sql, params, nullptr));
    if (sqlite3_total_changes64(db_) == before) return int64_t{0};
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status execScript(std::string_view sql) override {
    char* msg = nullptr;
    const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &msg);
    if (rc == SQLITE_OK) return okStatus();
    std::string detail = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    return sqliteError(rc, detail);
  }

  Status begin() override { return run("BEGIN IMMEDIATE", {}, nullptr); }
  Status commit() override { return run("COMMIT", {}, nullptr); }
  Status rollback() override {
    // Some errors (disk full, I/O) end the transaction by themselves; rolling
    // back what is already gone is not a failure.
    if (sqlite3_get_autocommit(db_)) return okStatus();
    return run("ROLLBACK", {}, nullptr);
  }

  size_t cachedStatements() const override { return cache_.size(); }

  // Applies the pragmas every connection needs; called once by openSqlite().
  Status configure(const SqliteOptions& opts) {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, opts.busyTimeoutMs);
    if (!opts.readOnly) {
      SP_ASSIGN(Rows mode, query("PRAGMA journal_mode=WAL", {}));
      const std::string got = mode.empty() ? "" : mode[0].str(0);
      if (got != "wal" && got != "memory") {
        return makeError(Errc::kUnavailable, "cannot enable WAL journal (got '" + got + "')");
      }
    }
    SP_TRY(execScript("PRAGMA foreign_keys=ON"));
    return execScript(opts.synchronousFull ? "PRAGMA synchronous=FULL"
                                           : "PRAGMA synchronous=NORMAL");
  }

 private:
  // A prepared statement borrowed for one call: a cached one is reset and
  // unbound when the call ends, an uncached one (cache full) is finalized.
  class Lease {
   public:
    Lease(sqlite3_stmt* stmt, bool cached) : stmt_(stmt), cached_(cached) {}
    ~Lease() {
      if (cached_) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
      } else {
        sqlite3_finalize(stmt_);
      }
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sqlite3_stmt* get() const { return stmt_; }

   private:
    sqlite3_stmt* stmt_;
    bool cached_;
  };

  // Finds `sql` in the cache or compiles it; *cached says whether the cache now
  // owns it.
  Result<sqlite3_stmt*> prepare(std::string_view sql, bool* cached) {
    if (auto it = cache_.find(sql); it != cache_.end()) {
      *cached = true;
      return it->second;
    }
    *cached = cache_.size() < kStatementCacheCapacity;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      *cached ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
    if (rc != SQLITE_OK) return sqliteError(rc, sqlite3_errmsg(db_));
    if (stmt == nullptr) return makeError(Errc::kInternal, "sqlite: empty statement");
    // A second statement after the first would be silently ignored; refuse it
    // instead.
    const char* end = sql.data() + sql.size();
    if (tail != nullptr && tail < end) {
      sqlite3_stmt* extra = nullptr;
      const int tailRc =
          sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &extra, nullptr);
      if (tailRc != SQLITE_OK || extra != nullptr) {  // only blanks and comments may follow
        sqlite3_finalize(extra);
        sqlite3_finalize(stmt);
        return makeError(Errc::kInternal,
                         "sqlite: one statement per call; use execScript() for several");
      }
    }
    if (*cached) cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  static Status bind(sqlite3_stmt* stmt, const std::vector<Value>& params) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<size_t>(expected) != params.size()) {
      return makeError(Errc::kInternal, "statement takes " + std::to_string(expected) +
                                            " parameters, " + std::to_string(params.size()) +
                                            " given");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int pos = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      // The parameters outlive the statement's use (it is reset before we
      // return), so text can be bound without a copy.
      if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, pos, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, pos, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, pos, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, pos);
      }
      if (rc != SQLITE_OK) return sqliteError(rc, sqlite3_errstr(rc));
    }
    return okStatus();
  }

  static Value column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, c));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, c);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
        const auto n = static_cast<size_t>(sqlite3_column_bytes(stmt, c));
        return p ? std::string(p, n) : std::string();
      }
      default:
        return nullptr;
    }
  }

  // Prepares (or reuses), binds and steps `sql` to completion; rows go to `out`
  // if given.
  Status run(std::string_view sql, const std::vector<Value>& params, Rows* out) {
    bool cached = false;
    SP_ASSIGN(sqlite3_stmt * raw, prepare(sql, &cached));
    Lease stmt(raw, cached);
    SP_TRY(bind(stmt.get(), params));
    for (;;) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) return okStatus();
      if (rc != SQLITE_ROW) return sqliteError(rc, sqlite3_errmsg(db_));
      if (out == nullptr) continue;
      // Read after stepping: a schema change re-prepares the statement inside
      // the first step, and "SELECT *" may then have more columns than when it
      // was cached.
      const int ncols = sqlite3_column_count(stmt.get());
      Row row;
      row.cols.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) row.cols.push_back(column(stmt.get(), c));
      out->push_back(std::move(row));
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
};

}  // namespace

Result<std::unique_ptr<Connection>> openSqlite(const std::string& path, const SqliteOptions& opts) {
  const int flags =
      (opts.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;  // one thread at a time, see sql.h
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return makeError(Errc::kUnavailable, "cannot open SQLite database " + path + ": " + detail);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  SP_TRY(conn->configure(opts));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace sportello::sql
