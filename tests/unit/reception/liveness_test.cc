#include <gtest/gtest.h>

#include "reception/model/visit.h"

namespace sportello::reception {
namespace {

constexpr LivenessRules kRules{60'000, 600'000};

TEST(Liveness, ByTimeSinceLastSeen) {
  int64_t seen = 1'000'000;
  EXPECT_EQ(livenessOf(seen, seen, kRules), Liveness::kConnected);
  EXPECT_EQ(livenessOf(seen, seen + 59'999, kRules), Liveness::kConnected);
  EXPECT_EQ(livenessOf(seen, seen + 60'000, kRules), Liveness::kDisconnected);
  EXPECT_EQ(livenessOf(seen, seen + 599'999, kRules), Liveness::kDisconnected);
  EXPECT_EQ(livenessOf(seen, seen + 600'000, kRules), Liveness::kGone);
  // Never followed live (an API client): what it set is kept.
  EXPECT_EQ(livenessOf(0, seen + 10'000'000, kRules), Liveness::kConnected);
  // A clock that went back (another node slightly behind) is not an absence.
  EXPECT_EQ(livenessOf(seen, seen - 5'000, kRules), Liveness::kConnected);
}

TEST(Liveness, WaitingEntryDisconnectedThenGone) {
  LiveFacts f;
  EXPECT_FALSE(livenessSteps(f).any());
  f.citizen = Liveness::kDisconnected;
  auto s = livenessSteps(f);
  EXPECT_TRUE(s.markAway);
  EXPECT_FALSE(s.leaveLine);
  f.markedAway = true;
  EXPECT_FALSE(livenessSteps(f).any()) << "marked once, then it keeps its place";
  f.citizen = Liveness::kGone;
  s = livenessSteps(f);
  EXPECT_TRUE(s.leaveLine);
  EXPECT_FALSE(s.markAway);
  // Gone without ever being seen as disconnected (the sweep did not run meanwhile).
  f.markedAway = false;
  s = livenessSteps(f);
  EXPECT_TRUE(s.leaveLine);
  EXPECT_TRUE(s.markAway);
  EXPECT_FALSE(s.endCall || s.endConversation || s.backToLine);
}

TEST(Liveness, CallEndsWhenEitherPartyIsGone) {
  LiveFacts f{VisitState::kAdmitted, CallState::kActive, false, Liveness::kConnected,
              Liveness::kConnected};
  EXPECT_FALSE(livenessSteps(f).any());
  f.op = Liveness::kDisconnected;
  auto s = livenessSteps(f);
  EXPECT_TRUE(s.endCall);
  EXPECT_FALSE(s.markAway) << "the citizen is still there";
  EXPECT_FALSE(s.backToLine);
  f.op = Liveness::kConnected;
  f.call = CallState::kProposed;
  f.citizen = Liveness::kDisconnected;
  s = livenessSteps(f);
  EXPECT_TRUE(s.endCall);
  EXPECT_TRUE(s.markAway);
  EXPECT_FALSE(s.endConversation);
  // A chat (no call) with the citizen away: only shown as disconnected.
  f.call = CallState::kNone;
  s = livenessSteps(f);
  EXPECT_FALSE(s.endCall);
  EXPECT_TRUE(s.markAway);
}

TEST(Liveness, ConversationEndsOrGoesBackToTheLine) {
  LiveFacts f{VisitState::kAdmitted, CallState::kNone, true, Liveness::kGone, Liveness::kConnected};
  auto s = livenessSteps(f);
  EXPECT_TRUE(s.endConversation);
  EXPECT_FALSE(s.backToLine);
  // Both gone: nobody to give it back to, it ends.
  f.op = Liveness::kGone;
  s = livenessSteps(f);
  EXPECT_TRUE(s.endConversation);
  EXPECT_FALSE(s.backToLine);
  // The operator's console is gone for good, the citizen is waiting for an answer.
  f = {VisitState::kAdmitted, CallState::kNone, false, Liveness::kConnected, Liveness::kGone};
  s = livenessSteps(f);
  EXPECT_TRUE(s.backToLine);
  EXPECT_FALSE(s.endConversation);
}

TEST(Liveness, EndedVisitsAreLeftAlone) {
  for (auto st : {VisitState::kEnded, VisitState::kLeft, VisitState::kRejected}) {
    LiveFacts f{st, CallState::kNone, false, Liveness::kGone, Liveness::kGone};
    EXPECT_FALSE(livenessSteps(f).any()) << name(st);
  }
}

constexpr LivenessRules kAsk{60'000, 600'000, 900'000, 180'000};

TEST(Liveness, AskedWhenIdleLongAndOnlyOnce) {
  int64_t here = 1'000'000;
  auto due = [&](int64_t now, std::optional<int64_t> asked = {}, bool away = false,
                 Liveness page = Liveness::kConnected, VisitState st = VisitState::kWaiting) {
    return askDue(st, away, page, here, asked, now, kAsk);
  };
  EXPECT_FALSE(due(here + 899'999));
  EXPECT_TRUE(due(here + 900'000));
  EXPECT_FALSE(due(here + 900'000, here + 900'000)) << "already asked";
  EXPECT_FALSE(due(here + 900'000, {}, true)) << "set aside already";
  EXPECT_FALSE(due(here + 900'000, {}, false, Liveness::kDisconnected)) << "no page to ask";
  EXPECT_FALSE(due(here + 900'000, {}, false, Liveness::kConnected, VisitState::kAdmitted))
      << "in conversation: not asked";
  LivenessRules never = kAsk;
  never.askAfterMs = 0;
  EXPECT_FALSE(askDue(VisitState::kWaiting, false, Liveness::kConnected, here, {},
                      here + 1'000'000'000, never));
}

TEST(Liveness, AnUnansweredQuestionCountsAsAPageGoneSinceAsked) {
  int64_t asked = 5'000'000;
  EXPECT_EQ(questionLiveness({}, asked + 1'000'000'000, kAsk), Liveness::kConnected);
  EXPECT_EQ(questionLiveness(asked, asked + 179'999, kAsk), Liveness::kConnected);
  EXPECT_EQ(questionLiveness(asked, asked + 180'000, kAsk), Liveness::kDisconnected);
  EXPECT_EQ(questionLiveness(asked, asked + 599'999, kAsk), Liveness::kDisconnected);
  EXPECT_EQ(questionLiveness(asked, asked + 600'000, kAsk), Liveness::kGone);
  // An answer window longer than the place is kept: gone once the window is over.
  LivenessRules slow{60'000, 100'000, 900'000, 300'000};
  EXPECT_EQ(questionLiveness(asked, asked + 299'999, slow), Liveness::kConnected);
  EXPECT_EQ(questionLiveness(asked, asked + 300'000, slow), Liveness::kGone);
  EXPECT_EQ(worse(Liveness::kConnected, Liveness::kDisconnected), Liveness::kDisconnected);
  EXPECT_EQ(worse(Liveness::kGone, Liveness::kDisconnected), Liveness::kGone);
}

TEST(Liveness, AskStepOnlyForAConnectedWaitingEntry) {
  LiveFacts f;
  f.askDue = true;
  auto s = livenessSteps(f);
  EXPECT_TRUE(s.ask);
  EXPECT_FALSE(s.markAway || s.leaveLine);
  f.citizen = Liveness::kDisconnected;
  s = livenessSteps(f);
  EXPECT_FALSE(s.ask);
  EXPECT_TRUE(s.markAway);
  f = LiveFacts{VisitState::kAdmitted, CallState::kNone,     false,
                Liveness::kConnected,  Liveness::kConnected, true};
  EXPECT_FALSE(livenessSteps(f).any());
}

}  // namespace
}  // namespace sportello::reception
