#include "platform/schema.h"

#include "platform/pg_signal_bus.h"
#include "platform/ratelimit.h"

namespace sportello {

std::vector<Migration> platformMigrations() {
  return {
      {100, "event log",
       R"sql(
CREATE TABLE event_topics (
  topic TEXT PRIMARY KEY,
  seq BIGINT NOT NULL
);
CREATE TABLE events (
  topic TEXT NOT NULL,
  seq BIGINT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (topic, seq)
);
)sql",
       ""},
      ratelimit::migration(),
      signalRelayMigration(),
  };
}

}  // namespace sportello
