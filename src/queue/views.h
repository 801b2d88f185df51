// What the queue's use cases answer, as typed values: the routes render them with `toJson`
// (the one place each answer's JSON shape is written), and the events that carry the same
// shape (a ticket or a counter on site:{id}:staff) are built from the same `toJson`. No token
// hash or client key is ever part of a view; the holder's token only in `IssuedTicket`.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/json_fields.h"
#include "queue/model/call_policy.h"
#include "queue/model/stats.h"
#include "queue/types.h"

namespace sportello::queue {

// GET …/sites/{site}/queue (public): the services served at the site and its counters, for
// the ticket machine, the phone page and the board.
struct ServiceLine {
  std::string id, prefix, name;
  bool open = false;
  int64_t waiting = 0;
  std::optional<int64_t> estimatedWaitS;  // unknown: no counter open and no history
  std::optional<std::chrono::sys_seconds> nextOpensAt;
};
struct CounterSign {
  std::string name;
  CounterState state = CounterState::kClosed;
};
struct SiteQueue {
  std::string siteId, siteName;
  std::vector<ServiceLine> services;
  std::vector<CounterSign> counters;  // active ones
  std::string boardTopic;
  int64_t boardSeq = 0;
};

// A ticket as its holder (or staff) follows it: the ticket, how many are ahead and the wait
// while it waits, the topics to follow; staff also see its history.
struct TicketView {
  StoredTicket ticket;
  std::optional<int64_t> ahead, estimatedWaitS;  // while waiting (the estimate may be unknown)
  std::optional<int64_t> countersOpen;  // while waiting: open counters serving its service
  std::string ticketTopic, boardTopic;
  int64_t ticketSeq = 0;
  std::optional<std::vector<HistoryEntry>> history;  // staff only
};

// A ticket just issued: its view, the holder's token (shown once), and for a ticket machine the
// link printed as a QR code on the paper ticket.
struct IssuedTicket {
  TicketView ticket;
  std::string token;
  std::optional<std::string> followUrl, qrSvg;
};

// A counter with the ticket it is handling (the console's counter list).
struct CounterDesk {
  Counter counter;
  std::optional<StoredTicket> current;
};

// The answer of call-next: the ticket called (none when nobody fitted), the counter after the
// call and the policy's class of the call.
struct CallResult {
  std::optional<StoredTicket> ticket;
  Counter counter;
  std::optional<CallKind> kind;
};

// Statistics of a site's tickets over [from, to).
struct NamedStats {
  std::string id, prefix, name;  // prefix: services only
  GroupStats stats;
};
struct SiteStats {
  std::string siteId, siteName;
  int64_t from = 0, to = 0;
  std::string timezone;
  bool truncated = false;  // more tickets than the statistics read
  GroupStats total;
  std::vector<NamedStats> services, counters;
};

// The ticket as its holder and staff see it (no token hash, no client key).
Json toJson(const StoredTicket& t);
Json toJson(const Counter& k);
Json toJson(const SiteQueue& q);
Json toJson(const TicketView& v);
Json toJson(const IssuedTicket& t);
Json toJson(const CounterDesk& d);
Json toJson(const CallResult& r);
Json toJson(const SiteStats& s);

}  // namespace sportello::queue
