// PostgreSQL driver over libpq. The portable '?' placeholders are rewritten to
// $1..$n once per distinct SQL text, which is then prepared once per connection
// under a generated name and run with PQexecPrepared. Parameters travel as text
// and the server infers their types; result columns come back as
// int64/double/string by their type OID. SQLSTATEs are translated to Errc here
// and nowhere else.
#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "platform/sql/sql.h"

namespace sportello::sql {
namespace {

// Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across server
// versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultFree>;

bool succeeded(const PgResult& r) {
  if (!r) return false;
  const ExecStatusType s = PQresultStatus(r.get());
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

std::string trimmed(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string field(const PGresult* r, int code) {
  return trimmed(PQresultErrorField(r, code));
}

bool isIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Rewrites each '?' to $1, $2, … and counts them. A '?' inside a string literal
// ('…', with
// '' and, in E'…', backslash escapes), a quoted identifier ("…") or a comment
// is left alone.
std::string rewritePlaceholders(std::string_view sql, size_t* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  size_t n = 0;
  size_t i = 0;
  const size_t size = sql.size();
  while (i < size) {
    const char c = sql[i];
    const char next = i + 1 < size ? sql[i + 1] : '\0';
    size_t end = i + 1;  // one past the token copied verbatim
    if (c == '\'' || c == '"') {
      const bool backslashes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                               (i < 2 || !isIdentChar(sql[i - 2]));
      while (end < size) {
        if (backslashes && sql[end] == '\\') {
          end += 2;
        } else if (sql[end] == c) {
          ++end;
          if (end < size && sql[end] == c) {
            ++end;  // doubled quote: still inside
          } else {
            break;
          }
        } else {
          ++end;
        }
      }
    } else if (c == '-' && next == '-') {
      end = sql.find('\n', i);
      end = end == std::string_view::npos ? size : end;
    } else if (c == '/' && next == '*') {
      end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? size : end + 2;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
      continue;
    }
    end = std::min(end, size);
    out.append(sql.substr(i, end - i));
    i = end;
  }
  *count = n;
  return out;
}

// Converts one non-null result cell from its text form by the column's type.
Value cell(const char* text, int len, Oid type) {
  const char* end = text + len;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t v = 0;
      if (std::from_chars(text, end, v).ec == std::errc()) return v;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      const std::string_view s(text, static_cast<size_t>(len));
      if (s == "Infinity") return std::numeric_limits<double>::infinity();
      if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      double v = 0;
      if (std::from_chars(text, end, v).ec == std::errc()) return v;
      break;
    }
    case kBoolOid:  // booleans are 0/1 integers everywhere in Sportello (see
                    // Value)
      return int64_t{len > 0 && text[0] == 't' ? 1 : 0};
    default:
      break;
  }
  return std::string(text, static_cast<size_t>(len));
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
    SP_ASSIGN(PgResult res, run(sql, params));
    const int nrows = PQntuples(res.get());
    const int ncols = PQnfields(res.get());
    std::vector<Oid> types(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) types[static_cast<size_t>(c)] = PQftype(res.get(), c);
    Rows rows;
    rows.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      Row row;
      row.cols.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.cols.emplace_back(nullptr);
        } else {
          row.cols.push_back(cell(PQgetvalue(res.get(), r, c), PQgetlength(res.get(), r, c),
                                  types[static_cast<size_t>(c)]));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<int64_t> exec(std::string_view sql, const std::vector<Value>& params) override {
    SP_ASSIGN(PgResult res, run(sql, params));
    const std::string_view tuples = PQcmdTuples(res.get());  // "" for DDL
    int64_t n = 0;
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
    return n;
  }

  Status execScript(std::string_view sql) override {
    SP_TRY(ensureConnected());
    PgResult res(PQexec(conn_, std::string(sql).c_str()));
    noteTransactionState();
    if (!succeeded(res)) return pgError(res.get());
    return okStatus();
  }

  Status begin() override { return execScript("BEGIN"); }

  Status commit() override {
    if (PQstatus(conn_) != CONNECTION_OK) {
      inTransaction_ = false;
      return makeError(Errc::kUnavailable,
                       "database connection lost before commit; nothing was committed");
    }
    PgResult res(PQexec(conn_, "COMMIT"));
    inTransaction_ = false;
    noteTransactionState();
    if (!succeeded(res)) {
      if (PQstatus(conn_) != CONNECTION_OK) {
        return makeError(Errc::kUnavailable,
                         "database connection lost during commit; the outcome is unknown");
      }
      return pgError(res.get());
    }
    // COMMIT of a transaction that an earlier error aborted silently becomes
    // ROLLBACK.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      return makeError(Errc::kInternal,
                       "transaction aborted by an earlier "
                       "error was rolled back, not committed");
    }
    return okStatus();
  }

  Status rollback() override {
    inTransaction_ = false;
    // A lost connection has already discarded the transaction on the server.
    if (PQstatus(conn_) != CONNECTION_OK) return okStatus();
    return execScript("ROLLBACK");
  }

  size_t cachedStatements() const override { return cache_.size(); }

  // Session settings the driver relies on; applied after every (re)connection.
  Status configureSession() {
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    PgResult res(PQexec(conn_, "SET client_min_messages = warning"));
    if (!succeeded(res)) return pgError(res.get());
    return okStatus();
  }

 private:
  struct Prepared {
    std::string name;  // server-side statement name
    size_t params;     // number of '?' in the SQL text
  };

  // Parameters in libpq's text form; `values` point into `owned` or into the
  // caller's strings.
  struct TextParams {
    std::vector<std::string> owned;
    std::vector<const char*> values;
  };

  static Result<TextParams> encode(const std::vector<Value>& params) {
    TextParams out;
    out.owned.reserve(params.size());  // no reallocation: `values` points into it
    out.values.reserve(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* s = std::get_if<std::string>(&v)) {
        if (s->find('\0') != std::string::npos) {
          return makeError(Errc::kInvalid,
                           "text parameter " + std::to_string(i + 1) + " contains a NUL byte");
        }
        out.values.push_back(s->c_str());
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        out.values.push_back(out.owned.emplace_back(std::to_string(*n)).c_str());
      } else if (const auto* d = std::get_if<double>(&v)) {
        // Shortest exact form, independent of the C locale: reads back as the
        // same double.
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), *d);
        std::string text = ec == std::errc() ? std::string(buf, end) : "NaN";
        if (std::isinf(*d)) text = *d > 0 ? "Infinity" : "-Infinity";
        if (std::isnan(*d)) text = "NaN";
        out.values.push_back(out.owned.emplace_back(std::move(text)).c_str());
      } else {
        out.values.push_back(nullptr);  // SQL NULL
      }
    }
    return out;
  }

  // Prepares `sql` once (or reuses it) and executes it with `params`.
  Result<PgResult> run(std::string_view sql, const std::vector<Value>& params) {
    for (int attempt = 0;; ++attempt) {
      SP_TRY(ensureConnected());
      const Prepared* stmt = nullptr;
      std::string uncached;  // rewritten text when the cache is full
      if (auto it = cache_.find(sql); it != cache_.end()) {
        stmt = &it->second;
      } else {
        size_t count = 0;
        std::string text = rewritePlaceholders(sql, &count);
        if (count != params.size()) return paramCountError(count, params.size());
        if (cache_.size() < kStatementCacheCapacity) {
          std::string name = "sp_" + std::to_string(++nextId_);
          PgResult prep(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
          noteTransactionState();
          if (!succeeded(prep)) return pgError(prep.get());
          stmt = &cache_.emplace(std::string(sql), Prepared{std::move(name), count}).first->second;
        } else {
          uncached = std::move(text);
        }
      }
      if (stmt != nullptr && stmt->params != params.size()) {
        return paramCountError(stmt->params, params.size());
      }
      SP_ASSIGN(TextParams text, encode(params));
      const int n = static_cast<int>(params.size());
      PgResult res(stmt != nullptr ? PQexecPrepared(conn_, stmt->name.c_str(), n,
                                                    text.values.data(), nullptr, nullptr, 0)
                                   : PQexecParams(conn_, uncached.c_str(), n, nullptr,
                                                  text.values.data(), nullptr, nullptr, 0));
      noteTransactionState();
      if (succeeded(res)) return res;
      if (stmt != nullptr && isStalePlan(res.get())) {
        // A table's columns changed since the statement was prepared ("SELECT
        // *" after ALTER TABLE): forget it so the next run prepares it afresh.
        cache_.erase(cache_.find(sql));
        if (!inTransaction_ && attempt == 0) continue;
        return makeError(Errc::kUnavailable,
                         "a table changed under a prepared statement; retry "
                         "the transaction");
      }
      return pgError(res.get());
    }
  }

  static bool isStalePlan(const PGresult* res) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    return state != nullptr && std::string_view(state) == "0A000" &&
           field(res, PG_DIAG_MESSAGE_PRIMARY).find("cached plan") != std::string::npos;
  }

  static Error paramCountError(size_t expected, size_t given) {
    return makeError(Errc::kInternal, "statement takes " + std::to_string(expected) +
                                          " parameters, " + std::to_string(given) + " given");
  }

  // Remembers whether the server has a transaction open, so that a connection
  // lost inside one is not silently replaced by a fresh session in autocommit
  // mode.
  void noteTransactionState() {
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE:
        inTransaction_ = false;
        break;
      case PQTRANS_ACTIVE:
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR:
        inTransaction_ = true;
        break;
      case PQTRANS_UNKNOWN:  // connection lost: keep what we knew
        break;
    }
  }

  Status ensureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) return okStatus();
    if (inTransaction_) {
      return makeError(Errc::kUnavailable,
                       "database connection lost inside a transaction; roll back and retry");
    }
    PQreset(conn_);
    cache_.clear();  // the server forgot our prepared statements with the old
                     // session
    if (PQstatus(conn_) != CONNECTION_OK) {
      return makeError(Errc::kUnavailable,
                       "cannot reconnect to PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
    }
    return configureSession();
  }

  // The one translation from libpq failures and SQLSTATEs to Errc. Conflict
  // messages name the constraint and table but never the offending values (they
  // may be personal data).
  Error pgError(const PGresult* res) const {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return makeError(Errc::kUnavailable,
                       "database connection lost: " + trimmed(PQerrorMessage(conn_)));
    }
    if (res == nullptr) {
      return makeError(Errc::kInternal, "postgres: " + trimmed(PQerrorMessage(conn_)));
    }
    if (PQresultStatus(res) == PGRES_EMPTY_QUERY) {
      return makeError(Errc::kInternal, "postgres: empty statement");
    }
    const char* rawState = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string primary = field(res, PG_DIAG_MESSAGE_PRIMARY);
    if (primary.empty()) primary = trimmed(PQresultErrorMessage(res));
    if (primary.empty())
      primary = "unexpected result " + std::string(PQresStatus(PQresultStatus(res)));
    if (rawState == nullptr) return makeError(Errc::kInternal, "postgres: " + primary);
    const std::string_view state(rawState);

    if (state.substr(0, 2) == "23") {  // integrity constraint violation
      std::string kind = state == "23505"   ? "unique"
                         : state == "23503" ? "foreign key"
                         : state == "23514" ? "check"
                         : state == "23502" ? "not-null"
                         : state == "23P01" ? "exclusion"
                                            : "integrity";
      std::string msg = kind + " constraint";
      const std::string constraint = field(res, PG_DIAG_CONSTRAINT_NAME);
      if (!constraint.empty()) msg += " \"" + constraint + "\"";
      msg += " violated";
      const std::string table = field(res, PG_DIAG_TABLE_NAME);
      if (!table.empty()) msg += " on table \"" + table + "\"";
      const std::string column = field(res, PG_DIAG_COLUMN_NAME);
      if (!column.empty()) msg += " (column \"" + column + "\")";
      return makeError(Errc::kConflict, msg);
    }
    if (state == "40001" || state == "40P01") {
      Error e(Errc::kUnavailable, "transaction conflict (" + primary + "); retry the transaction");
      e.transactionConflict = true;
      return e;
    }
    // Lost or refused connections, shutdown, resource exhaustion, lock
    // timeouts: transient. 08P01 (protocol violation) is a bug, not an outage.
    if ((state.substr(0, 2) == "08" && state != "08P01") || state.substr(0, 2) == "53" ||
        state.substr(0, 3) == "57P" || state == "55P03") {
      return makeError(Errc::kUnavailable, "postgres unavailable: " + primary);
    }
    return makeError(Errc::kInternal,
                     "postgres: " + primary + " (SQLSTATE " + std::string(state) + ")");
  }

  PGconn* conn_;
  std::unordered_map<std::string, Prepared, TextHash, std::equal_to<>> cache_;
  uint64_t nextId_ = 0;
  bool inTransaction_ = false;
};

}  // namespace

Result<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo) {
  // Defaults come first so that the expanded conninfo ("dbname",
  // expand_dbname=1) overrides.
  const char* keys[] = {"connect_timeout", "client_encoding", "fallback_application_name", "dbname",
                        nullptr};
  const char* values[] = {"10", "UTF8", "sportello", conninfo.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, 1);
  if (raw == nullptr) return makeError(Errc::kInternal, "libpq: out of memory");
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string detail = trimmed(PQerrorMessage(raw));
    PQfinish(raw);
    return makeError(Errc::kUnavailable, "cannot connect to PostgreSQL: " + detail);
  }
  auto conn = std::make_unique<PgConnection>(raw);
  SP_TRY(conn->configureSession());
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace sportello::sql
