#include "reception/model/visit.h"

#include <gtest/gtest.h>

namespace sportello::reception {
namespace {

TEST(VisitNames, RoundTrip) {
  for (auto s : {VisitState::kWaiting, VisitState::kAdmitted, VisitState::kEnded,
                 VisitState::kLeft, VisitState::kRejected}) {
    EXPECT_EQ(parseVisitState(name(s)), s);
  }
  for (auto o : {Outcome::kResolved, Outcome::kNeedsCallback, Outcome::kTransferred,
                 Outcome::kAbandoned}) {
    EXPECT_EQ(parseOutcome(name(o)), o);
  }
  EXPECT_EQ(parseMode("video"), Mode::kVideo);
  EXPECT_EQ(parseVisitChannel("kiosk"), VisitChannel::kKiosk);
  EXPECT_EQ(parseVisitChannel("appointment"), VisitChannel::kAppointment);
  EXPECT_STREQ(name(VisitChannel::kAppointment), "appointment");
  EXPECT_FALSE(parseMode("fax"));
  EXPECT_FALSE(parseVisitState("Waiting"));
  EXPECT_STREQ(scheduleChannel(Mode::kChat), "chat");
}

TEST(VisitTransitions, OnlyFromTheRightState) {
  EXPECT_TRUE(allowed(Action::kAdmit, VisitState::kWaiting).ok());
  auto second = allowed(Action::kAdmit, VisitState::kAdmitted);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::kConflict);
  EXPECT_NE(second.error().message.find("altro operatore"), std::string::npos);
  EXPECT_FALSE(allowed(Action::kAdmit, VisitState::kLeft).ok());
  EXPECT_TRUE(allowed(Action::kLeave, VisitState::kWaiting).ok());
  EXPECT_FALSE(allowed(Action::kLeave, VisitState::kAdmitted).ok());
  EXPECT_TRUE(allowed(Action::kTransfer, VisitState::kAdmitted).ok());
  EXPECT_TRUE(allowed(Action::kTransfer, VisitState::kWaiting).ok());
  EXPECT_FALSE(allowed(Action::kTransfer, VisitState::kEnded).ok());
  EXPECT_TRUE(allowed(Action::kMessage, VisitState::kAdmitted).ok());
  EXPECT_FALSE(allowed(Action::kMessage, VisitState::kWaiting).ok());
  EXPECT_FALSE(allowed(Action::kMessage, VisitState::kEnded).ok());
  EXPECT_TRUE(allowed(Action::kRate, VisitState::kEnded).ok());
  EXPECT_FALSE(allowed(Action::kRate, VisitState::kRejected).ok());
  EXPECT_FALSE(allowed(Action::kEnd, VisitState::kWaiting).ok());
  EXPECT_TRUE(allowed(Action::kSetOutcome, VisitState::kEnded).ok());
}

TEST(Rating, ReasonsOnlyAfterANonPositiveVote) {
  EXPECT_TRUE(validateRating(Score::kPositive, {}, "").ok());
  EXPECT_FALSE(validateRating(Score::kPositive, {"courtesy"}, "").ok());
  EXPECT_TRUE(validateRating(Score::kNegative, {"waiting_time", "not_solved"}, "lenti").ok());
  auto bad = validateRating(Score::kNeutral, {"rude"}, "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "reasons");
  EXPECT_FALSE(validateRating(Score::kNeutral, {"clarity", "clarity"}, "").ok());
  EXPECT_TRUE(validateRating(Score::kNeutral, {}, std::string(500, 'a')).ok());
  EXPECT_FALSE(validateRating(Score::kNeutral, {}, std::string(501, 'a')).ok());
  // 500 accented letters are 1000 bytes but 500 characters.
  std::string accents;
  for (int i = 0; i < 500; ++i) accents += "è";
  EXPECT_TRUE(validateRating(Score::kNeutral, {}, accents).ok());
}

TEST(WaitEstimate, SharedByOperatorsOnDuty) {
  const int64_t m = 60'000;
  EXPECT_EQ(estimatedWaitMs(0, 4 * m, 1), 0);
  EXPECT_EQ(estimatedWaitMs(1, 4 * m, 1), 2 * m);       // half a turn for the first free desk
  EXPECT_EQ(estimatedWaitMs(3, 4 * m, 1), 10 * m);      // two turns ahead + half
  EXPECT_EQ(estimatedWaitMs(3, 4 * m, 2), 5 * m);       // two operators halve it
  EXPECT_EQ(estimatedWaitMs(3, 4 * m, 0), 10 * m);      // nobody on duty: as if one
  EXPECT_EQ(estimatedWaitMs(1, 0, 1), kDefaultHandleMs / 2);  // no history yet
}

TEST(Utf8, CountsCodePointsAndRejectsInvalid) {
  EXPECT_EQ(utf8Length("abc"), 3u);
  EXPECT_EQ(utf8Length("perché €"), 8u);
  EXPECT_EQ(utf8Length("😀"), 1u);
  EXPECT_FALSE(utf8Length("\xC3"));
  EXPECT_FALSE(utf8Length("\xFF\xFE"));
}

TEST(Turn, RestApiCredentialMatchesCoturn) {
  // Reference computed independently: base64(HMAC-SHA1("north", "1700000000:visit123")).
  auto c = turnCredential("north", "visit123", 1700000000);
  EXPECT_EQ(c.username, "1700000000:visit123");
  EXPECT_EQ(c.credential, "6r2wFHHTQEmYv74jFKP6QDB3Ib8=");
  EXPECT_NE(turnCredential("south", "visit123", 1700000000).credential, c.credential);
}

}  // namespace
}  // namespace sportello::reception
