// The event log: numbered events per topic (platform/topic.h names them), appended inside the
// writer's transaction by Tx::emit and read back by the WebSocket catch-up, by the other nodes
// and by services that hand a client the seq to follow from. The one owner of the `events` and
// `event_topics` tables: nothing else reads or writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "platform/sql/sql.h"

namespace sportello {

// A committed event, as stored in the `events` table and sent to WebSocket
// subscribers.
struct Event {
  std::string topic;
  int64_t seq = 0;
  std::string type;
  std::string data;  // JSON text
  int64_t at = 0;    // ms since epoch
};

namespace eventlog {

// Appends the event (topic, type, data, at) inside the open transaction and returns the seq it
// got. With `notifyNode` (PostgreSQL) the same statement queues the NOTIFY that tells the other
// nodes, delivered when, and only if, the transaction commits. Every 64 events of a topic, what
// is older than `retention` events is dropped.
Result<int64_t> append(sql::Connection& c, const Event& e, int retention,
                       const std::string* notifyNode, const char* channel);

// The topic's current seq: the last event's number, 0 if it never had one.
Result<int64_t> currentSeq(sql::Connection& c, const std::string& topic);

// What a subscriber missed: the events after `after` (at most `limit`, in order), with the
// current seq and the oldest seq still kept (0 when none is), to tell a gap from a page.
struct Replay {
  int64_t current = 0;
  int64_t oldest = 0;
  std::vector<Event> events;
};
Result<Replay> replay(sql::Connection& c, const std::string& topic, int64_t after, int64_t limit);

// One event, if it is still kept (another node's, announced by NOTIFY).
Result<std::optional<Event>> find(sql::Connection& c, const std::string& topic, int64_t seq);

}  // namespace eventlog
}  // namespace sportello
