#include "core/mime.h"

#include <gtest/gtest.h>

namespace sportello::mime {
namespace {

TEST(Mime, ValidAddress) {
  EXPECT_TRUE(validAddress("anna.rossi@example.org"));
  EXPECT_TRUE(validAddress("a+tag@sub.comune.example.it"));
  EXPECT_FALSE(validAddress(""));
  EXPECT_FALSE(validAddress("anna"));
  EXPECT_FALSE(validAddress("@example.org"));
  EXPECT_FALSE(validAddress("anna@localhost"));
  EXPECT_FALSE(validAddress("anna@example..org"));
  EXPECT_FALSE(validAddress("a b@example.org"));
  EXPECT_FALSE(validAddress("a@b.it\r\nBcc: x@y.it"));
  EXPECT_FALSE(validAddress("<a@b.it>"));
  EXPECT_FALSE(validAddress("a@b@c.it"));
  EXPECT_FALSE(validAddress("niccolò@example.org"));
  EXPECT_FALSE(validAddress(std::string(250, 'a') + "@b.it"));
}

TEST(Mime, BareAddress) {
  EXPECT_EQ(bareAddress("Comune di Esempio <urp@esempio.it>"), "urp@esempio.it");
  EXPECT_EQ(bareAddress("urp@esempio.it"), "urp@esempio.it");
}

TEST(Mime, HeaderWordsOnlyWhenNeededAndNeverSplitACharacter) {
  EXPECT_EQ(encodeHeaderWord("Appuntamento confermato"), "Appuntamento confermato");
  EXPECT_EQ(encodeHeaderWord("è"), "=?UTF-8?B?w6g=?=");
  // 30 × "è" = 60 bytes: two words, the first with 22 characters (44 bytes ≤ 45).
  std::string s;
  for (int i = 0; i < 30; ++i) s += "è";
  std::string w = encodeHeaderWord(s);
  auto fold = w.find("\r\n ");
  ASSERT_NE(fold, std::string::npos);
  EXPECT_LE(fold, 75u);
  EXPECT_EQ(w.substr(0, 10), "=?UTF-8?B?");
}

TEST(Mime, Base64LinesAre76Wide) {
  EXPECT_EQ(base64Lines("Man"), "TWFu\r\n");
  EXPECT_EQ(base64Lines("Ma"), "TWE=\r\n");
  EXPECT_EQ(base64Lines("M"), "TQ==\r\n");
  std::string b = base64Lines(std::string(100, 'x'));
  EXPECT_EQ(b.find("\r\n"), 76u);
}

TEST(Mime, BuildsPlainAndMultipartMessages) {
  Message m;
  m.from = "Comune di Città <urp@esempio.it>";
  m.to = "anna@example.org";
  m.subject = "Prenotazione confermata";
  m.messageId = "abc@esempio.it";
  m.dateMs = 1795435200000;  // 2026-11-23T12:00:00Z
  m.text = "Buongiorno";
  auto plain = build(m);
  ASSERT_TRUE(plain.ok());
  EXPECT_NE(plain->find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(plain->find(" <urp@esempio.it>\r\n"), std::string::npos);
  EXPECT_NE(plain->find("To: <anna@example.org>\r\n"), std::string::npos);
  EXPECT_NE(plain->find("Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(plain->find("Message-ID: <abc@esempio.it>\r\n"), std::string::npos);
  EXPECT_NE(plain->find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(plain->find("QnVvbmdpb3Jubw==\r\n"), std::string::npos);
  EXPECT_EQ(plain->find("multipart"), std::string::npos);

  m.boundary = "=_b1";
  m.attachments.push_back({"appuntamento.ics", "text/calendar; charset=UTF-8", "BEGIN:VCALENDAR"});
  m.attachments.push_back({"ricevuta è.pdf", "application/pdf", "%PDF"});
  auto multi = build(m);
  ASSERT_TRUE(multi.ok());
  EXPECT_NE(multi->find("Content-Type: multipart/mixed; boundary=\"=_b1\""), std::string::npos);
  EXPECT_NE(multi->find("filename=\"appuntamento.ics\""), std::string::npos);
  EXPECT_NE(multi->find("filename*=UTF-8''ricevuta%20%C3%A8.pdf"), std::string::npos);
  EXPECT_NE(multi->find("--=_b1--\r\n"), std::string::npos);
}

TEST(Mime, RefusesHeaderInjectionAndBadRecipients) {
  Message m;
  m.from = "urp@esempio.it";
  m.to = "anna@example.org";
  m.messageId = "x@y.it";
  m.subject = "Oggetto\r\nBcc: spia@example.org";
  EXPECT_EQ(build(m).error().code, Errc::kInvalid);
  m.subject = "Oggetto";
  m.to = "anna@example.org>\r\nBcc: <spia@example.org";
  EXPECT_EQ(build(m).error().code, Errc::kInvalid);
  m.to = "anna@example.org";
  m.attachments.push_back({"a\r\nX-Evil: 1", "text/plain", "x"});
  m.boundary = "b";
  EXPECT_EQ(build(m).error().code, Errc::kInvalid);
}

}  // namespace
}  // namespace sportello::mime
