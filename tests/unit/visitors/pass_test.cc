// Unit tests for the pass rules (src/visitors/model/pass.h): validity window, areas, enti and
// anti-passback. Times are ms; only their order matters.
#include "visitors/model/pass.h"

#include <gtest/gtest.h>

namespace sportello::visitors {
namespace {

constexpr int64_t kFrom = 1'000'000, kUntil = 2'000'000;

PassState pass() {
  PassState p;
  p.enteId = "e1";
  p.validFrom = kFrom;
  p.validUntil = kUntil;
  p.areas = {"social", "tax"};
  return p;
}
const Gate kSocial{"e1", "social"};
const Gate kTax{"e1", "tax"};

TEST(PassValidity, AllowsEntryInsideTheWindowOnly) {
  EXPECT_EQ(decide(pass(), kSocial, Direction::kIn, kFrom), CheckReason::kOk);
  EXPECT_EQ(decide(pass(), kSocial, Direction::kIn, kUntil - 1), CheckReason::kOk);
  EXPECT_EQ(decide(pass(), kSocial, Direction::kIn, kFrom - 1), CheckReason::kNotYetValid);
  EXPECT_EQ(decide(pass(), kSocial, Direction::kIn, kUntil), CheckReason::kExpired);
}

TEST(PassValidity, RefusesAnAreaNotOfTheDestination) {
  EXPECT_EQ(decide(pass(), Gate{"e1", "mayor"}, Direction::kIn, kFrom), CheckReason::kWrongArea);
}

TEST(PassValidity, RefusesAnotherEntesTurnstileFirst) {
  // Even with a matching area id and an expired, revoked pass: the ente is the first rule.
  PassState p = pass();
  p.revoked = true;
  EXPECT_EQ(decide(p, Gate{"e2", "social"}, Direction::kIn, kUntil + 5), CheckReason::kOtherEnte);
  p.insideArea = "social";
  EXPECT_EQ(decide(p, Gate{"e2", "social"}, Direction::kOut, kFrom), CheckReason::kOtherEnte);
}

TEST(PassValidity, RevokedBeforeTheWindow) {
  PassState p = pass();
  p.revoked = true;
  EXPECT_EQ(decide(p, kSocial, Direction::kIn, kFrom), CheckReason::kRevoked);
}

TEST(AntiPassback, NoSecondEntryWithoutAnExit) {
  PassState p = apply(pass(), kSocial, Direction::kIn);
  ASSERT_EQ(p.insideArea, "social");
  EXPECT_EQ(decide(p, kSocial, Direction::kIn, kFrom + 1), CheckReason::kAntiPassback);
  // Not into another area of the destination either, while inside the first one.
  EXPECT_EQ(decide(p, kTax, Direction::kIn, kFrom + 1), CheckReason::kAntiPassback);
  EXPECT_EQ(decide(p, kSocial, Direction::kOut, kFrom + 2), CheckReason::kOk);
  p = apply(p, kSocial, Direction::kOut);
  EXPECT_FALSE(p.insideArea);
  EXPECT_EQ(decide(p, kTax, Direction::kIn, kFrom + 3), CheckReason::kOk);
}

TEST(AntiPassback, NoExitWithoutAnEntryNorFromAnotherArea) {
  EXPECT_EQ(decide(pass(), kSocial, Direction::kOut, kFrom), CheckReason::kAntiPassback);
  PassState p = apply(pass(), kSocial, Direction::kIn);
  EXPECT_EQ(decide(p, kTax, Direction::kOut, kFrom), CheckReason::kWrongArea);
}

TEST(AntiPassback, ExitIsNeverRefusedForExpiryOrRevocation) {
  PassState p = apply(pass(), kSocial, Direction::kIn);
  p.revoked = true;
  EXPECT_EQ(decide(p, kSocial, Direction::kOut, kUntil + 3'600'000), CheckReason::kOk);
}

TEST(PassWindow, ExpectedDurationPlusGraceCappedAtTheDayEnd) {
  const int64_t now = 10 * 3'600'000;
  const int64_t midnight = 24 * 3'600'000;
  EXPECT_EQ(passUntil(now, 30, 15, midnight), now + 45 * 60'000);
  EXPECT_EQ(passUntil(now, 20 * 60, 15, midnight), midnight);
  EXPECT_EQ(passUntil(now, 0, 0, midnight), midnight);
}

TEST(PassRecord, KeepsOnlyTheDocumentsLastCharacters) {
  EXPECT_EQ(documentTail("ca 12345 ab"), "45AB");
  EXPECT_EQ(documentTail("AY1234567", 3), "567");
  EXPECT_EQ(documentTail("12"), "12");
  EXPECT_EQ(documentTail(" - "), "");
}

TEST(PassRecord, BadgeShowsTheFirstNameOnly) {
  EXPECT_EQ(badgeName("  Maria Grazia"), "Maria");
  EXPECT_EQ(badgeName(""), "");
  std::string longName(40, 'a');
  EXPECT_EQ(badgeName(longName).size(), 30u);
  // "è" is 2 bytes: a cut never splits it.
  std::string accented = std::string(29, 'a') + "\xC3\xA8";
  EXPECT_EQ(badgeName(accented), std::string(29, 'a'));
}

TEST(PassNames, RoundTrip) {
  EXPECT_EQ(parseDirection("in"), Direction::kIn);
  EXPECT_EQ(parseDirection("out"), Direction::kOut);
  EXPECT_FALSE(parseDirection("IN"));
  EXPECT_STREQ(reasonName(CheckReason::kAntiPassback), "anti_passback");
}

}  // namespace
}  // namespace sportello::visitors
