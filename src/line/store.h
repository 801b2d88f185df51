// The one line's SQL (migration 800): desks and the services / offices they serve, and the
// reads that gather the line from its sources (queue tickets, reception visits, cases'
// callbacks). The sources own their rows: the line only reads them here; taking an entry goes
// through the source's own compare-and-set (queue/call.h, reception/admit.h,
// cases::lookup::takeCallback).
#pragma once

#include <map>

#include "line/types.h"
#include "platform/database.h"

namespace sportello::line::store {

std::vector<Migration> migrations();

// Opens `d` (id, ente, operator, counter/site, remote, services, offices, openedAt set) after
// closing any desk the operator still had open. kConflict (reason "busy") when another
// operator's open desk holds the counter.
Status openDesk(sql::Connection& c, const StoredDesk& d);
Result<std::optional<StoredDesk>> openDeskOf(sql::Connection& c, const std::string& operatorId);
// The ente's open desks (supervisors), oldest first.
Result<std::vector<StoredDesk>> openDesks(sql::Connection& c, const std::string& enteId);
// Closes the operator's open desk; the closed desk, if there was one.
Result<std::optional<StoredDesk>> closeDeskOf(sql::Connection& c, const std::string& operatorId,
                                              int64_t now);
Status setStreak(sql::Connection& c, const std::string& deskId, int streak);

// Remote entries for `desk`'s offices: waiting, connected visits (appointments first, then by
// knock), and callbacks due by `now`, not taken, not assigned to someone else; at most
// `perOffice` of each per office (the policy only ever takes the oldest of a class: the rest
// are spares when another node takes one first).
Result<std::vector<Waiting>> remoteEntries(sql::Connection& c, const StoredDesk& desk, int64_t now,
                                           int64_t perOffice);

// The supervisors' wall: what waits now in each office of the ente, by channel (offices with
// nobody waiting are absent). `siteId` non-empty: the hall tickets of that site only.
Result<std::map<std::string, WallLine>> wallLines(sql::Connection& c, const std::string& enteId,
                                                  const std::string& siteId, int64_t now);

}  // namespace sportello::line::store
