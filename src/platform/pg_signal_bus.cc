#include "platform/pg_signal_bus.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sportello {

Migration signalRelayMigration() {
  return {130, "signal relay",
          // SQLite serves one node: there is nobody to relay to.
          "-- no signal relay on SQLite",
          R"sql(
CREATE UNLOGGED TABLE signal_relay (
  id BIGSERIAL PRIMARY KEY,
  node TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX signal_relay_created ON signal_relay(created_at);
)sql"};
}

std::string signalChannel(std::string_view schema) {
  if (schema.empty() || schema == "public") return kSignalChannel;
  std::string c = std::string(kSignalChannel) + ":" + std::string(schema);
  if (c.size() <= 63) return c;  // NAMEDATALEN - 1: pg_notify refuses a longer channel
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string_view>{}(schema));
  return std::string(kSignalChannel) + ":" + hex;
}

namespace {

constexpr size_t kMaxQueued = 10'000;  // messages waiting while the connection is down
constexpr auto kPurgeEvery = std::chrono::seconds(10);

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultFree>;

class PgSignalBus final : public SignalBus {
 public:
  PgSignalBus(std::string conninfo, std::string nodeId)
      : conninfo_(std::move(conninfo)),
        node_(std::move(nodeId)),
        wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    connect();
  }

  void start(Receiver receiver) override {
    receiver_ = std::move(receiver);
    thread_ = std::thread([this] { run(); });
  }

  ~PgSignalBus() override {
    {
      std::lock_guard lk(mu_);
      stopping_ = true;
    }
    wake();
    if (thread_.joinable()) thread_.join();
    if (conn_) PQfinish(conn_);
    ::close(wake_);
  }

  void publish(std::string message) override {
    {
      std::lock_guard lk(mu_);
      if (out_.empty()) dropping_ = false;
      if (out_.size() >= kMaxQueued) {
        out_.pop_front();
        if (!dropping_) spdlog::warn("signal bus: too many messages waiting, dropping the oldest");
        dropping_ = true;
      }
      out_.push_back(std::move(message));
    }
    wake();
  }

 private:
  void wake() {
    uint64_t one = 1;
    (void)!::write(wake_, &one, sizeof one);
  }

  // On the bus thread (or in the constructor, before it starts).
  bool connect() {
    if (conn_) PQfinish(conn_);
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "sportello-signals", conninfo_.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn_) == CONNECTION_OK) {
      PgResult schema(PQexec(conn_, "SELECT current_schema()"));
      if (PQresultStatus(schema.get()) == PGRES_TUPLES_OK && PQntuples(schema.get()) == 1) {
        channel_ =
            signalChannel(PQgetisnull(schema.get(), 0, 0) ? "" : PQgetvalue(schema.get(), 0, 0));
        char* quoted = PQescapeIdentifier(conn_, channel_.c_str(), channel_.size());
        if (quoted) {
          PgResult r(PQexec(conn_, (std::string("LISTEN ") + quoted).c_str()));
          PQfreemem(quoted);
          if (PQresultStatus(r.get()) == PGRES_COMMAND_OK) return true;
        }
      }
    }
    spdlog::warn("signal bus: cannot connect to PostgreSQL: {}", PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    return false;
  }

  bool connected() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

  void run() {
    // At once, then every kPurgeEvery: a node that starts also clears what stopped ones left.
    auto nextPurge = std::chrono::steady_clock::now();
    for (;;) {
      std::deque<std::string> batch;
      {
        std::lock_guard lk(mu_);
        if (stopping_) return;
        if (connected()) batch.swap(out_);
      }
      if (!connected()) {
        waitFor(-1 /* no socket */, 1000);
        if (!stopping() && connect()) spdlog::info("signal bus: connected again");
        continue;
      }
      while (!batch.empty() && send(batch.front())) batch.pop_front();
      if (!batch.empty()) {
        // The connection broke: keep the rest, in order, ahead of what came since.
        std::lock_guard lk(mu_);
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) out_.push_front(std::move(*it));
        continue;
      }
      if (!receive()) continue;
      if (std::chrono::steady_clock::now() >= nextPurge) {
        nextPurge = std::chrono::steady_clock::now() + kPurgeEvery;
        PgResult r(PQexec(
            conn_, "DELETE FROM signal_relay WHERE created_at < now() - interval '1 minute'"));
      }
      bool more;
      {
        std::lock_guard lk(mu_);
        more = !out_.empty() || stopping_;
      }
      if (!more) waitFor(PQsocket(conn_), 1000);
    }
  }

  bool stopping() {
    std::lock_guard lk(mu_);
    return stopping_;
  }

  // Waits until the socket (if any) has input, publish() or the destructor wakes us, or the
  // timeout passes.
  void waitFor(int socket, int timeoutMs) {
    pollfd fds[2] = {{wake_, POLLIN, 0}, {socket, POLLIN, 0}};
    int n = ::poll(fds, socket >= 0 ? 2 : 1, timeoutMs);
    if (n > 0 && (fds[0].revents & POLLIN)) {
      uint64_t v;
      (void)!::read(wake_, &v, sizeof v);
    }
  }

  // Sends one message; false when the connection broke (the message is to be sent again).
  bool send(const std::string& message) {
    PgResult r;
    if (message.size() <= kSignalInlineBytes) {
      std::string payload = node_ + " " + message;
      const char* params[] = {channel_.c_str(), payload.c_str()};
      r.reset(
          PQexecParams(conn_, "SELECT pg_notify($1, $2)", 2, nullptr, params, nullptr, nullptr, 0));
    } else {
      const char* params[] = {node_.c_str(), message.c_str(), channel_.c_str()};
      r.reset(PQexecParams(conn_,
                           "WITH r AS (INSERT INTO signal_relay(node, body) VALUES ($1, $2) "
                           "RETURNING id) SELECT pg_notify($3, $1 || ' #' || r.id) FROM r",
                           3, nullptr, params, nullptr, nullptr, 0));
    }
    if (PQresultStatus(r.get()) == PGRES_TUPLES_OK) return true;
    if (!connected()) {
      spdlog::warn("signal bus: connection lost, reconnecting");
      return false;
    }
    // Not the connection: the message itself (it cannot succeed on a retry).
    spdlog::warn("signal bus: message of {} bytes not sent: {}", message.size(),
                 PQresultErrorMessage(r.get()));
    return true;
  }

  // Hands the other nodes' messages to the receiver; false when the connection broke.
  bool receive() {
    if (PQconsumeInput(conn_) == 0) {
      spdlog::warn("signal bus: connection lost, reconnecting");
      PQfinish(conn_);
      conn_ = nullptr;
      return false;
    }
    // Reading a relayed row may bring more notifications into libpq's queue (not the
    // socket's): take them until none is left, or they would wait for the next wake-up.
    for (;;) {
      std::vector<std::string> payloads;
      while (PGnotify* n = PQnotifies(conn_)) {
        if (n->extra) payloads.emplace_back(n->extra);
        PQfreemem(n);
      }
      if (payloads.empty()) return true;
      if (!deliver(payloads)) return false;
    }
  }

  bool deliver(const std::vector<std::string>& payloads) {
    for (const auto& p : payloads) {
      size_t space = p.find(' ');
      if (space == std::string::npos || p.compare(0, space, node_) == 0) continue;  // ours
      if (p.size() > space + 1 && p[space + 1] == '#') {
        std::string id = p.substr(space + 2);
        const char* params[] = {id.c_str()};
        PgResult r(PQexecParams(conn_, "SELECT body FROM signal_relay WHERE id = $1", 1, nullptr,
                                params, nullptr, nullptr, 0));
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
          if (!connected()) return false;
          continue;
        }
        if (PQntuples(r.get()) == 1) receiver_(std::string(PQgetvalue(r.get(), 0, 0)));
        continue;  // (no row: purged already, so older than a minute)
      }
      receiver_(p.substr(space + 1));
    }
    return true;
  }

  const std::string conninfo_;
  const std::string node_;
  std::string channel_ = kSignalChannel;  // bus thread (or constructor): set on each connect
  Receiver receiver_;                     // set once by start(), before the thread
  const int wake_;
  PGconn* conn_ = nullptr;  // the bus thread's (the constructor's before it starts)
  std::thread thread_;

  std::mutex mu_;
  std::deque<std::string> out_;  // GUARDED_BY(mu_)
  bool stopping_ = false;        // GUARDED_BY(mu_)
  bool dropping_ = false;        // GUARDED_BY(mu_)
};

}  // namespace

std::unique_ptr<SignalBus> openPgSignalBus(std::string conninfo, std::string nodeId) {
  return std::make_unique<PgSignalBus>(std::move(conninfo), std::move(nodeId));
}

}  // namespace sportello
