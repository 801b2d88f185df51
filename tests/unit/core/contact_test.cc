#include "core/contact.h"

#include <gtest/gtest.h>

#include <string>

namespace sportello::contact {
namespace {

TEST(ContactEmail, AcceptsWhatTheFormsAndTestsSend) {
  EXPECT_TRUE(validEmail("anna.rossi@example.org"));
  EXPECT_TRUE(validEmail("Mario.Bianchi@Example.it"));  // case kept and accepted
  EXPECT_TRUE(validEmail("a+tag@sub.comune.example.it"));
  EXPECT_TRUE(validEmail("p1.race@example.org"));
  EXPECT_TRUE(validEmail("a@b.it"));
  EXPECT_TRUE(validEmail(std::string(64, 'a') + "@b.it"));
}

TEST(ContactEmail, RefusesTyposAndHeaderInjection) {
  EXPECT_FALSE(validEmail(""));
  EXPECT_FALSE(validEmail("not-an-email"));
  EXPECT_FALSE(validEmail("@example.org"));
  EXPECT_FALSE(validEmail("anna@"));
  EXPECT_FALSE(validEmail("anna@localhost"));
  EXPECT_FALSE(validEmail("anna@example..org"));
  EXPECT_FALSE(validEmail("anna@.example.org"));
  EXPECT_FALSE(validEmail("anna@example.org."));
  EXPECT_FALSE(validEmail("a b@example.org"));
  EXPECT_FALSE(validEmail(" a@example.org"));
  EXPECT_FALSE(validEmail("a@b.it\r\nBcc: x@y.it"));
  EXPECT_FALSE(validEmail("a@b.it\n"));
  EXPECT_FALSE(validEmail(std::string("a@b.it\0x", 8)));
  EXPECT_FALSE(validEmail("<a@b.it>"));
  EXPECT_FALSE(validEmail("Anna <a@b.it>"));
  EXPECT_FALSE(validEmail("a@b@c.it"));
  EXPECT_FALSE(validEmail("a,b@c.it"));
  EXPECT_FALSE(validEmail("a;b@c.it"));
  EXPECT_FALSE(validEmail("\"a\"@c.it"));
  EXPECT_FALSE(validEmail("a@exa_mple.it"));
  EXPECT_FALSE(validEmail("niccolò@example.org"));
  EXPECT_FALSE(validEmail(std::string(65, 'a') + "@b.it"));
  EXPECT_FALSE(validEmail("a@" + std::string(250, 'b') + ".it"));
}

TEST(ContactPhone, AcceptsNumbersAsPeopleWriteThem) {
  EXPECT_TRUE(validPhone("+39 333 1234567"));
  EXPECT_TRUE(validPhone("333 1234567"));
  EXPECT_TRUE(validPhone("3331234567"));
  EXPECT_TRUE(validPhone("06/1234567"));
  EXPECT_TRUE(validPhone("333-123.4567"));
  EXPECT_TRUE(validPhone("123456"));            // 6 digits: the shortest
  EXPECT_TRUE(validPhone("+123456789012345"));  // 15 digits: the E.164 maximum
}

TEST(ContactPhone, RefusesWhatIsNotANumber) {
  EXPECT_FALSE(validPhone(""));
  EXPECT_FALSE(validPhone("abc"));
  EXPECT_FALSE(validPhone("call me"));
  EXPECT_FALSE(validPhone("non so"));
  EXPECT_FALSE(validPhone("12345"));             // too few digits
  EXPECT_FALSE(validPhone("1234567890123456"));  // too many
  EXPECT_FALSE(validPhone("39+333 1234567"));    // '+' only first
  EXPECT_FALSE(validPhone("++39 333 1234567"));
  EXPECT_FALSE(validPhone("(06) 1234567"));
  EXPECT_FALSE(validPhone("333  1234567"));  // doubled separator
  EXPECT_FALSE(validPhone(" 3331234567"));
  EXPECT_FALSE(validPhone("3331234567 "));
  EXPECT_FALSE(validPhone("333 1234567\r\n"));
  EXPECT_FALSE(validPhone("333 1234567x12"));
  EXPECT_FALSE(validPhone("+39 333 1234567 / 06 1234 5678 / 02 9876 5432"));  // > 32 chars
}

}  // namespace
}  // namespace sportello::contact
