#include "line/store.h"

#include "core/clock.h"
#include "platform/sql/columns.h"

namespace sportello::line::store {

std::vector<Migration> migrations() {
  return {{800, "line: desks (sportelli) and what they serve",
           R"sql(
CREATE TABLE line_desks (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  counter_id TEXT REFERENCES queue_counters(id) ON DELETE CASCADE,
  remote BIGINT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  priority_streak BIGINT NOT NULL
);
CREATE UNIQUE INDEX line_desks_operator_open ON line_desks(operator_id) WHERE closed_at IS NULL;
CREATE UNIQUE INDEX line_desks_counter_open ON line_desks(counter_id)
  WHERE closed_at IS NULL AND counter_id IS NOT NULL;
CREATE INDEX line_desks_ente_open ON line_desks(ente_id, closed_at);
CREATE TABLE line_desk_services (
  desk_id TEXT NOT NULL REFERENCES line_desks(id) ON DELETE CASCADE,
  service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  PRIMARY KEY (desk_id, service_id)
);
CREATE TABLE line_desk_offices (
  desk_id TEXT NOT NULL REFERENCES line_desks(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  PRIMARY KEY (desk_id, office_id)
);
)sql",
           ""}};
}

namespace {

const sql::Columns<StoredDesk> kDesk{
    sql::col<&StoredDesk::id>("d.id"),
    sql::col<&StoredDesk::enteId>("d.ente_id"),
    sql::col<&StoredDesk::operatorId>("d.operator_id"),
    sql::col<&StoredDesk::counterId>("d.counter_id"),
    sql::col<&StoredDesk::counterName>("k.name"),
    sql::col<&StoredDesk::siteId>("k.site_id"),
    sql::col<&StoredDesk::remote>("d.remote"),
    sql::col<&StoredDesk::openedAt>("d.opened_at"),
    sql::col<&StoredDesk::closedAt>("d.closed_at"),
    sql::col<&StoredDesk::priorityStreak>("d.priority_streak"),
};
const std::string kDeskCols =
    kDesk.select("FROM line_desks d LEFT JOIN queue_counters k ON k.id = d.counter_id ");

Result<StoredDesk> deskFrom(sql::Connection& c, const sql::Row& r) {
  StoredDesk d = kDesk.read(r);
  SP_ASSIGN(auto s, c.query("SELECT service_id FROM line_desk_services WHERE desk_id = ? ORDER BY "
                            "service_id",
                            {d.id}));
  for (auto& row : s) d.serviceIds.push_back(row.str(0));
  SP_ASSIGN(auto o, c.query("SELECT office_id FROM line_desk_offices WHERE desk_id = ? ORDER BY "
                            "office_id",
                            {d.id}));
  for (auto& row : o) d.officeIds.push_back(row.str(0));
  return d;
}

}  // namespace

Status openDesk(sql::Connection& c, const StoredDesk& d) {
  SP_TRY(c.exec("UPDATE line_desks SET closed_at = ? WHERE operator_id = ? AND closed_at IS NULL",
                {d.openedAt, d.operatorId}));
  if (d.counterId) {
    SP_ASSIGN(auto held, c.query("SELECT operator_id FROM line_desks WHERE counter_id = ? AND "
                                 "closed_at IS NULL",
                                 {*d.counterId}));
    if (!held.empty()) {
      Error e(Errc::kConflict, "questa postazione è già aperta da un altro operatore");
      e.reason = "busy";
      e.field = "counter_id";
      return e;
    }
  }
  SP_TRY(
      c.exec("INSERT INTO line_desks(id, ente_id, operator_id, counter_id, remote, opened_at, "
             "closed_at, priority_streak) VALUES (?, ?, ?, ?, ?, ?, NULL, 0)",
             {d.id, d.enteId, d.operatorId, sql::optText(d.counterId), int64_t{d.remote ? 1 : 0},
              d.openedAt}));
  for (const auto& s : d.serviceIds) {
    SP_TRY(c.exec("INSERT INTO line_desk_services(desk_id, service_id) VALUES (?, ?)", {d.id, s}));
  }
  for (const auto& o : d.officeIds) {
    SP_TRY(c.exec("INSERT INTO line_desk_offices(desk_id, office_id) VALUES (?, ?)", {d.id, o}));
  }
  return okStatus();
}

Result<std::optional<StoredDesk>> openDeskOf(sql::Connection& c, const std::string& operatorId) {
  SP_ASSIGN(auto rows,
            c.query(std::string(kDeskCols) + "WHERE d.operator_id = ? AND d.closed_at IS NULL",
                    {operatorId}));
  if (rows.empty()) return std::optional<StoredDesk>();
  SP_ASSIGN(auto d, deskFrom(c, rows[0]));
  return std::optional<StoredDesk>(std::move(d));
}

Result<std::vector<StoredDesk>> openDesks(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows,
            c.query(std::string(kDeskCols) + "WHERE d.ente_id = ? AND d.closed_at IS NULL ORDER BY "
                                             "d.opened_at, d.id",
                    {enteId}));
  std::vector<StoredDesk> out;
  for (auto& r : rows) {
    SP_ASSIGN(auto d, deskFrom(c, r));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::optional<StoredDesk>> closeDeskOf(sql::Connection& c, const std::string& operatorId,
                                              int64_t now) {
  SP_ASSIGN(auto d, openDeskOf(c, operatorId));
  if (!d) return d;
  SP_TRY(c.exec("UPDATE line_desks SET closed_at = ? WHERE id = ?", {now, d->id}));
  d->closedAt = now;
  return d;
}

Status setStreak(sql::Connection& c, const std::string& deskId, int streak) {
  SP_TRY(
      c.exec("UPDATE line_desks SET priority_streak = ? WHERE id = ?", {int64_t{streak}, deskId}));
  return okStatus();
}

Result<std::vector<Waiting>> remoteEntries(sql::Connection& c, const StoredDesk& desk, int64_t now,
                                           int64_t perOffice) {
  std::vector<Waiting> out;
  for (const auto& office : desk.officeIds) {
    // Appointment visits have knock numbers below every walk-in's: they come first here.
    SP_ASSIGN(auto visits,
              c.query("SELECT v.id, v.knocked_at, v.knock_no, v.channel, v.reserved_for, "
                      "(SELECT b.start_utc FROM bookings b WHERE b.visit_id = v.id), v.name, "
                      "v.topic, v.mode, o.name FROM visits v JOIN offices o ON o.id = "
                      "v.office_id WHERE v.office_id = ? AND v.state = 'waiting' AND "
                      "v.away_since IS NULL AND (v.reserved_for IS NULL OR v.reserved_for = ?) "
                      "ORDER BY v.knock_no LIMIT ?",
                      {office, desk.operatorId, perOffice}));
    for (auto& r : visits) {
      Waiting w;
      w.entry.id = r.str(0);
      w.entry.channel = Channel::kVisit;
      w.entry.officeId = office;
      w.entry.arrivedAt = SysMillis(std::chrono::milliseconds(r.i64(1)));
      w.entry.number = r.i64(2);
      if (r.str(3) == "appointment") {
        int64_t at = r.isNull(5) ? r.i64(1) : r.i64(5);
        w.entry.appointmentAt = SysMillis(std::chrono::milliseconds(at));
      }
      w.entry.reservedFor = r.optStr(4).value_or("");
      VisitShown shown{r.str(6), r.str(7), r.str(8), r.str(3), office, r.str(9), {}, r.i64(1)};
      if (w.entry.appointmentAt) {
        shown.appointmentAt = w.entry.appointmentAt->time_since_epoch().count();
      }
      w.show = std::move(shown);
      out.push_back(std::move(w));
    }
    SP_ASSIGN(auto calls,
              c.query("SELECT b.id, b.due_at, b.operator_id, k.code, k.subject, o.name, "
                      "b.in_line, b.created_at, b.phone FROM "
                      "case_callbacks b JOIN cases k ON k.id = b.case_id JOIN offices o ON o.id "
                      "= b.office_id WHERE b.office_id = ? AND b.done_at IS NULL AND b.taken_at "
                      "IS NULL AND b.due_at <= ? AND (b.operator_id IS NULL OR b.operator_id = "
                      "?) ORDER BY b.due_at LIMIT ?",
                      {office, now, desk.operatorId, perOffice}));
    for (auto& r : calls) {
      Waiting w;
      w.entry.id = r.str(0);
      w.entry.channel = Channel::kCallback;
      w.entry.officeId = office;
      // A promised callback is due at its time (class a); a phone call logged as waiting is
      // one more arrival, at the time of the call (class c).
      bool inLine = r.i64(6) != 0;
      int64_t arrived = inLine ? r.i64(7) : r.i64(1);
      w.entry.arrivedAt = SysMillis(std::chrono::milliseconds(arrived));
      if (!inLine) w.entry.appointmentAt = w.entry.arrivedAt;
      w.entry.reservedFor = r.optStr(2).value_or("");
      CallbackShown shown{r.str(3), r.str(4), office, r.str(5), {}, inLine, arrived};
      if (!inLine) shown.appointmentAt = r.i64(1);
      w.show = std::move(shown);
      out.push_back(std::move(w));
    }
  }
  return out;
}

Result<std::map<std::string, WallLine>> wallLines(sql::Connection& c, const std::string& enteId,
                                                  const std::string& siteId, int64_t now) {
  std::map<std::string, WallLine> out;
  // Knocks in line: waiting and connected (a page gone or set aside is not waiting for anyone).
  SP_ASSIGN(auto visits,
            c.query("SELECT office_id, channel, COUNT(*), MIN(knocked_at) FROM visits WHERE "
                    "ente_id = ? AND state = 'waiting' AND away_since IS NULL GROUP BY "
                    "office_id, channel",
                    {enteId}));
  for (auto& r : visits) {
    auto& l = out[r.str(0)];
    (r.str(1) == "appointment" ? l.appointments : l.knocks).add(r.i64(2), r.i64(3));
  }
  std::string q =
      "SELECT s.office_id, t.priority, COUNT(*), MIN(t.issued_at) FROM queue_tickets t JOIN "
      "services s ON s.id = t.service_id WHERE t.ente_id = ? AND t.state = 'waiting' AND "
      "s.office_id IS NOT NULL";
  std::vector<sql::Value> p{enteId};
  if (!siteId.empty()) {
    q += " AND t.site_id = ?";
    p.push_back(siteId);
  }
  q += " GROUP BY s.office_id, t.priority";
  SP_ASSIGN(auto tickets, c.query(q, p));
  for (auto& r : tickets) {
    auto& l = out[r.str(0)];
    (r.str(1) == "appointment" ? l.appointments : l.tickets).add(r.i64(2), r.i64(3));
  }
  // A promised callback waits from its due time; a phone call logged as waiting from the call.
  SP_ASSIGN(auto calls,
            c.query("SELECT office_id, COUNT(*), MIN(CASE WHEN in_line = 1 THEN created_at ELSE "
                    "due_at END) FROM case_callbacks WHERE ente_id = ? AND done_at IS NULL AND "
                    "taken_at IS NULL AND due_at <= ? GROUP BY office_id",
                    {enteId, now}));
  for (auto& r : calls) out[r.str(0)].callbacks.add(r.i64(1), r.i64(2));
  return out;
}

}  // namespace sportello::line::store
