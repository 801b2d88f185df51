// The signalling bus of PostgreSQL installations (platform/signal_bus.h): one connection per
// node, owned by one thread, that LISTENs on `sportello_signals` (per schema: signalChannel)
// and sends each message with NOTIFY on the same channel.
//
// A NOTIFY payload must be shorter than 8000 bytes, and an SDP offer from Chromium with audio
// and video is ~5.4–6.2 KB before JSON escaping, ~7 KB once it lists its gathered candidates (the
// relay accepts SDPs up to 16 KiB). A message of up to kSignalInlineBytes travels inline in the
// payload ("<node> <message>"); a longer one is written to the UNLOGGED table `signal_relay`
// by the same statement that NOTIFYs its id ("<node> #<id>"), and each receiving node reads it
// by id before handing it on. Rows older than a minute are deleted (by every node, at its start
// and every 10 s).
// One connection both sends and reads, so a node's messages leave in the order they were
// published, and PostgreSQL delivers notifications in commit order.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "platform/database.h"
#include "platform/signal_bus.h"

namespace sportello {

inline constexpr const char* kSignalChannel = "sportello_signals";

// The channel of the installation whose tables live in `schema` (the connection's
// current_schema()): `sportello_signals` in `public`, else `sportello_signals:<schema>` (a hash
// of it past PostgreSQL's 63-byte names). NOTIFY is database-wide, so installations (or test
// runs) in other schemas of one database would otherwise hear each other, and read relay ids
// that are not in their own table.
std::string signalChannel(std::string_view schema);

// The longest message sent inline in the NOTIFY payload (the node id and a space come first).
inline constexpr size_t kSignalInlineBytes = 7000;

// The migration of the relay table (PostgreSQL; nothing on SQLite, which serves one node).
Migration signalRelayMigration();

// Connects and LISTENs before returning (so that nothing published after the node announced
// itself is missed: notifications wait in the connection until start()); if that fails the bus
// thread keeps trying every second. `nodeId` marks this node's own notifications, which it
// skips. The receiver runs on the bus thread.
std::unique_ptr<SignalBus> openPgSignalBus(std::string conninfo, std::string nodeId);

}  // namespace sportello
