// iCalendar (RFC 5545) rendering of one appointment: a VCALENDAR with one VEVENT, CRLF line
// ends, TEXT values escaped (\\ ; , and newlines) and lines folded at 75 octets without
// splitting a UTF-8 character. Times are UTC (DTSTART:20261201T083000Z). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sportello::booking {

struct IcsEvent {
  std::string uid;  // globally unique, e.g. "{booking id}@sportello"
  int64_t stampMs = 0, startMs = 0, endMs = 0;
  std::string summary, location, description, url;
  int64_t sequence = 0;    // grows with each change, so calendars replace the event
  bool cancelled = false;  // STATUS:CANCELLED (METHOD stays PUBLISH)
};

// The escaped TEXT value (RFC 5545 §3.3.11).
std::string icsEscape(std::string_view s);
// "20261201T083000Z".
std::string icsTime(int64_t ms);
std::string renderIcs(const IcsEvent& e);

}  // namespace sportello::booking
