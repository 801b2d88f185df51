// Staff use cases: login (argon2id; progressive delays per account and address, ceilings per
// account and per address, counted in the database so they hold across nodes), the
// session cookie, authorisation of every staff request (session + ente + role +
// CSRF), logout, password change, presence, and the administration of
// operators.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "core/clock.h"
#include "core/config.h"
#include "platform/caller.h"
#include "platform/database.h"
#include "platform/topic.h"
#include "staff/types.h"

namespace sportello::staff {

namespace asio = boost::asio;

constexpr int64_t kSessionTtlMs = 12LL * 3600 * 1000;  // a working day, absolute
constexpr size_t kMinPasswordLength = 10;

struct NewOperator {
  std::string username, displayName, email, password;
  Role role = Role::kOperator;
  std::vector<std::string> officeIds;
  bool active = true;
};

// The ente's staff topic (operators' presence, bookings): platform/topic.h.
inline constexpr std::string_view kEnteStaffTopic = "ente:{slug}:staff";
std::string enteStaffTopic(const std::string& slug);

class StaffService {
 public:
  StaffService(Database& db, const Clock& clock, asio::thread_pool& cpu, bool secureCookies);

  struct Login {
    StaffContext ctx;
    std::string token;
  };
  asio::awaitable<Result<Login>> login(std::string slug, std::string username, std::string password,
                                       std::string remote, std::string previousToken);
  // The caller's session (kUnauthorized without one).
  asio::awaitable<Result<StaffContext>> authenticate(const Caller& caller);
  // The session of a session token (the cookie of a WebSocket's upgrade request): the one
  // lookup every capability uses; kUnauthorized for none, an unknown or an expired one.
  asio::awaitable<Result<StaffContext>> session(std::string_view token);
  // Session + same ente (when slug is non-empty) + role ≥ min + CSRF header on
  // unsafe methods.
  asio::awaitable<Result<StaffContext>> require(const Caller& caller, std::string_view slug,
                                                Role min);
  asio::awaitable<Status> logout(const StaffContext& ctx);
  asio::awaitable<Status> changePassword(const StaffContext& ctx, std::string current,
                                         std::string next);
  asio::awaitable<Result<Operator>> setPresence(const StaffContext& ctx, std::string presence);
  // Runs inside the transaction that changes an operator's presence (reception uses it to
  // announce how many operators are on duty per office). Set once, before serving.
  using PresenceHook = std::function<Status(Tx&, const Operator&)>;
  // Hooks run in the order they were added (the one line closes the desk, then reception
  // tells the waiting rooms how many operators are available).
  void addPresenceHook(PresenceHook h);

  // Liveness (docs/OPERATIONS.md, "Liveness"): presence follows the live console. These
  // operators' consoles are connected now (a staff subscription was authorised, or a node's
  // heartbeat found it live): seen now, and a presence the sweep took away comes back.
  asio::awaitable<Status> seenLive(std::vector<std::string> operatorIds);
  // Operators whose console has been gone for `graceMs` become away (given back when they
  // reconnect). Returns how many.
  asio::awaitable<Result<int64_t>> sweepGone(int64_t graceMs);

  // Administration (caller already checked as admin of enteId).
  asio::awaitable<Result<std::vector<Operator>>> listOperators(std::string enteId);
  asio::awaitable<Result<Operator>> getOperator(std::string enteId, std::string id);
  asio::awaitable<Result<Operator>> createOperator(std::string enteId, NewOperator n);
  asio::awaitable<Result<Operator>> updateOperator(std::string enteId, std::string id, Json patch);

  // Blocking variants for the CLI.
  Result<Operator> createOperatorSync(const std::string& enteSlug, NewOperator n);
  Status setPasswordSync(const std::string& enteSlug, const std::string& username,
                         const std::string& password);

  std::string sessionCookie(const std::string& token) const;
  std::string clearCookie() const;
  // Login limits (docs/SECURITY.md, "Limits"). Set once, before serving.
  void setLimits(const Limits& l) { limits_ = l; }

 private:
  Database& db_;
  const Clock& clock_;
  asio::thread_pool& cpu_;
  bool secure_;
  Limits limits_;
  std::string dummyHash_;
  PresenceHook presenceHook_;
};

Json toJson(const Operator& op);
Status checkPassword(std::string_view pw, std::string_view field);

}  // namespace sportello::staff
