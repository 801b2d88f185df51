// Result<T>: the value-or-error type returned by domain and store functions.
// Expected failures (bad input, missing object, conflict…) are values, never
// exceptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sportello {

// Error codes shared by every capability; mapped to HTTP status in one place
// (platform/http_errors.cc).
enum class Errc {
  kInvalid,          // 400: malformed or semantically wrong input
  kUnauthorized,     // 401: no valid session / token
  kForbidden,        // 403: authenticated but not allowed
  kNotFound,         // 404
  kConflict,         // 409: unique violation, concurrent change, wrong state
  kPayloadTooLarge,  // 413
  kTooManyRequests,  // 429: throttled
  kUnavailable,      // 503: dependency down, shutting down
  kInternal,         // 500: a bug or an unexpected driver failure
};

const char* errcName(Errc c);  // "invalid", "not_found", … (the JSON "code")

struct Error {
  Errc code = Errc::kInternal;
  std::string message;  // human readable, safe to show to the caller
  std::string field;    // optional: the input field at fault
  // Optional: a more specific JSON "code" than errcName(code) (e.g. "closed" for a 409), and
  // extra string members of the JSON error object (e.g. "next_opens_at").
  std::string reason;
  std::vector<std::pair<std::string, std::string>> details;
  // With kTooManyRequests: the seconds to wait, sent as Retry-After (0 = not said).
  int64_t retryAfterSeconds = 0;
  // The database aborted the statement to break a deadlock or a serialization conflict with
  // another transaction: the same job, run again after that one ends, may well succeed.
  bool transactionConflict = false;

  Error() = default;
  Error(Errc c, std::string m, std::string f = {})
      : code(c), message(std::move(m)), field(std::move(f)) {}
};

inline Error makeError(Errc c, std::string message, std::string field = {}) {
  return Error{c, std::move(message), std::move(field)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result() : v_(Error{Errc::kInternal, "uninitialised result", {}}) {}
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT implicit
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}      // NOLINT implicit

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : e_(std::move(e)) {}  // NOLINT implicit
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

inline Status okStatus() {
  return Status{};
}

}  // namespace sportello

// Propagates an error from an expression returning Result<…>.
#define SP_TRY(expr)                               \
  do {                                             \
    auto sp_try_r_ = (expr);                       \
    if (!sp_try_r_.ok()) return sp_try_r_.error(); \
  } while (0)

#define SP_CONCAT_INNER(a, b) a##b
#define SP_CONCAT(a, b) SP_CONCAT_INNER(a, b)
// SP_ASSIGN(auto x, expr): binds the value or returns the error.
#define SP_ASSIGN(decl, expr) SP_ASSIGN_IMPL(SP_CONCAT(sp_r_, __LINE__), decl, expr)
#define SP_ASSIGN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                    \
  if (!tmp.ok()) return tmp.error();    \
  decl = std::move(tmp).value()

// The same, inside a coroutine (co_return instead of return).
#define SP_CO_TRY(expr)                               \
  do {                                                \
    auto sp_try_r_ = (expr);                          \
    if (!sp_try_r_.ok()) co_return sp_try_r_.error(); \
  } while (0)
#define SP_CO_ASSIGN(decl, expr) SP_CO_ASSIGN_IMPL(SP_CONCAT(sp_r_, __LINE__), decl, expr)
#define SP_CO_ASSIGN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                       \
  if (!tmp.ok()) co_return tmp.error();    \
  decl = std::move(tmp).value()
