// CaseService through its public functions on the demo Comune, reading the typed views it
// answers (cases/views.h): a phone call logged as a case with a callback, the case page whose
// "overdue" follows the instant it was read, and the citizen's tracking by code + secret.
#include <gtest/gtest.h>

#include "../../support/service_fixture.h"
#include "cases/capability.h"
#include "cases/service.h"

namespace sportello::unit {
namespace {

class CaseServiceTest : public ServiceTest {
 protected:
  cases::CaseService& cases() { return service<cases::CaseCapability>(); }

  cases::CreateInput phoneCall() {
    cases::CreateInput in;
    in.office = "urp";
    in.subject = "Certificato di residenza";
    in.channel = cases::Channel::kPhone;
    in.citizen = {"Lucia Verdi", "", "+39 02 1234567"};
    return in;
  }
};

TEST_P(CaseServiceTest, APhoneCallBecomesACaseWithACallbackSeenAsTyped) {
  auto op = login(kOperator, kOperatorPassword);
  SP_ASSERT_OK_AND_ASSIGN(cases::NewCase made, run(cases().create(op.ctx, phoneCall())));
  EXPECT_FALSE(made.kase.code.empty());
  EXPECT_EQ(made.kase.officeId, officeId("urp"));
  EXPECT_EQ(made.kase.state, cases::CaseState::kNew);
  EXPECT_EQ(made.trackingPath, "/esempio/pratica/" + made.kase.code);
  EXPECT_FALSE(made.secret.empty());
  EXPECT_EQ(made.at, clock_.nowMs());
  Json shown = toJson(made);
  EXPECT_EQ(shown["case"]["code"], made.kase.code);
  EXPECT_EQ(shown["secret"], made.secret);
  EXPECT_FALSE(shown["case"].contains("secret_hash"));

  // The case page: the created entry, the callback (a phone number and no answer yet: tomorrow).
  SP_ASSERT_OK_AND_ASSIGN(auto actor,
                          run(cases().actor(Caller{.session = op.token}, made.kase.id)));
  SP_ASSERT_OK_AND_ASSIGN(cases::CaseDetail page, run(cases().view(actor)));
  ASSERT_FALSE(page.timeline.empty());
  EXPECT_EQ(page.timeline.front().kind, "created");
  ASSERT_EQ(page.callbacks.size(), 1u);
  EXPECT_EQ(page.callbacks[0].phone, "+39 02 1234567");
  EXPECT_EQ(toJson(page)["callbacks"][0]["overdue"], false);
  // Two days later the same callback is overdue: the view renders what it was read at.
  clock_.advance(std::chrono::hours(48));
  SP_ASSERT_OK_AND_ASSIGN(cases::CaseDetail later, run(cases().view(actor)));
  EXPECT_EQ(later.at, clock_.nowMs());
  EXPECT_EQ(toJson(later)["callbacks"][0]["overdue"], true);

  // A change answers the case page too.
  SP_ASSERT_OK_AND_ASSIGN(cases::CaseDetail noted,
                          run(cases().note(actor, "Richiamare dopo le 15")));
  EXPECT_EQ(noted.timeline.back().kind, "note_internal");
  EXPECT_FALSE(noted.timeline.back().visible);
}

TEST_P(CaseServiceTest, TheCitizenFollowsTheCaseByCodeAndSecretAndSeesOnlyPublicEntries) {
  auto op = login(kOperator, kOperatorPassword);
  SP_ASSERT_OK_AND_ASSIGN(cases::NewCase made, run(cases().create(op.ctx, phoneCall())));
  SP_ASSERT_OK_AND_ASSIGN(cases::Tracking t,
                          run(cases().track("esempio", made.kase.code, made.secret)));
  EXPECT_EQ(t.kase.id, made.kase.id);
  ASSERT_FALSE(t.timeline.empty());
  for (const auto& e : t.timeline) EXPECT_TRUE(e.visible) << e.kind;  // not the callback's note
  Json shown = toJson(t);
  EXPECT_EQ(shown["code"], made.kase.code);
  EXPECT_FALSE(shown.contains("citizen"));  // the tracking page shows no personal data
  EXPECT_EQ(shown["can_add_info"], true);

  auto wrong = run(cases().track("esempio", made.kase.code, "ABCD-EFGH"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, Errc::kNotFound);
  auto otherEnte = run(cases().track("collina", made.kase.code, made.secret));
  ASSERT_FALSE(otherEnte.ok());
  EXPECT_EQ(otherEnte.error().code, Errc::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseServiceTest, ::testing::ValuesIn(backends()),
                         backendParamName);

}  // namespace
}  // namespace sportello::unit
