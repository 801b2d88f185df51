#include "queue/store.h"

#include "core/enum_names.h"
#include "platform/sql/columns.h"

namespace sportello::queue {

namespace {
constexpr auto kCounterStates = enumNames<CounterState>({{CounterState::kClosed, "closed"},
                                                         {CounterState::kOpen, "open"},
                                                         {CounterState::kPaused, "paused"}});
static_assert(kCounterStates.distinct());
constexpr auto kTicketStates = enumNames<TicketState>({{TicketState::kWaiting, "waiting"},
                                                       {TicketState::kCalled, "called"},
                                                       {TicketState::kServing, "serving"},
                                                       {TicketState::kDone, "done"},
                                                       {TicketState::kNoShow, "no_show"},
                                                       {TicketState::kCancelled, "cancelled"},
                                                       {TicketState::kExpired, "expired"}});
static_assert(kTicketStates.distinct());
}  // namespace

const char* counterStateName(CounterState s) {
  return kCounterStates.name(s);
}

std::optional<CounterState> parseCounterState(std::string_view s) {
  return kCounterStates.parse(s);
}

const char* ticketStateName(TicketState s) {
  return kTicketStates.name(s);
}

std::optional<TicketState> parseTicketState(std::string_view s) {
  return kTicketStates.parse(s);
}

}  // namespace sportello::queue

namespace sportello::queue::store {

std::vector<Migration> migrations() {
  return {{500, "queue",
           R"sql(
CREATE TABLE queue_counters (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  priority_streak BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (site_id, name)
);
CREATE TABLE queue_counter_services (
  counter_id TEXT NOT NULL REFERENCES queue_counters(id) ON DELETE CASCADE,
  service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  PRIMARY KEY (counter_id, service_id)
);
CREATE TABLE queue_sequences (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  last_number BIGINT NOT NULL,
  last_issued_at BIGINT NOT NULL,
  PRIMARY KEY (site_id, service_id)
);
CREATE TABLE queue_tickets (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  numbered_by TEXT NOT NULL,
  code TEXT NOT NULL,
  number BIGINT NOT NULL,
  day TEXT NOT NULL,
  priority TEXT NOT NULL,
  appointment_at BIGINT,
  source TEXT NOT NULL,
  lang TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  client_key TEXT NOT NULL,
  state TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  called_at BIGINT,
  started_at BIGINT,
  ended_at BIGINT,
  counter_id TEXT REFERENCES queue_counters(id) ON DELETE SET NULL,
  recalls BIGINT NOT NULL,
  transferred_from TEXT,
  transferred_at BIGINT,
  UNIQUE (site_id, numbered_by, day, number)
);
CREATE INDEX queue_tickets_waiting ON queue_tickets(site_id, state, service_id, issued_at);
CREATE INDEX queue_tickets_counter ON queue_tickets(counter_id, state);
CREATE INDEX queue_tickets_client ON queue_tickets(client_key, service_id, state);
CREATE TABLE queue_ticket_history (
  ticket_id TEXT NOT NULL REFERENCES queue_tickets(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  counter_id TEXT REFERENCES queue_counters(id) ON DELETE SET NULL,
  operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
  detail TEXT
);
CREATE INDEX queue_ticket_history_ticket ON queue_ticket_history(ticket_id, at);
)sql",
           ""},
          {501, "queue counters can be deactivated; indexes for statistics and the wait estimate",
           R"sql(
ALTER TABLE queue_counters ADD COLUMN active BIGINT NOT NULL DEFAULT 1;
CREATE INDEX queue_tickets_issued ON queue_tickets(site_id, issued_at);
CREATE INDEX queue_tickets_done ON queue_tickets(service_id, state, ended_at);
CREATE INDEX queue_tickets_call ON queue_tickets(site_id, state, service_id, priority, issued_at);
)sql",
           ""},
          {502, "closing the day: tickets still open on an earlier day, per ente",
           "CREATE INDEX queue_tickets_open_day ON queue_tickets(ente_id, state, day);", ""}};
}

namespace {

sql::Value optI64(const std::optional<int64_t>& v) {
  return v ? sql::Value(*v) : sql::null();
}

Result<std::vector<std::string>> servicesOf(sql::Connection& c, const std::string& counterId) {
  SP_ASSIGN(auto rows, c.query("SELECT cs.service_id FROM queue_counter_services cs JOIN services "
                               "s ON s.id = cs.service_id WHERE cs.counter_id = ? ORDER BY "
                               "s.prefix",
                               {counterId}));
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.str(0));
  return out;
}

const sql::Columns<Counter> kCounter{
    sql::col<&Counter::id>("id"),
    sql::col<&Counter::enteId>("ente_id"),
    sql::col<&Counter::siteId>("site_id"),
    sql::col<&Counter::name>("name"),
    {"state",
     [](Counter& k, sql::RowReader& r) {
       k.state = parseCounterState(r.str()).value_or(CounterState::kClosed);
     }},
    sql::col<&Counter::consecutivePriorityCalls>("priority_streak"),
    sql::col<&Counter::active>("active"),
};

Counter counterFrom(const sql::Row& r) {
  return kCounter.read(r);
}

const std::string kCounterCols = kCounter.select("FROM queue_counters ");

const sql::Columns<StoredTicket> kTicket{
    sql::col<&StoredTicket::id>("t.id"),
    sql::col<&StoredTicket::enteId>("t.ente_id"),
    sql::col<&StoredTicket::siteId>("t.site_id"),
    sql::col<&StoredTicket::serviceId>("t.service_id"),
    sql::col<&StoredTicket::serviceName>("s.name"),
    sql::col<&StoredTicket::servicePrefix>("s.prefix"),
    sql::col<&StoredTicket::numberedBy>("t.numbered_by"),
    sql::col<&StoredTicket::code>("t.code"),
    sql::col<&StoredTicket::day>("t.day"),
    sql::col<&StoredTicket::number>("t.number"),
    {"t.priority",
     [](StoredTicket& t, sql::RowReader& r) {
       t.priority = parsePriorityReason(r.str()).value_or(PriorityReason::kNone);
     }},
    sql::col<&StoredTicket::appointmentAt>("t.appointment_at"),
    sql::col<&StoredTicket::source>("t.source"),
    sql::col<&StoredTicket::lang>("t.lang"),
    sql::col<&StoredTicket::tokenHash>("t.token_hash"),
    sql::col<&StoredTicket::clientKey>("t.client_key"),
    {"t.state",
     [](StoredTicket& t, sql::RowReader& r) {
       t.state = parseTicketState(r.str()).value_or(TicketState::kDone);
     }},
    sql::col<&StoredTicket::issuedAt>("t.issued_at"),
    sql::col<&StoredTicket::calledAt>("t.called_at"),
    sql::col<&StoredTicket::startedAt>("t.started_at"),
    sql::col<&StoredTicket::endedAt>("t.ended_at"),
    sql::col<&StoredTicket::counterId>("t.counter_id"),
    sql::col<&StoredTicket::counterName>("k.name"),
    sql::col<&StoredTicket::recalls>("t.recalls"),
    sql::col<&StoredTicket::transferredFrom>("t.transferred_from"),
    sql::col<&StoredTicket::transferredAt>("t.transferred_at"),
};

const std::string kTicketCols = kTicket.select(
    "FROM queue_tickets t JOIN services s ON s.id = t.service_id LEFT JOIN queue_counters k ON "
    "k.id = t.counter_id ");

StoredTicket ticketFrom(const sql::Row& r) {
  return kTicket.read(r);
}

}  // namespace

Status insertCounter(sql::Connection& c, const Counter& k, int64_t now) {
  SP_TRY(
      c.exec("INSERT INTO queue_counters(id, ente_id, site_id, name, state, priority_streak, "
             "created_at) VALUES(?,?,?,?,?,0,?)",
             {k.id, k.enteId, k.siteId, k.name, counterStateName(k.state), now}));
  for (const auto& s : k.serviceIds) {
    SP_TRY(
        c.exec("INSERT INTO queue_counter_services(counter_id, service_id) VALUES(?,?) "
               "ON CONFLICT DO NOTHING",
               {k.id, s}));
  }
  return okStatus();
}

Result<Counter> counter(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kCounterCols) + "WHERE id = ?", {id}, "postazione"));
  Counter k = counterFrom(r);
  SP_ASSIGN(k.serviceIds, servicesOf(c, k.id));
  return k;
}

Result<std::vector<Counter>> counters(sql::Connection& c, const std::string& enteId,
                                      const std::string& siteId) {
  SP_ASSIGN(auto rows, c.query(std::string(kCounterCols) +
                                   "WHERE ente_id = ? AND (? = '' OR site_id = ?) ORDER BY name",
                               {enteId, siteId, siteId}));
  std::vector<Counter> out;
  for (auto& r : rows) {
    Counter k = counterFrom(r);
    SP_ASSIGN(k.serviceIds, servicesOf(c, k.id));
    out.push_back(std::move(k));
  }
  return out;
}

Status setCounterState(sql::Connection& c, const std::string& id, CounterState s,
                       int consecutivePriorityCalls) {
  SP_TRY(c.exec("UPDATE queue_counters SET state = ?, priority_streak = ? WHERE id = ?",
                {counterStateName(s), static_cast<int64_t>(consecutivePriorityCalls), id}));
  return okStatus();
}

Result<std::optional<std::pair<int64_t, int64_t>>> lockSequence(sql::Connection& c,
                                                                const std::string& siteId,
                                                                const std::string& serviceId) {
  // One statement creates the row if needed, takes its lock (PostgreSQL: the row lock of the
  // upsert, held until the commit) and reads the last number as committed.
  SP_ASSIGN(auto r, c.one("INSERT INTO queue_sequences(site_id, service_id, last_number, "
                          "last_issued_at) VALUES(?, ?, 0, 0) ON CONFLICT (site_id, service_id) "
                          "DO UPDATE SET last_number = queue_sequences.last_number RETURNING "
                          "last_number, last_issued_at",
                          {siteId, serviceId}));
  using Last = std::optional<std::pair<int64_t, int64_t>>;
  if (r.i64(0) == 0) return Last();
  return Last(std::make_pair(r.i64(0), r.i64(1)));
}

Status setLastIssued(sql::Connection& c, const std::string& siteId, const std::string& serviceId,
                     int64_t number, int64_t at) {
  SP_TRY(
      c.exec("UPDATE queue_sequences SET last_number = ?, last_issued_at = ? WHERE site_id = ? "
             "AND service_id = ?",
             {number, at, siteId, serviceId}));
  return okStatus();
}

Status insertTicket(sql::Connection& c, const StoredTicket& t) {
  SP_TRY(c.exec(
      "INSERT INTO queue_tickets(id, ente_id, site_id, service_id, numbered_by, code, number, day, "
      "priority, appointment_at, source, lang, token_hash, client_key, state, issued_at, "
      "called_at, started_at, ended_at, counter_id, recalls, transferred_from, transferred_at) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,NULL,NULL,NULL,0,NULL,NULL)",
      {t.id, t.enteId, t.siteId, t.serviceId, t.numberedBy, t.code, t.number, t.day,
       priorityReasonName(t.priority), optI64(t.appointmentAt), t.source, t.lang, t.tokenHash,
       t.clientKey, ticketStateName(t.state), t.issuedAt}));
  return okStatus();
}

Result<StoredTicket> ticket(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kTicketCols) + "WHERE t.id = ?", {id}, "biglietto"));
  return ticketFrom(r);
}

Result<std::vector<StoredTicket>> ticketsOf(sql::Connection& c, const std::string& siteId,
                                            TicketState state, int64_t limit) {
  SP_ASSIGN(auto rows, c.query(std::string(kTicketCols) +
                                   "WHERE t.site_id = ? AND t.state = ? ORDER BY t.issued_at, "
                                   "t.number, t.id LIMIT ?",
                               {siteId, ticketStateName(state), limit}));
  std::vector<StoredTicket> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(ticketFrom(r));
  return out;
}

Result<std::vector<StoredTicket>> callCandidates(sql::Connection& c, const std::string& siteId,
                                                 const std::vector<std::string>& serviceIds,
                                                 int64_t oldestPerService) {
  std::vector<StoredTicket> out;
  for (const auto& service : serviceIds) {
    SP_ASSIGN(auto pri, c.query(std::string(kTicketCols) +
                                    "WHERE t.site_id = ? AND t.state = 'waiting' AND "
                                    "t.service_id = ? AND t.priority IN ('pregnancy', 'age', "
                                    "'disability', 'appointment')",
                                {siteId, service}));
    for (auto& r : pri) out.push_back(ticketFrom(r));
    SP_ASSIGN(auto normal, c.query(std::string(kTicketCols) +
                                       "WHERE t.site_id = ? AND t.state = 'waiting' AND "
                                       "t.service_id = ? AND t.priority = 'none' ORDER BY "
                                       "t.issued_at, t.number, t.id LIMIT ?",
                                   {siteId, service, oldestPerService}));
    for (auto& r : normal) out.push_back(ticketFrom(r));
  }
  return out;
}

Result<std::optional<StoredTicket>> currentOf(sql::Connection& c, const std::string& counterId) {
  SP_ASSIGN(auto rows, c.query(std::string(kTicketCols) +
                                   "WHERE t.counter_id = ? AND t.state IN ('called', 'serving') "
                                   "ORDER BY t.called_at DESC LIMIT 1",
                               {counterId}));
  if (rows.empty()) return std::optional<StoredTicket>();
  return std::optional<StoredTicket>(ticketFrom(rows[0]));
}

Result<bool> claim(sql::Connection& c, const std::string& ticketId, const std::string& counterId,
                   int64_t now) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE queue_tickets SET state = 'called', counter_id = ?, "
                              "called_at = ?, recalls = 0 WHERE id = ? AND state = 'waiting'",
                              {counterId, now, ticketId}));
  return n == 1;
}

Status update(sql::Connection& c, const StoredTicket& t) {
  SP_TRY(
      c.exec("UPDATE queue_tickets SET service_id = ?, state = ?, called_at = ?, "
             "started_at = ?, ended_at = ?, counter_id = ?, recalls = ?, transferred_from = ?, "
             "transferred_at = ? WHERE id = ?",
             {t.serviceId, ticketStateName(t.state), optI64(t.calledAt), optI64(t.startedAt),
              optI64(t.endedAt), sql::optText(t.counterId), t.recalls,
              sql::optText(t.transferredFrom), optI64(t.transferredAt), t.id}));
  return okStatus();
}

Result<int64_t> activePhoneTickets(sql::Connection& c, const std::string& siteId,
                                   const std::string& serviceId, const std::string& clientKey) {
  SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM queue_tickets WHERE client_key = ? AND "
                          "service_id = ? AND site_id = ? AND source = 'phone' AND state IN "
                          "('waiting', 'called', 'serving')",
                          {clientKey, serviceId, siteId}));
  return r.i64(0);
}

Status addHistory(sql::Connection& c, const std::string& ticketId, const std::string& action,
                  const std::optional<std::string>& counterId,
                  const std::optional<std::string>& operatorId,
                  const std::optional<std::string>& detail, int64_t at) {
  SP_TRY(
      c.exec("INSERT INTO queue_ticket_history(ticket_id, at, action, counter_id, "
             "operator_id, detail) VALUES(?,?,?,?,?,?)",
             {ticketId, at, action, sql::optText(counterId), sql::optText(operatorId),
              sql::optText(detail)}));
  return okStatus();
}

Result<std::vector<HistoryEntry>> history(sql::Connection& c, const std::string& ticketId) {
  SP_ASSIGN(auto rows, c.query("SELECT h.action, k.name, o.display_name, h.detail, h.at FROM "
                               "queue_ticket_history h LEFT JOIN queue_counters k ON k.id = "
                               "h.counter_id LEFT JOIN operators o ON o.id = h.operator_id WHERE "
                               "h.ticket_id = ? ORDER BY h.at, h.action",
                               {ticketId}));
  std::vector<HistoryEntry> out;
  for (auto& r : rows) {
    out.push_back({r.str(0), r.optStr(1), r.optStr(2), r.optStr(3), r.i64(4)});
  }
  return out;
}

Result<std::vector<StoredTicket>> staleTickets(sql::Connection& c, const std::string& enteId,
                                               const std::string& today, int64_t limit) {
  SP_ASSIGN(auto rows, c.query(std::string(kTicketCols) +
                                   "WHERE t.ente_id = ? AND t.state IN ('waiting', 'called') AND "
                                   "t.day < ? ORDER BY t.day, t.issued_at LIMIT ?",
                               {enteId, today, limit}));
  std::vector<StoredTicket> out;
  for (auto& r : rows) out.push_back(ticketFrom(r));
  return out;
}

Result<int64_t> waitingCount(sql::Connection& c, const std::string& siteId,
                             const std::string& serviceId) {
  SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM queue_tickets WHERE site_id = ? AND service_id = "
                          "? AND state = 'waiting'",
                          {siteId, serviceId}));
  return r.i64(0);
}

Result<int64_t> waitingBefore(sql::Connection& c, const std::string& siteId,
                              const std::string& serviceId, int64_t issuedAt,
                              const std::string& id) {
  SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM queue_tickets WHERE site_id = ? AND service_id = "
                          "? AND state = 'waiting' AND (issued_at < ? OR (issued_at = ? AND id < "
                          "?))",
                          {siteId, serviceId, issuedAt, issuedAt, id}));
  return r.i64(0);
}

Result<int64_t> openCountersFor(sql::Connection& c, const std::string& siteId,
                                const std::string& serviceId) {
  SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM queue_counters k JOIN queue_counter_services cs "
                          "ON cs.counter_id = k.id WHERE k.site_id = ? AND cs.service_id = ? AND "
                          "k.state = 'open' AND k.active = 1",
                          {siteId, serviceId}));
  return r.i64(0);
}

Result<std::vector<int64_t>> recentDurations(sql::Connection& c, const std::string& serviceId,
                                             int64_t n) {
  SP_ASSIGN(auto rows, c.query("SELECT ended_at - started_at FROM queue_tickets WHERE service_id "
                               "= ? AND state = 'done' AND started_at IS NOT NULL ORDER BY "
                               "ended_at DESC LIMIT ?",
                               {serviceId, n}));
  std::vector<int64_t> out;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) out.push_back(it->i64(0) / 1000);
  return out;
}

Result<std::vector<TicketFacts>> ticketFacts(sql::Connection& c, const std::string& siteId,
                                             int64_t from, int64_t to, int64_t limit) {
  SP_ASSIGN(auto rows, c.query("SELECT service_id, counter_id, state, issued_at, called_at, "
                               "started_at, ended_at FROM queue_tickets WHERE site_id = ? AND "
                               "issued_at >= ? AND issued_at < ? ORDER BY issued_at LIMIT ?",
                               {siteId, from, to, limit}));
  std::vector<TicketFacts> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    out.push_back({r.str(0), r.optStr(1), r.str(2), r.i64(3), r.optI64(4), r.optI64(5),
                   r.optI64(6)});
  }
  return out;
}

Status updateCounter(sql::Connection& c, const Counter& k) {
  SP_TRY(c.exec("UPDATE queue_counters SET name = ?, state = ?, priority_streak = ?, active = ? "
                "WHERE id = ?",
                {k.name, counterStateName(k.state),
                 static_cast<int64_t>(k.consecutivePriorityCalls), int64_t{k.active ? 1 : 0},
                 k.id}));
  SP_TRY(c.exec("DELETE FROM queue_counter_services WHERE counter_id = ?", {k.id}));
  for (const auto& s : k.serviceIds) {
    SP_TRY(c.exec("INSERT INTO queue_counter_services(counter_id, service_id) VALUES(?,?) "
                  "ON CONFLICT DO NOTHING",
                  {k.id, s}));
  }
  return okStatus();
}

Result<int64_t> forgetClientKeys(sql::Connection& c, int64_t before) {
  return c.exec("UPDATE queue_tickets SET client_key = '' WHERE issued_at < ? AND client_key <> ''",
                {before});
}

}  // namespace sportello::queue::store
