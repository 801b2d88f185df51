#include "core/token.h"

#include <gtest/gtest.h>

#include <set>

namespace sportello {
namespace {

class TokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initCrypto(); }
};

TEST_F(TokenTest, IdsAre128BitBase32AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = newId();
    ASSERT_EQ(id.size(), 26u);  // ceil(128 / 5)
    for (char c : id) ASSERT_NE(std::string("0123456789abcdefghjkmnpqrstvwxyz").find(c), std::string::npos);
    ASSERT_TRUE(seen.insert(id).second) << "duplicate id " << id;
  }
}

TEST_F(TokenTest, SecretsAre256BitBase64Url) {
  std::string s = newSecret();
  EXPECT_EQ(s.size(), 43u);
  for (char c : s) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  EXPECT_NE(newSecret(), newSecret());
}

TEST_F(TokenTest, RandomBitsAreSpread) {
  // Every symbol of the alphabet appears in 2000 ids' first character (not sequential).
  std::set<char> first;
  for (int i = 0; i < 2000; ++i) first.insert(newId()[0]);
  EXPECT_EQ(first.size(), 32u);
}

TEST_F(TokenTest, ReadableCodeAvoidsAmbiguousLetters) {
  for (int i = 0; i < 1000; ++i) {
    std::string c = readableCode(8);
    ASSERT_EQ(c.size(), 8u);
    for (char ch : std::string("01OIL")) ASSERT_EQ(c.find(ch), std::string::npos) << c;
  }
}

TEST_F(TokenTest, Sha256KnownVector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(TokenTest, SecretEqualsComparesExactly) {
  EXPECT_TRUE(secretEquals("abc", "abc"));
  EXPECT_FALSE(secretEquals("abc", "abd"));
  EXPECT_FALSE(secretEquals("abc", "ab"));
  EXPECT_FALSE(secretEquals("", "a"));
}

TEST_F(TokenTest, PasswordHashIsArgon2idWithRequiredCost) {
  std::string h = hashPassword("correct horse battery");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  // m ≥ 19 MiB (19456 KiB) and t ≥ 2, as encoded in the hash.
  EXPECT_NE(h.find("m=19456"), std::string::npos) << h;
  EXPECT_NE(h.find("t=2"), std::string::npos) << h;
  EXPECT_TRUE(verifyPassword(h, "correct horse battery"));
  EXPECT_FALSE(verifyPassword(h, "correct horse batterY"));
  EXPECT_NE(hashPassword("same"), hashPassword("same"));  // salted
}

}  // namespace
}  // namespace sportello
