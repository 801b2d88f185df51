#include "booking/model/ics.h"

#include <date/date.h>

#include <chrono>

namespace sportello::booking {

std::string icsEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        // Other control characters are not allowed in TEXT.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out += c;
    }
  }
  return out;
}

std::string icsTime(int64_t ms) {
  auto t = std::chrono::floor<std::chrono::seconds>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms)));
  return date::format("%Y%m%dT%H%M%SZ", t);
}

namespace {

// Appends one content line, folded at 75 octets (continuations start with a space).
void line(std::string& out, std::string_view l) {
  size_t limit = 75;
  while (l.size() > limit) {
    size_t cut = limit;
    // Never split inside a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(l[cut]) & 0xC0) == 0x80) --cut;
    out.append(l.substr(0, cut));
    out += "\r\n ";
    l.remove_prefix(cut);
    limit = 74;  // the leading space counts
  }
  out.append(l);
  out += "\r\n";
}

}  // namespace

std::string renderIcs(const IcsEvent& e) {
  std::string out;
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, "PRODID:-//Sportello//Prenotazioni//IT");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "METHOD:PUBLISH");
  line(out, "BEGIN:VEVENT");
  line(out, "UID:" + icsEscape(e.uid));
  line(out, "DTSTAMP:" + icsTime(e.stampMs));
  line(out, "SEQUENCE:" + std::to_string(e.sequence));
  line(out, "DTSTART:" + icsTime(e.startMs));
  line(out, "DTEND:" + icsTime(e.endMs));
  line(out, "SUMMARY:" + icsEscape(e.summary));
  if (!e.location.empty()) line(out, "LOCATION:" + icsEscape(e.location));
  if (!e.description.empty()) line(out, "DESCRIPTION:" + icsEscape(e.description));
  if (!e.url.empty()) line(out, "URL:" + e.url);
  line(out, std::string("STATUS:") + (e.cancelled ? "CANCELLED" : "CONFIRMED"));
  line(out, "END:VEVENT");
  line(out, "END:VCALENDAR");
  return out;
}

}  // namespace sportello::booking
