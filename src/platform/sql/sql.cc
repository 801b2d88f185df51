// Backend-independent parts of the SQL interface: Row accessors, the helpers
// built on the virtual primitives, and open(url) dispatch to the SQLite or
// PostgreSQL driver.
#include "platform/sql/sql.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace sportello::sql {
namespace {

// Shortest text that reads back as the same double ("0.1", not
// "0.10000000000000001").
std::string doubleToString(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

// Truncates toward zero like SQLite's CAST(real AS INTEGER), saturating at the
// int64 range.
int64_t doubleToInt64(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

bool isIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

Status savepointCommand(Connection& conn, std::string_view verb, std::string_view name) {
  if (!isIdentifier(name)) {
    return makeError(Errc::kInternal, "savepoint name must be a plain identifier");
  }
  std::string sql(verb);
  sql += ' ';
  sql += name;
  return conn.execScript(sql);
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

int64_t Row::i64(size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return doubleToInt64(*d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(),
                    out);  // leaves 0 on failure
    return out;
  }
  return 0;
}

double Row::f64(size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) {
    double out = 0;
    std::from_chars(s->data(), s->data() + s->size(),
                    out);  // locale-independent
    return out;
  }
  return 0;
}

std::string Row::str(size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return doubleToString(*d);
  return {};
}

std::optional<std::string> Row::optStr(size_t i) const {
  if (isNull(i)) return std::nullopt;
  return str(i);
}

std::optional<int64_t> Row::optI64(size_t i) const {
  if (isNull(i)) return std::nullopt;
  return i64(i);
}

Result<Row> Connection::one(std::string_view sql, const std::vector<Value>& params,
                            std::string_view what) {
  SP_ASSIGN(Rows rows, query(sql, params));
  if (rows.empty()) return makeError(Errc::kNotFound, std::string(what) + " non trovato");
  return std::move(rows.front());
}

Status Connection::savepoint(std::string_view name) {
  return savepointCommand(*this, "SAVEPOINT", name);
}

Status Connection::release(std::string_view name) {
  return savepointCommand(*this, "RELEASE SAVEPOINT", name);
}

Status Connection::rollbackTo(std::string_view name) {
  return savepointCommand(*this, "ROLLBACK TO SAVEPOINT", name);
}

Result<std::unique_ptr<Connection>> open(const std::string& url, const SqliteOptions& opts) {
  std::string_view u(url);
  if (startsWith(u, "sqlite:")) {
    std::string_view path = u.substr(7);
    // "sqlite:///abs/file.db" is the same file as "sqlite:/abs/file.db".
    if (startsWith(path, "//")) path.remove_prefix(2);
    if (path.empty()) return makeError(Errc::kInvalid, "sqlite: URL without a file path");
    return openSqlite(std::string(path), opts);
  }
  if (startsWith(u, "postgresql://") || startsWith(u, "postgres://")) return openPostgres(url);
  const bool pathLike = startsWith(u, "/") || startsWith(u, ".");
  if (!pathLike && u.find('=') != std::string_view::npos) return openPostgres(url);
  if (u == ":memory:" || endsWith(u, ".db") || endsWith(u, ".sqlite") || endsWith(u, ".sqlite3")) {
    return openSqlite(url, opts);
  }
  // The URL is not echoed: it may carry a password.
  return makeError(Errc::kInvalid,
                   "unrecognised database URL: expected sqlite:PATH, a *.db path, "
                   "postgresql://… or a libpq key=value string");
}

}  // namespace sportello::sql
