// Rate limits shared by every node: counters in the database (`rate_limits`, migration 120),
// read and bumped inside the caller's write transaction. A request refused by a limit counts
// nothing (the counter is bumped only when the units fit, with a conditional upsert that is
// atomic across nodes) and, when the use case returns the error, changes nothing else either.
//
// Two kinds of limit:
//  - Rule: at most `limit` units per `windowMs`, over a sliding window approximated from two
//    fixed windows (the previous one weighted by the part of it still inside the window, as in
//    Cloudflare's counter). Rows are keyed by (name:subject, window start) and kept two windows.
//  - Backoff: progressive delay after failures (logins): the first `freeFailures` attempts are
//    free, then each attempt must wait baseMs·2^(failures−free), capped at maxMs, after the
//    previous one. Forgotten `forgetMs` after the last failure, or at once by reset().
//
// Subjects (addresses, accounts, mail recipients) are stored only as a SHA-256 prefix.
// Old rows are deleted by purge() (hourly, from the app's purge loop).
//
// Thread-safety: the Tx/Connection functions run on the store's workers like every store
// function; the pure functions are pure.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "platform/database.h"

namespace sportello::ratelimit {

struct Rule {
  std::string name;   // key prefix, e.g. "chat.visit"; one name, one window length
  int64_t limit = 0;  // units per window; 0 = no limit
  int64_t windowMs = 3'600'000;
};

struct Backoff {
  std::string name;
  int64_t freeFailures = 3;
  int64_t baseMs = 1000;
  int64_t maxMs = 900'000;
  int64_t forgetMs = 86'400'000;
};

// ---- pure window logic (unit-tested) ----

// The start of the fixed window holding `nowMs`.
int64_t windowStart(int64_t nowMs, int64_t windowMs);
// The most units the current window may hold given `prev` units in the previous one:
// floor(limit − prev·(remaining part of the previous window)). May be ≤ 0.
int64_t currentCapacity(int64_t prev, int64_t limit, int64_t windowMs, int64_t nowMs);
// 0 when `cost` more units fit now (prev/curr: the previous and current windows' counts);
// otherwise the milliseconds until they would, if nothing else is counted meanwhile.
int64_t waitMs(int64_t prev, int64_t curr, int64_t cost, int64_t limit, int64_t windowMs,
               int64_t nowMs);
// The delay imposed after `failures` failures (0 while failures < freeFailures).
int64_t backoffDelayMs(int64_t failures, const Backoff& b);

// ---- store ----

Migration migration();

// Counts `cost` units for `subject` under `rule` if they fit: returns 0. Otherwise counts
// nothing and returns the wait in milliseconds (> 0). A rule with limit 0 always fits.
Result<int64_t> take(Tx& tx, const Rule& rule, std::string_view subject, int64_t cost = 1);
// The same without counting (on a reader): the wait before `cost` units would fit.
Result<int64_t> peek(sql::Connection& c, const Rule& rule, std::string_view subject, int64_t cost,
                     int64_t nowMs);
// Gives back units taken at `takenAtMs` (e.g. a login attempt that turned out good).
Status giveBack(Tx& tx, const Rule& rule, std::string_view subject, int64_t takenAtMs,
                int64_t cost = 1);

// take(), or a kTooManyRequests error: `message` followed by " Riprova tra …" and the
// Retry-After seconds.
Status hit(Tx& tx, const Rule& rule, std::string_view subject, std::string_view message,
           int64_t cost = 1);
// The 429 error for a wait of `waitMs`.
Error tooMany(std::string_view message, int64_t waitMs);
// "5 secondi", "1 minuto", "2 ore": the wait, rounded up, in Italian.
std::string waitText(int64_t waitMs);

// Backoff: the wait before the next attempt (0 = may try now). attempt() checks it and, when
// 0, counts one failure in advance (so parallel attempts cannot all slip through before the
// first failure is recorded); reset() forgets the failures after a success.
Result<int64_t> backoffWait(sql::Connection& c, const Backoff& b, std::string_view subject,
                            int64_t nowMs);
Result<int64_t> attempt(Tx& tx, const Backoff& b, std::string_view subject);
Status reset(Tx& tx, const Backoff& b, std::string_view subject);

// Deletes the rows no limit needs any more; returns how many.
Result<int64_t> purge(Tx& tx);
boost::asio::awaitable<Result<int64_t>> purge(Database& db);

}  // namespace sportello::ratelimit
