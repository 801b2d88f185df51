#include "cases/model/case.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace sportello::cases {
namespace {

using S = CaseState;

TEST(CaseState, NamesRoundTrip) {
  for (auto s : allCaseStates()) EXPECT_EQ(parseCaseState(caseStateName(s)), s);
  EXPECT_FALSE(parseCaseState("open").has_value());
  EXPECT_STREQ(caseStateLabel(S::kInProgress), "in lavorazione");
  EXPECT_STREQ(caseStateLabel(S::kInProgress, "en"), "in progress");
}

// The whole table: every pair of states is either allowed or refused, as specified.
TEST(CaseState, TransitionTable) {
  std::set<std::pair<S, S>> allowed = {
      {S::kNew, S::kInProgress},
      {S::kNew, S::kWaitingCitizen},
      {S::kNew, S::kWaitingOffice},
      {S::kNew, S::kResolved},
      {S::kInProgress, S::kWaitingCitizen},
      {S::kInProgress, S::kWaitingOffice},
      {S::kInProgress, S::kResolved},
      {S::kWaitingCitizen, S::kInProgress},
      {S::kWaitingCitizen, S::kWaitingOffice},
      {S::kWaitingCitizen, S::kResolved},
      {S::kWaitingOffice, S::kInProgress},
      {S::kWaitingOffice, S::kWaitingCitizen},
      {S::kWaitingOffice, S::kResolved},
      {S::kResolved, S::kClosed},
      {S::kResolved, S::kInProgress},
      {S::kClosed, S::kInProgress},
  };
  int refused = 0;
  for (auto from : allCaseStates()) {
    for (auto to : allCaseStates()) {
      bool want = allowed.count({from, to}) > 0;
      EXPECT_EQ(transitionAllowed(from, to), want)
          << caseStateName(from) << " → " << caseStateName(to);
      auto st = checkTransition(from, to);
      EXPECT_EQ(st.ok(), want);
      if (!want) {
        ++refused;
        EXPECT_EQ(st.error().code, Errc::kConflict);
        EXPECT_EQ(st.error().reason, "transition");
      }
    }
  }
  EXPECT_EQ(refused, 36 - 16);
}

TEST(CaseState, ReopenAndOpen) {
  EXPECT_TRUE(isReopen(S::kResolved, S::kInProgress));
  EXPECT_TRUE(isReopen(S::kClosed, S::kInProgress));
  EXPECT_FALSE(isReopen(S::kWaitingCitizen, S::kInProgress));
  EXPECT_TRUE(isOpen(S::kNew));
  EXPECT_TRUE(isOpen(S::kWaitingOffice));
  EXPECT_FALSE(isOpen(S::kResolved));
  EXPECT_FALSE(isOpen(S::kClosed));
  // A closed case cannot be closed again, nor resolved directly.
  EXPECT_FALSE(transitionAllowed(S::kClosed, S::kClosed));
  EXPECT_FALSE(transitionAllowed(S::kClosed, S::kResolved));
  EXPECT_FALSE(transitionAllowed(S::kNew, S::kClosed));
}

TEST(CasePriority, DueDatesAndOverdue) {
  int64_t t0 = 1'000'000'000'000;
  int64_t day = 24LL * 3600 * 1000;
  EXPECT_EQ(defaultDueAt(Priority::kUrgent, t0), t0 + day);
  EXPECT_EQ(defaultDueAt(Priority::kHigh, t0), t0 + 5 * day);
  EXPECT_EQ(defaultDueAt(Priority::kNormal, t0), t0 + 30 * day);
  EXPECT_EQ(defaultDueAt(Priority::kLow, t0), t0 + 60 * day);
  EXPECT_TRUE(isOverdue(S::kInProgress, t0, t0 + 1));
  EXPECT_FALSE(isOverdue(S::kInProgress, t0, t0));
  EXPECT_FALSE(isOverdue(S::kResolved, t0, t0 + day));
  EXPECT_EQ(parsePriority("urgent"), Priority::kUrgent);
  EXPECT_FALSE(parsePriority("asap").has_value());
  EXPECT_EQ(parseChannel("walk_in"), Channel::kWalkIn);
  EXPECT_FALSE(parseChannel("fax").has_value());
}

TEST(TrackingCode, FormatAndNormalize) {
  EXPECT_EQ(formatTrackingCode("7K3QM9XD").value(), "PR-7K3Q-M9XD");
  EXPECT_FALSE(formatTrackingCode("7K3QM9X0").ok());  // 0 is not in the alphabet
  EXPECT_FALSE(formatTrackingCode("7K3QM9X").ok());
  EXPECT_EQ(normalizeTrackingCode("pr-7k3q-m9xd"), "PR-7K3Q-M9XD");
  EXPECT_EQ(normalizeTrackingCode(" 7K3Q M9XD "), "PR-7K3Q-M9XD");
  EXPECT_EQ(normalizeTrackingCode("PR7K3QM9XD"), "PR-7K3Q-M9XD");
  EXPECT_FALSE(normalizeTrackingCode("PR-7K3Q-M9XI").has_value());  // I is ambiguous
  EXPECT_FALSE(normalizeTrackingCode("' OR 1=1 --").has_value());
  EXPECT_FALSE(normalizeTrackingCode("").has_value());
  for (char ch : kCodeAlphabet) {
    EXPECT_TRUE(ch != '0' && ch != 'O' && ch != '1' && ch != 'I' && ch != 'L');
  }
}

TEST(FirstContact, ResolvedAtCreationOnly) {
  FcrFacts f;
  EXPECT_FALSE(firstContactResolved(f));
  f.resolvedAtCreation = true;
  EXPECT_TRUE(firstContactResolved(f));
  for (int which = 0; which < 4; ++which) {
    FcrFacts g = f;
    (which == 0   ? g.transfers
     : which == 1 ? g.escalations
     : which == 2 ? g.callbacks
                  : g.reopens) = 1;
    EXPECT_FALSE(firstContactResolved(g)) << which;
  }
  EXPECT_FALSE(fcrRate(0, 0).has_value());
  EXPECT_DOUBLE_EQ(*fcrRate(4, 5), 0.8);
  EXPECT_GE(*fcrRate(4, 5), kFcrTarget);
  EXPECT_DOUBLE_EQ(*fcrRate(9, 5), 1.0);
}

TEST(Escalation, AlongTheChain) {
  std::vector<EscalationLevel> chain = {
      {"Help Point", "urp"}, {"Capo settore", "anagrafe"}, {"Sindaco", "sindaco"}};
  EXPECT_EQ(nextEscalation(chain, std::nullopt).value(), 0u);
  EXPECT_EQ(nextEscalation(chain, 0).value(), 1u);
  EXPECT_EQ(nextEscalation(chain, 1).value(), 2u);
  auto top = nextEscalation(chain, 2);
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().reason, "top");
  EXPECT_EQ(nextEscalation({}, std::nullopt).error().reason, "no_chain");
}

// Regression: the demo chain starts at URP (Help Point), so a URP case escalated "to level 0"
// stayed where it was ("Fatto." and nothing changed). An escalation always changes office.
TEST(Escalation, NeverToTheCasesOwnOffice) {
  std::vector<EscalationLevel> chain = {
      {"Help Point", "urp"}, {"Capo settore", "anagrafe"}, {"Sindaco", "sindaco"}};
  EXPECT_EQ(nextEscalation(chain, std::nullopt, "urp").value(), 1u);
  EXPECT_EQ(nextEscalation(chain, std::nullopt, "tributi").value(), 0u);
  // A case of the head of department goes to the mayor, not back down to the Help Point.
  EXPECT_EQ(nextEscalation(chain, std::nullopt, "anagrafe").value(), 2u);
  // Escalated to level 0, then moved to Anagrafe by hand: next is the mayor.
  EXPECT_EQ(nextEscalation(chain, 0, "anagrafe").value(), 2u);
  EXPECT_EQ(nextEscalation(chain, 1, "anagrafe").value(), 2u);
  EXPECT_EQ(nextEscalation(chain, std::nullopt, "sindaco").error().reason, "top");
  // Consecutive steps of the same office are skipped too; nowhere else to go is "top".
  std::vector<EscalationLevel> same = {{"Help Point", "urp"}, {"Secondo livello", "urp"}};
  EXPECT_EQ(nextEscalation(same, std::nullopt, "urp").error().reason, "top");
  EXPECT_EQ(nextEscalation(same, std::nullopt, "anagrafe").value(), 0u);
  std::vector<EscalationLevel> repeat = {{"Help Point", "urp"},
                                         {"Anagrafe", "anagrafe"},
                                         {"Anagrafe 2", "anagrafe"},
                                         {"Sindaco", "sindaco"}};
  EXPECT_EQ(nextEscalation(repeat, 0, "anagrafe").value(), 3u);
  EXPECT_EQ(nextEscalation(repeat, 1, "tributi").value(), 2u);
}

TEST(CaseSecret, WrittenDownAndTypedBack) {
  std::string raw(kSecretChars, 'A');
  raw.replace(0, 8, "23456789");
  auto shown = formatCaseSecret(raw).value();
  EXPECT_EQ(shown, "2345-6789-AAAA-AAAA-AAAA-AAAA-AAAA");
  EXPECT_EQ(normalizeCaseSecret(shown).value(), raw);
  EXPECT_EQ(normalizeCaseSecret(" 2345 6789 aaaa aaaa-aaaa.aaaa aaaa ").value(), raw);
  EXPECT_FALSE(normalizeCaseSecret(shown.substr(1)).has_value());
  EXPECT_FALSE(normalizeCaseSecret("0345-6789-AAAA-AAAA-AAAA-AAAA-AAAA").has_value());
  EXPECT_FALSE(normalizeCaseSecret("").has_value());
  // An older base64url secret is not a grouped one: it is compared as is.
  EXPECT_FALSE(normalizeCaseSecret("q3Zk_8f-Jm2pQ9xR4vT7wY1bN6cL0aS5dF8gH2jK3mP").has_value());
  EXPECT_FALSE(formatCaseSecret("ABC").ok());
  // ≥ 128 bits: 31^28 > 2^128.
  EXPECT_GT(kSecretChars * std::log2(static_cast<double>(kCodeAlphabet.size())), 128.0);
}

TEST(Attachment, MagicBytesDecide) {
  EXPECT_EQ(sniffAttachment("%PDF-1.7\n...").value(), "application/pdf");
  EXPECT_EQ(sniffAttachment(std::string("\x89PNG\r\n\x1a\n\0\0", 10)).value(), "image/png");
  EXPECT_EQ(sniffAttachment("\xff\xd8\xff\xe0 JFIF").value(), "image/jpeg");
  EXPECT_EQ(sniffAttachment("<html><script>alert(1)</script>").error().code, Errc::kInvalid);
  EXPECT_EQ(sniffAttachment("<svg xmlns='http://www.w3.org/2000/svg'/>").error().field, "file");
  EXPECT_EQ(sniffAttachment("").error().code, Errc::kInvalid);
  std::string big(kMaxAttachmentBytes + 1, 'x');
  big.replace(0, 5, "%PDF-");
  EXPECT_EQ(sniffAttachment(big).error().code, Errc::kPayloadTooLarge);
  std::string limit(kMaxAttachmentBytes, 'x');
  limit.replace(0, 5, "%PDF-");
  EXPECT_TRUE(sniffAttachment(limit).ok());
}

TEST(Attachment, SafeFilename) {
  EXPECT_EQ(safeFilename("../../etc/passwd", "application/pdf"), "passwd.pdf");
  EXPECT_EQ(safeFilename("ricevuta TARI.exe", "image/png"), "ricevuta_TARI.png");
  EXPECT_EQ(safeFilename("a\"b;c\r\n.pdf", "application/pdf"), "a_b_c__.pdf");
  EXPECT_EQ(safeFilename("", "image/jpeg"), "documento.jpg");
  EXPECT_LE(safeFilename(std::string(300, 'a'), "image/jpeg").size(), 80u);
}

}  // namespace
}  // namespace sportello::cases
