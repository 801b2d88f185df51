#include "platform/ratelimit.h"

#include <algorithm>

#include "core/token.h"

namespace sportello::ratelimit {

namespace {

std::string keyOf(std::string_view name, std::string_view subject) {
  return std::string(name) + ":" + sha256Hex(subject).substr(0, 32);
}

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct Counts {
  int64_t prev = 0, curr = 0;
};

Result<Counts> counts(sql::Connection& c, const std::string& key, int64_t ws, int64_t windowMs) {
  SP_ASSIGN(auto rows, c.query("SELECT window_start, hits FROM rate_limits WHERE key = ? AND "
                               "(window_start = ? OR window_start = ?)",
                               {key, ws, ws - windowMs}));
  Counts out;
  for (const auto& r : rows) (r.i64(0) == ws ? out.curr : out.prev) = r.i64(1);
  return out;
}

constexpr int kCasAttempts = 3;

}  // namespace

int64_t windowStart(int64_t nowMs, int64_t windowMs) {
  return floorDiv(nowMs, windowMs) * windowMs;
}

int64_t currentCapacity(int64_t prev, int64_t limit, int64_t windowMs, int64_t nowMs) {
  int64_t elapsed = nowMs - windowStart(nowMs, windowMs);
  // limit − prev·(W − e)/W, in integers: floor((limit·W − prev·(W − e)) / W).
  __int128 num =
      static_cast<__int128>(limit) * windowMs - static_cast<__int128>(prev) * (windowMs - elapsed);
  __int128 q = num / windowMs;
  if (num % windowMs != 0 && num < 0) --q;
  return static_cast<int64_t>(std::clamp<__int128>(q, INT64_MIN / 2, INT64_MAX / 2));
}

int64_t waitMs(int64_t prev, int64_t curr, int64_t cost, int64_t limit, int64_t windowMs,
               int64_t nowMs) {
  if (limit <= 0 || cost <= 0) return 0;
  if (cost > limit) return 2 * windowMs;  // never fits; say "much later"
  int64_t elapsed = nowMs - windowStart(nowMs, windowMs);
  if (curr + cost <= currentCapacity(prev, limit, windowMs, nowMs)) return 0;
  auto w = static_cast<__int128>(windowMs);
  if (curr + cost <= limit) {
    // Fits later in this window, as the previous window's weight shrinks (prev > 0 here):
    // the first elapsed e with prev·(W − e) ≤ (limit − curr − cost)·W.
    __int128 spare = limit - curr - cost;
    int64_t at = static_cast<int64_t>(w - spare * w / prev);
    return std::max<int64_t>(1, at - elapsed);
  }
  // Only in the next window, where this one becomes the previous: curr·(W − e) ≤ (limit−cost)·W.
  __int128 spare = limit - cost;
  int64_t at = curr > 0 ? static_cast<int64_t>(w - spare * w / curr) : 0;
  return (windowMs - elapsed) + std::max<int64_t>(0, at);
}

int64_t backoffDelayMs(int64_t failures, const Backoff& b) {
  if (failures < b.freeFailures) return 0;
  int64_t n = failures - b.freeFailures;
  if (n >= 40) return b.maxMs;
  return std::min<int64_t>(b.maxMs, b.baseMs << n);
}

Migration migration() {
  return {120, "rate limits",
          R"sql(
CREATE TABLE rate_limits (
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  hits BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);
)sql",
          ""};
}

Result<int64_t> peek(sql::Connection& c, const Rule& rule, std::string_view subject, int64_t cost,
                     int64_t nowMs) {
  if (rule.limit <= 0 || cost <= 0) return int64_t{0};
  int64_t ws = windowStart(nowMs, rule.windowMs);
  SP_ASSIGN(auto n, counts(c, keyOf(rule.name, subject), ws, rule.windowMs));
  return waitMs(n.prev, n.curr, cost, rule.limit, rule.windowMs, nowMs);
}

Result<int64_t> take(Tx& tx, const Rule& rule, std::string_view subject, int64_t cost) {
  if (rule.limit <= 0 || cost <= 0) return int64_t{0};
  auto& c = tx.conn();
  int64_t now = tx.nowMs();
  int64_t ws = windowStart(now, rule.windowMs);
  std::string key = keyOf(rule.name, subject);
  SP_ASSIGN(auto n, counts(c, key, ws, rule.windowMs));
  if (int64_t wait = waitMs(n.prev, n.curr, cost, rule.limit, rule.windowMs, now); wait > 0) {
    return wait;
  }
  // Conditional upsert: another node may have counted since the read; the row lock and the
  // WHERE make the bump atomic (no row returned = it no longer fits, nothing counted).
  int64_t capacity = currentCapacity(n.prev, rule.limit, rule.windowMs, now);
  SP_ASSIGN(auto rows,
            c.query("INSERT INTO rate_limits (key, window_start, hits, updated_at, expires_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key, window_start) DO UPDATE SET "
                    "hits = rate_limits.hits + excluded.hits, updated_at = excluded.updated_at "
                    "WHERE rate_limits.hits + excluded.hits <= ? RETURNING hits",
                    {key, ws, cost, now, ws + 2 * rule.windowMs, capacity}));
  if (!rows.empty()) return int64_t{0};
  SP_ASSIGN(auto again, counts(c, key, ws, rule.windowMs));
  return std::max<int64_t>(1, waitMs(again.prev, again.curr, cost, rule.limit, rule.windowMs, now));
}

Status giveBack(Tx& tx, const Rule& rule, std::string_view subject, int64_t takenAtMs,
                int64_t cost) {
  if (rule.limit <= 0 || cost <= 0) return okStatus();
  SP_TRY(tx.conn().exec(
      "UPDATE rate_limits SET hits = hits - ? WHERE key = ? AND window_start = ? AND hits >= ?",
      {cost, keyOf(rule.name, subject), windowStart(takenAtMs, rule.windowMs), cost}));
  return okStatus();
}

std::string waitText(int64_t waitMs) {
  int64_t s = std::max<int64_t>(1, (waitMs + 999) / 1000);
  auto say = [](int64_t n, const char* one, const char* many) {
    return n == 1 ? std::string("1 ") + one : std::to_string(n) + " " + many;
  };
  if (s < 60) return say(s, "secondo", "secondi");
  if (s < 3600) return say((s + 59) / 60, "minuto", "minuti");
  return say((s + 3599) / 3600, "ora", "ore");
}

Error tooMany(std::string_view message, int64_t waitMs) {
  Error e(Errc::kTooManyRequests, std::string(message) + " Riprova tra " + waitText(waitMs) + ".");
  e.retryAfterSeconds = std::max<int64_t>(1, (waitMs + 999) / 1000);
  return e;
}

Status hit(Tx& tx, const Rule& rule, std::string_view subject, std::string_view message,
           int64_t cost) {
  SP_ASSIGN(int64_t wait, take(tx, rule, subject, cost));
  if (wait > 0) return tooMany(message, wait);
  return okStatus();
}

namespace {

struct BackoffRow {
  bool found = false;
  int64_t failures = 0, last = 0;
};

Result<BackoffRow> backoffRow(sql::Connection& c, const std::string& key, int64_t nowMs) {
  SP_ASSIGN(auto rows, c.query("SELECT hits, updated_at FROM rate_limits WHERE key = ? AND "
                               "window_start = 0 AND expires_at > ?",
                               {key, nowMs}));
  BackoffRow r;
  if (rows.empty()) return r;
  r.found = true;
  r.failures = rows[0].i64(0);
  r.last = rows[0].i64(1);
  return r;
}

// No delay, no wait: a node whose clock is behind the one that recorded the last failure
// must not refuse the free attempts.
int64_t waitFor(const BackoffRow& r, const Backoff& b, int64_t nowMs) {
  if (!r.found) return 0;
  int64_t delay = backoffDelayMs(r.failures, b);
  if (delay == 0) return 0;
  return std::max<int64_t>(0, r.last + delay - nowMs);
}

}  // namespace

Result<int64_t> backoffWait(sql::Connection& c, const Backoff& b, std::string_view subject,
                            int64_t nowMs) {
  SP_ASSIGN(auto r, backoffRow(c, keyOf(b.name, subject), nowMs));
  return waitFor(r, b, nowMs);
}

Result<int64_t> attempt(Tx& tx, const Backoff& b, std::string_view subject) {
  auto& c = tx.conn();
  int64_t now = tx.nowMs();
  std::string key = keyOf(b.name, subject);
  for (int i = 0; i < kCasAttempts; ++i) {
    SP_ASSIGN(auto r, backoffRow(c, key, now));
    if (int64_t wait = waitFor(r, b, now); wait > 0) return wait;
    // Compare-and-set on the failures just read (or on an expired/missing row), so two nodes
    // cannot both take the same free attempt.
    SP_ASSIGN(auto rows,
              c.query("INSERT INTO rate_limits (key, window_start, hits, updated_at, expires_at) "
                      "VALUES (?, 0, 1, ?, ?) ON CONFLICT (key, window_start) DO UPDATE SET "
                      "hits = CASE WHEN rate_limits.expires_at > excluded.updated_at "
                      "THEN rate_limits.hits + 1 ELSE 1 END, "
                      "updated_at = excluded.updated_at, expires_at = excluded.expires_at "
                      "WHERE rate_limits.expires_at <= excluded.updated_at OR rate_limits.hits = ? "
                      "RETURNING hits",
                      {key, now, now + b.forgetMs, r.failures}));
    if (!rows.empty()) return int64_t{0};
  }
  SP_ASSIGN(auto r, backoffRow(c, key, now));
  return std::max<int64_t>(1, waitFor(r, b, now));
}

Status reset(Tx& tx, const Backoff& b, std::string_view subject) {
  SP_TRY(tx.conn().exec("DELETE FROM rate_limits WHERE key = ? AND window_start = 0",
                        {keyOf(b.name, subject)}));
  return okStatus();
}

Result<int64_t> purge(Tx& tx) {
  return tx.conn().exec("DELETE FROM rate_limits WHERE expires_at <= ?", {tx.nowMs()});
}

boost::asio::awaitable<Result<int64_t>> purge(Database& db) {
  auto job = [](Tx& tx) { return purge(tx); };
  co_return co_await db.write<int64_t>(std::move(job));
}

}  // namespace sportello::ratelimit
