// StaffService through its public functions (no HTTP request): login, the one session lookup,
// a session that expired on the injected clock, logout, a deactivated operator, and bad input
// changing nothing.
#include <gtest/gtest.h>

#include "../../support/service_fixture.h"
#include "staff/service.h"

namespace sportello::unit {
namespace {

using StaffServiceTest = ServiceTest;

TEST_P(StaffServiceTest, LoginGivesASessionThatTheLookupFinds) {
  auto in = login(kOperator, kOperatorPassword);
  ASSERT_FALSE(in.token.empty());
  EXPECT_EQ(in.ctx.op.username, kOperator);
  EXPECT_EQ(in.ctx.enteSlug, "esempio");
  SP_ASSERT_OK_AND_ASSIGN(auto ctx, run(staff().session(in.token)));
  EXPECT_EQ(ctx.op.id, in.ctx.op.id);
  EXPECT_EQ(ctx.op.displayName, "Giulia Rossi");
  EXPECT_EQ(ctx.op.role, staff::Role::kOperator);
  EXPECT_EQ(ctx.enteSlug, "esempio");
  EXPECT_EQ(ctx.csrfToken, in.ctx.csrfToken);
  EXPECT_TRUE(ctx.inOffice(officeId("urp")));
  EXPECT_TRUE(ctx.inOffice(officeId("anagrafe")));
  EXPECT_FALSE(ctx.inOffice(officeId("tributi")));
  // The token is stored hashed only.
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {in.token}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {sha256Hex(in.token)}), 1);
}

TEST_P(StaffServiceTest, WrongPasswordsUnknownUsersAndOtherEntiAreRefusedAlike) {
  int64_t sessions = count("SELECT COUNT(*) FROM sessions");
  for (auto [slug, user, pw] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"esempio", kOperator, "operatore-demo-2025"},
           {"esempio", "nessuno", kOperatorPassword},
           {"collina", kOperator, kOperatorPassword}}) {
    auto r = run(staff().login(slug, user, pw, "192.0.2.20", ""));
    ASSERT_FALSE(r.ok()) << slug << "/" << user;
    EXPECT_EQ(r.error().code, Errc::kUnauthorized);
    EXPECT_EQ(r.error().message, "nome utente o password non corretti");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), sessions);
}

TEST_P(StaffServiceTest, AnUnknownOrMalformedTokenHasNoSession) {
  login(kOperator, kOperatorPassword);
  for (std::string token : {std::string(), std::string("not-a-session"), std::string(101, 'a')}) {
    auto r = run(staff().session(token));
    ASSERT_FALSE(r.ok()) << token;
    EXPECT_EQ(r.error().code, Errc::kUnauthorized);
  }
}

TEST_P(StaffServiceTest, ASessionExpiresAfterAWorkingDayOnTheInjectedClock) {
  auto in = login(kOperator, kOperatorPassword);
  clock_.advance(std::chrono::milliseconds(staff::kSessionTtlMs - 1));
  SP_ASSERT_OK(run(staff().session(in.token)));
  clock_.advance(std::chrono::milliseconds(1));
  auto r = run(staff().session(in.token));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kUnauthorized);
  // A new login works, and sweeps the expired session away.
  auto again = login(kOperator, kOperatorPassword);
  SP_ASSERT_OK(run(staff().session(again.token)));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {sha256Hex(in.token)}), 0);
}

TEST_P(StaffServiceTest, LogoutEndsTheSessionAndSetsThePresenceAway) {
  auto in = login(kOperator, kOperatorPassword);
  SP_ASSERT_OK_AND_ASSIGN(auto op, run(staff().setPresence(in.ctx, "available")));
  EXPECT_EQ(op.presence, "available");
  SP_ASSERT_OK_AND_ASSIGN(auto ctx, run(staff().session(in.token)));
  SP_ASSERT_OK(run(staff().logout(ctx)));
  auto r = run(staff().session(in.token));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kUnauthorized);
  EXPECT_EQ(text("SELECT presence FROM operators WHERE id = ?", {in.ctx.op.id}), "away");
}

TEST_P(StaffServiceTest, ADeactivatedOperatorLosesTheSessionAndCannotSignIn) {
  auto in = login(kOperator, kOperatorPassword);
  std::string ente = enteId();
  SP_ASSERT_OK_AND_ASSIGN(auto op,
                          run(staff().updateOperator(ente, in.ctx.op.id, {{"active", false}})));
  EXPECT_FALSE(op.active);
  auto gone = run(staff().session(in.token));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, Errc::kUnauthorized);
  auto refused = run(staff().login("esempio", kOperator, kOperatorPassword, "192.0.2.10", ""));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kUnauthorized);
  // Kept on its history, never deleted; reactivated, it signs in again.
  SP_ASSERT_OK_AND_ASSIGN(auto still, run(staff().getOperator(ente, in.ctx.op.id)));
  EXPECT_EQ(still.displayName, "Giulia Rossi");
  SP_ASSERT_OK(run(staff().updateOperator(ente, in.ctx.op.id, {{"active", true}})));
  login(kOperator, kOperatorPassword);
}

TEST_P(StaffServiceTest, BadAdministrationInputIsRefusedAndChangesNothing) {
  auto in = login(kOperator, kOperatorPassword);
  std::string ente = enteId();
  for (Json patch : {Json{{"role", "sindaco"}}, Json{{"active", "no"}}, Json{{"attivo", false}},
                     Json{{"password", "corta"}}}) {
    auto r = run(staff().updateOperator(ente, in.ctx.op.id, patch));
    ASSERT_FALSE(r.ok()) << patch.dump();
    EXPECT_EQ(r.error().code, Errc::kInvalid) << patch.dump();
  }
  // Another ente's admin cannot reach this operator.
  auto other = run(staff().updateOperator(enteId("collina"), in.ctx.op.id, {{"active", false}}));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, Errc::kNotFound);
  SP_ASSERT_OK_AND_ASSIGN(auto ctx, run(staff().session(in.token)));
  EXPECT_TRUE(ctx.op.active);
  EXPECT_EQ(ctx.op.role, staff::Role::kOperator);
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffServiceTest, ::testing::ValuesIn(backends()),
                         backendParamName);

}  // namespace
}  // namespace sportello::unit
