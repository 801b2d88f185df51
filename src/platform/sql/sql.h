// One database interface with a driver per backend (SQLite, PostgreSQL), after Drogon's DbClient.
// SQL is written once with '?' placeholders; the PostgreSQL driver rewrites them to $1, $2, ….
// Driver errors are translated to Errc at this boundary: unique/foreign-key/check/not-null
// violations → kConflict, serialization failures/busy/lost connection → kUnavailable, anything
// else → kInternal. Conflict messages name the constraint, never the SQL or the values.
//
// Thread-safety: a Connection is used by one thread at a time (the store worker that owns it).
//
// Portable SQL: '?' inside quoted strings, quoted identifiers and comments is not a parameter
// (so PostgreSQL's jsonb '?' operators must be written as functions). Parameters reach
// PostgreSQL as text and the server infers their types from context; cast when the context
// does not say (CAST(? AS BIGINT)). Binary data belongs in TEXT (base64), not BLOB/bytea.
// After any error inside a transaction PostgreSQL refuses further statements until
// rollback() or rollbackTo(savepoint), and commit() then fails; SQLite only undoes the failed
// statement. Portable code treats an error inside a transaction as the end of it (or of the
// savepoint).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace sportello::sql {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a column value. Booleans are stored as 0/1 integers, timestamps as
// int64 milliseconds since the Unix epoch (UTC), JSON as text.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

inline Value null() {
  return nullptr;
}
inline Value optText(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value(nullptr);
}

struct Row {
  std::vector<Value> cols;

  bool isNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(cols.at(i)); }
  int64_t i64(size_t i) const;      // integer column (text digits are parsed); null → 0
  double f64(size_t i) const;       // null → 0
  std::string str(size_t i) const;  // text column; null → ""
  std::optional<std::string> optStr(size_t i) const;
  std::optional<int64_t> optI64(size_t i) const;
};

using Rows = std::vector<Row>;
using Params = std::initializer_list<Value>;

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Runs a statement and returns all rows (possibly none). Statements are prepared once
  // per connection and cached by their text.
  virtual Result<Rows> query(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs a statement; returns the number of rows changed.
  virtual Result<int64_t> exec(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs several ';'-separated statements without parameters (migrations).
  virtual Status execScript(std::string_view sql) = 0;

  Result<Rows> query(std::string_view sql, Params params = {}) {
    return query(sql, std::vector<Value>(params));
  }
  Result<int64_t> exec(std::string_view sql, Params params = {}) {
    return exec(sql, std::vector<Value>(params));
  }
  // First row, or kNotFound with `what` in the message.
  Result<Row> one(std::string_view sql, const std::vector<Value>& params,
                  std::string_view what = "object");
  Result<Row> one(std::string_view sql, Params params, std::string_view what = "object") {
    return one(sql, std::vector<Value>(params), what);
  }

  // Transactions. begin() starts a write transaction (SQLite: BEGIN IMMEDIATE).
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  // Savepoint names must be plain identifiers ([A-Za-z_][A-Za-z0-9_]*), else kInternal.
  Status savepoint(std::string_view name);
  Status release(std::string_view name);
  Status rollbackTo(std::string_view name);

  // Prepared statements currently held by this connection's cache (tests, metrics).
  virtual size_t cachedStatements() const { return 0; }
};

// Each connection caches at most this many prepared statements; statements beyond it are
// prepared, run and discarded, so SQL built at run time cannot grow memory without bound.
inline constexpr size_t kStatementCacheCapacity = 512;

struct SqliteOptions {
  bool synchronousFull = true;  // PRAGMA synchronous=FULL (durable) vs NORMAL
  bool readOnly = false;
  int busyTimeoutMs = 5000;
};

// Opens (creating if needed) a SQLite database in WAL mode with foreign keys on.
Result<std::unique_ptr<Connection>> openSqlite(const std::string& path,
                                               const SqliteOptions& opts = {});
// Opens a PostgreSQL connection from a libpq connection string or URI (client_encoding UTF8,
// connect_timeout 10 s unless the string says otherwise). A connection lost outside a
// transaction is re-established on the next call; session settings made with SET are not
// restored, so put them in the string (options=-c…). Lost inside a transaction, every call
// returns kUnavailable until commit() or rollback().
Result<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo);

// Opens by URL: "sqlite:/path/file.db", ":memory:" or a path ending in .db, .sqlite or
// .sqlite3 → SQLite; "postgresql://…" / "postgres://…" / "host=… dbname=…" → PostgreSQL.
// Anything else → kInvalid.
Result<std::unique_ptr<Connection>> open(const std::string& url, const SqliteOptions& opts = {});

}  // namespace sportello::sql
