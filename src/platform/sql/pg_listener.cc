#include "platform/sql/pg_listener.h"

#include <libpq-fe.h>
#include <poll.h>

namespace sportello::sql {
namespace {

class PgListenerImpl final : public PgListener {
 public:
  explicit PgListenerImpl(PGconn* c) : conn_(c) {}
  ~PgListenerImpl() override { PQfinish(conn_); }

  Result<std::vector<std::string>> wait(int timeoutMs) override {
    std::vector<std::string> out;
    if (PQstatus(conn_) != CONNECTION_OK) {
      return makeError(Errc::kUnavailable, "event bus connection lost");
    }
    if (!drain(out)) return makeError(Errc::kUnavailable, "event bus connection lost");
    if (!out.empty()) return out;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    int r = ::poll(&p, 1, timeoutMs);
    if (r < 0) return out;  // interrupted: the caller loops
    if (r > 0 && !drain(out)) return makeError(Errc::kUnavailable, "event bus connection lost");
    return out;
  }

 private:
  bool drain(std::vector<std::string>& out) {
    if (PQconsumeInput(conn_) == 0) return false;
    while (PGnotify* n = PQnotifies(conn_)) {
      out.emplace_back(n->extra ? n->extra : "");
      PQfreemem(n);
    }
    return true;
  }
  PGconn* conn_;
};

}  // namespace

Result<std::unique_ptr<PgListener>> openPgListener(const std::string& conninfo,
                                                   const std::string& channel) {
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "sportello-events", conninfo.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (PQstatus(c) != CONNECTION_OK) {
    PQfinish(c);
    return makeError(Errc::kUnavailable, "cannot open the event bus connection");
  }
  for (char ch : channel) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) {
      PQfinish(c);
      return makeError(Errc::kInternal, "invalid channel name");
    }
  }
  PGresult* r = PQexec(c, ("LISTEN " + channel).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) {
    PQfinish(c);
    return makeError(Errc::kUnavailable, "LISTEN failed");
  }
  return std::unique_ptr<PgListener>(new PgListenerImpl(c));
}

}  // namespace sportello::sql
