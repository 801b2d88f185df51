// Unit tests for the iCalendar rendering (src/booking/model/ics.h).
#include "booking/model/ics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace sportello::booking {
namespace {

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t e = s.find("\r\n", pos);
    EXPECT_NE(e, std::string::npos) << "every line ends with CRLF";
    if (e == std::string::npos) break;
    out.push_back(s.substr(pos, e - pos));
    pos = e + 2;
  }
  return out;
}

TEST(Ics, EscapesTextValues) {
  EXPECT_EQ(icsEscape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
  EXPECT_EQ(icsEscape("ok\x01"), "ok");
}

TEST(Ics, UtcTimes) {
  // 2026-12-01T08:30:00Z
  EXPECT_EQ(icsTime(1796113800000LL), "20261201T083000Z");
}

TEST(Ics, RendersOneEventWithCrlfAndUid) {
  IcsEvent e;
  e.uid = "abc@sportello";
  e.stampMs = 1796113800000LL - 86400000LL;
  e.startMs = 1796113800000LL;
  e.endMs = 1796113800000LL + 30 * 60000LL;
  e.summary = "Appuntamento: Anagrafe, Comune di Esempio";
  e.location = "Piazza del Municipio 1";
  auto l = lines(renderIcs(e));
  ASSERT_GE(l.size(), 10u);
  EXPECT_EQ(l.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(l.back(), "END:VCALENDAR");
  auto has = [&](const std::string& x) { return std::find(l.begin(), l.end(), x) != l.end(); };
  EXPECT_TRUE(has("UID:abc@sportello"));
  EXPECT_TRUE(has("DTSTART:20261201T083000Z"));
  EXPECT_TRUE(has("DTEND:20261201T090000Z"));
  EXPECT_TRUE(has("SUMMARY:Appuntamento: Anagrafe\\, Comune di Esempio"));
  EXPECT_TRUE(has("STATUS:CONFIRMED"));
  EXPECT_TRUE(has("SEQUENCE:0"));
  e.sequence = 7;
  e.cancelled = true;
  auto c = lines(renderIcs(e));
  EXPECT_NE(std::find(c.begin(), c.end(), "SEQUENCE:7"), c.end());
  EXPECT_NE(std::find(c.begin(), c.end(), "STATUS:CANCELLED"), c.end());
}

TEST(Ics, FoldsLongLinesWithoutSplittingUtf8) {
  IcsEvent e;
  e.uid = "u";
  std::string d;
  for (int i = 0; i < 60; ++i) d += "è";  // 2 octets each
  e.description = d;
  std::string s = renderIcs(e);
  std::string unfolded;
  for (const auto& l : lines(s)) {
    EXPECT_LE(l.size(), 75u);
    if (!l.empty() && l[0] == ' ') {
      // A continuation never starts in the middle of a UTF-8 character.
      EXPECT_NE(static_cast<unsigned char>(l[1]) & 0xC0, 0x80);
      unfolded += l.substr(1);
    } else {
      unfolded += "\n" + l;
    }
  }
  EXPECT_NE(unfolded.find("DESCRIPTION:" + d), std::string::npos);
}

}  // namespace
}  // namespace sportello::booking
