#include "platform/eventlog.h"

namespace sportello::eventlog {

Result<int64_t> append(sql::Connection& c, const Event& e, int retention,
                       const std::string* notifyNode, const char* channel) {
  int64_t seq = 0;
  if (notifyNode) {
    // PostgreSQL: one round trip assigns the sequence number, appends the event and queues the
    // NOTIFY for the other nodes.
    SP_ASSIGN(auto row,
              c.one("WITH s AS (INSERT INTO event_topics(topic, seq) VALUES(?, 1) "
                    "ON CONFLICT(topic) DO UPDATE SET seq = event_topics.seq + 1 "
                    "RETURNING seq) "
                    "INSERT INTO events(topic, seq, type, data, created_at) "
                    "SELECT ?, s.seq, ?, ?, ? FROM s "
                    "CROSS JOIN LATERAL (SELECT pg_notify(?, ? || ' ' || s.seq || ' ' || ?)) n "
                    "RETURNING seq",
                    {e.topic, e.topic, e.type, e.data, e.at, std::string(channel), *notifyNode,
                     e.topic}));
    seq = row.i64(0);
  } else {
    SP_ASSIGN(auto row, c.one("INSERT INTO event_topics(topic, seq) VALUES(?, 1) "
                              "ON CONFLICT(topic) DO UPDATE SET seq = event_topics.seq + 1 "
                              "RETURNING seq",
                              {e.topic}));
    seq = row.i64(0);
    SP_TRY(c.exec("INSERT INTO events(topic, seq, type, data, created_at) VALUES(?,?,?,?,?)",
                  {e.topic, seq, e.type, e.data, e.at}));
  }
  // Keep the log bounded: every 64 events of a topic, drop what is older than the window.
  if (seq % 64 == 0 && seq > retention) {
    SP_TRY(c.exec("DELETE FROM events WHERE topic = ? AND seq <= ?", {e.topic, seq - retention}));
  }
  return seq;
}

Result<int64_t> currentSeq(sql::Connection& c, const std::string& topic) {
  SP_ASSIGN(auto rows, c.query("SELECT seq FROM event_topics WHERE topic = ?", {topic}));
  return rows.empty() ? int64_t{0} : rows[0].i64(0);
}

Result<Replay> replay(sql::Connection& c, const std::string& topic, int64_t after, int64_t limit) {
  Replay rp;
  SP_ASSIGN(rp.current, currentSeq(c, topic));
  SP_ASSIGN(auto old, c.query("SELECT MIN(seq) FROM events WHERE topic = ?", {topic}));
  if (!old.empty() && !old[0].isNull(0)) rp.oldest = old[0].i64(0);
  SP_ASSIGN(auto rows, c.query("SELECT seq, type, data, created_at FROM events WHERE topic "
                               "= ? AND seq > ? ORDER BY seq LIMIT ?",
                               {topic, after, limit}));
  for (auto& row : rows) {
    rp.events.push_back(Event{topic, row.i64(0), row.str(1), row.str(2), row.i64(3)});
  }
  return rp;
}

Result<std::optional<Event>> find(sql::Connection& c, const std::string& topic, int64_t seq) {
  SP_ASSIGN(auto rows, c.query("SELECT type, data, created_at FROM events WHERE topic = ? AND "
                               "seq = ?",
                               {topic, seq}));
  if (rows.empty()) return std::optional<Event>();
  return std::optional<Event>(Event{topic, seq, rows[0].str(0), rows[0].str(1), rows[0].i64(2)});
}

}  // namespace sportello::eventlog
