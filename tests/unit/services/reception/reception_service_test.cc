// ReceptionService on the demo Comune, through its public functions and the typed views they
// answer: what a citizen sees before knocking, a knock and its place in line, the operator
// opening the door to the first in line, the chat (a retried message is not a second one), the
// end of the visit; and bad input refused without a trace.
#include <gtest/gtest.h>

#include "../../support/service_fixture.h"
#include "reception/capability.h"
#include "reception/service.h"

namespace sportello::unit {
namespace {

class ReceptionServiceTest : public ServiceTest {
 protected:
  reception::ReceptionService& reception() { return service<reception::ReceptionCapability>(); }

  // The operator signs in and says "available": a knock needs someone on duty.
  staff::StaffContext onDuty() {
    auto in = login(kOperator, kOperatorPassword);  // urp, anagrafe
    auto p = run(staff().setPresence(in.ctx, "available"));
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    in.ctx.op.presence = "available";
    return in.ctx;
  }

  Result<reception::Knocked> knock(const std::string& office, const std::string& name) {
    reception::KnockInput in;
    in.name = name;
    in.topic = "Carta d'identità";
    in.mode = reception::Mode::kVideo;
    return run(reception().knock("esempio", office, in, "198.51.100.7"));
  }

  // The citizen's side of a visit, as the routes build it from the X-Visit-Token header.
  Result<reception::Actor> citizen(const reception::Knocked& k) {
    Caller caller;
    caller.holder = k.token;
    caller.remote = "198.51.100.7";
    return run(reception().actor(caller, k.visit.visit.id));
  }
  // The staff side, as authorised on the visit as it was read (reception::ReceptionService::actor
  // with a session does the same).
  reception::Actor asStaff(const staff::StaffContext& ctx, const reception::Visit& v) {
    reception::Actor a;
    a.staff = ctx;
    a.visit = v;
    return a;
  }
};

TEST_P(ReceptionServiceTest, TheStatusSaysWhetherACitizenMayKnockNow) {
  // Monday 10:00: Anagrafe receives in video until 12:30, never in chat; nobody is on duty yet.
  SP_ASSERT_OK_AND_ASSIGN(auto closed, run(reception().receptionStatus("esempio", "anagrafe")));
  EXPECT_EQ(closed.office.slug, "anagrafe");
  EXPECT_FALSE(closed.chat.offered);
  EXPECT_TRUE(closed.video.offered);
  EXPECT_TRUE(closed.video.open);
  ASSERT_TRUE(closed.video.closesAt.has_value());
  EXPECT_EQ(*closed.video.closesAt,
            std::chrono::floor<std::chrono::seconds>(at("2026-11-23T11:30:00Z")));  // 12:30 in Rome
  EXPECT_EQ(closed.figures.operatorsAvailable, 0);
  EXPECT_FALSE(closed.canKnockVideo);
  EXPECT_EQ(closed.queueTopic, "office:" + officeId("anagrafe") + ":queue");
  auto refused = knock("anagrafe", "Mario Verdi");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "unstaffed");
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits"), 0);

  onDuty();
  SP_ASSERT_OK_AND_ASSIGN(auto open, run(reception().receptionStatus("esempio", "anagrafe")));
  EXPECT_EQ(open.figures.operatorsAvailable, 1);
  EXPECT_TRUE(open.canKnockVideo);
  EXPECT_FALSE(open.canKnockChat);
}

TEST_P(ReceptionServiceTest, KnockAdmitTalkAndEnd) {
  auto op = onDuty();
  SP_ASSERT_OK_AND_ASSIGN(auto first, knock("anagrafe", "Mario Verdi"));
  clock_.advance(std::chrono::minutes(1));
  SP_ASSERT_OK_AND_ASSIGN(auto second, knock("anagrafe", "Anna Neri"));
  EXPECT_FALSE(first.token.empty());
  EXPECT_EQ(first.visit.visit.state, reception::VisitState::kWaiting);
  EXPECT_EQ(first.visit.position, 1);
  EXPECT_EQ(second.visit.position, 2);
  EXPECT_EQ(second.visit.figures.waiting, 2);
  // The token is stored hashed, never as given.
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits WHERE token_hash = ?", {first.token}), 0);

  // "Apri la porta" to the first in line; the second moves up.
  SP_ASSERT_OK_AND_ASSIGN(auto admitted, run(reception().admitNext(op, "anagrafe")));
  EXPECT_EQ(admitted.visit.id, first.visit.visit.id);
  EXPECT_EQ(admitted.visit.state, reception::VisitState::kAdmitted);
  EXPECT_EQ(admitted.visit.operatorId, op.op.id);
  EXPECT_FALSE(admitted.position.has_value());  // in line no more
  SP_ASSERT_OK_AND_ASSIGN(auto anna, citizen(second));
  SP_ASSERT_OK_AND_ASSIGN(auto annaNow, run(reception().view(anna)));
  EXPECT_EQ(annaNow.position, 1);

  // The chat: the citizen writes, a retry with the same client id is the same message.
  SP_ASSERT_OK_AND_ASSIGN(auto mario, citizen(first));
  SP_ASSERT_OK_AND_ASSIGN(auto sent, run(reception().sendMessage(mario, "Buongiorno", "m-1")));
  EXPECT_EQ(sent.from, "citizen");
  EXPECT_EQ(sent.body, "Buongiorno");
  SP_ASSERT_OK_AND_ASSIGN(auto again, run(reception().sendMessage(mario, "Buongiorno", "m-1")));
  EXPECT_EQ(again.seq, sent.seq);
  SP_ASSERT_OK_AND_ASSIGN(
      auto reply, run(reception().sendMessage(asStaff(op, admitted.visit), "Mi dica pure", "o-1")));
  EXPECT_EQ(reply.from, "operator");
  EXPECT_EQ(reply.operatorName, op.op.displayName);
  SP_ASSERT_OK_AND_ASSIGN(auto page, run(reception().messages(mario, 0)));
  ASSERT_EQ(page.messages.size(), 2u);
  EXPECT_EQ(page.messages[0].seq, sent.seq);
  EXPECT_EQ(page.messages[1].body, "Mi dica pure");

  // The operator closes the visit with its outcome.
  SP_ASSERT_OK_AND_ASSIGN(
      auto ended, run(reception().end(asStaff(op, admitted.visit), reception::Outcome::kResolved)));
  EXPECT_EQ(ended.visit.state, reception::VisitState::kEnded);
  EXPECT_EQ(ended.visit.endedBy, "operator");
  EXPECT_EQ(ended.visit.outcome, "resolved");
}

TEST_P(ReceptionServiceTest, BadInputIsRefusedAndChangesNothing) {
  auto op = onDuty();
  auto nowhere = knock("nessuno", "Mario Verdi");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().code, Errc::kNotFound);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits"), 0);

  SP_ASSERT_OK_AND_ASSIGN(auto k, knock("anagrafe", "Mario Verdi"));
  // A wrong token and an unknown visit look the same.
  Caller wrong;
  wrong.holder = "not-the-token";
  auto stranger = run(reception().actor(wrong, k.visit.visit.id));
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, Errc::kNotFound);

  SP_ASSERT_OK_AND_ASSIGN(auto mario, citizen(k));
  auto empty = run(reception().sendMessage(mario, "", "m-1"));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "body");
  auto badId = run(reception().sendMessage(mario, "Buongiorno", "non valido!"));
  ASSERT_FALSE(badId.ok());
  EXPECT_EQ(badId.error().field, "client_id");
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_messages"), 0);

  // Only the operator records an outcome; a citizen's end has none.
  auto withOutcome = run(reception().end(mario, reception::Outcome::kResolved));
  ASSERT_FALSE(withOutcome.ok());
  EXPECT_EQ(withOutcome.error().field, "outcome");
  EXPECT_EQ(text("SELECT state FROM visits WHERE id = ?", {k.visit.visit.id}), "waiting");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReceptionServiceTest, ::testing::ValuesIn(backends()),
                         backendParamName);

}  // namespace
}  // namespace sportello::unit
