// The pure rules of the citizens' sign-in (src/citizens/model/oidc.h) and the JWS checks of
// src/citizens/jose.h with keys made here by cjose.
#include "citizens/model/oidc.h"

#include <cjose/cjose.h>
#include <gtest/gtest.h>

#include "citizens/jose.h"

namespace sportello::citizens {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;  // ms

Json goodClaims() {
  return {{"iss", "https://op.example"}, {"aud", "client-1"}, {"sub", "abc"},
          {"exp", kNow / 1000 + 300},    {"iat", kNow / 1000},  {"nonce", "n-1"}};
}

IdTokenExpectations want() {
  return {.issuer = "https://op.example", .clientId = "client-1", .nonce = "n-1", .nowMs = kNow};
}

TEST(CheckIdToken, AcceptsAValidToken) {
  EXPECT_TRUE(checkIdToken(goodClaims(), want()).ok());
  Json c = goodClaims();
  c["aud"] = Json::array({"other", "client-1"});
  c["azp"] = "client-1";
  EXPECT_TRUE(checkIdToken(c, want()).ok());
}

TEST(CheckIdToken, RefusesEachWrongClaim) {
  auto refused = [](Json c) { return !checkIdToken(c, want()).ok(); };
  Json c = goodClaims();
  c["iss"] = "https://evil.example";
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c["aud"] = "client-2";
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c["aud"] = Json::array({"client-1"});
  c["azp"] = "client-2";
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c["exp"] = kNow / 1000 - 61;
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c.erase("exp");
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c["iat"] = kNow / 1000 + 120;
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c["nonce"] = "n-2";
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c.erase("nonce");
  EXPECT_TRUE(refused(c));
  c = goodClaims();
  c["sub"] = "";
  EXPECT_TRUE(refused(c));
  EXPECT_EQ(checkIdToken(goodClaims(), {.issuer = "https://op.example", .clientId = "client-1",
                                        .nonce = "", .nowMs = kNow})
                .error()
                .code,
            Errc::kUnauthorized);
}

TEST(Attributes, KeepsOnlyTheListedOnesAndNormalisesTheFiscalNumber) {
  Json c = goodClaims();
  c[kFiscalNumberClaim] = "TINIT-rssmra80a01h501u";
  c["given_name"] = "Mario";
  c["family_name"] = "Rossi";
  c["email"] = "mario@example.it";
  c["phone_number"] = "+393331234567";
  c["birthdate"] = "1980-01-01";
  auto a = attributesOf(c, kFiscalNumberClaim);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->fiscalNumber, "RSSMRA80A01H501U");
  EXPECT_EQ(a->givenName, "Mario");
  EXPECT_EQ(a->phone, "+393331234567");
  c[kFiscalNumberClaim] = "RSSMRA80A01H501";  // 15 characters
  EXPECT_FALSE(attributesOf(c, kFiscalNumberClaim).ok());
  c.erase(kFiscalNumberClaim);
  EXPECT_FALSE(attributesOf(c, kFiscalNumberClaim).ok());
  EXPECT_EQ(normaliseFiscalNumber("12345678901"), "12345678901");
}

TEST(Pkce, MatchesRfc7636AppendixB) {
  EXPECT_EQ(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(ReturnTo, OnlyTheEntesOwnPages) {
  EXPECT_EQ(safeReturnTo("esempio", "/esempio/prenota"), "/esempio/prenota");
  EXPECT_EQ(safeReturnTo("esempio", "https://evil.example/"), "/esempio/area-personale");
  EXPECT_EQ(safeReturnTo("esempio", "//evil.example/esempio/"), "/esempio/area-personale");
  EXPECT_EQ(safeReturnTo("esempio", "/esempio//evil"), "/esempio/area-personale");
  EXPECT_EQ(safeReturnTo("esempio", "/altro/area-personale"), "/esempio/area-personale");
  EXPECT_EQ(safeReturnTo("esempio", "/esempio/a\\b"), "/esempio/area-personale");
  EXPECT_EQ(safeReturnTo("esempio", ""), "/esempio/area-personale");
}

TEST(Session, IdleAndAbsoluteTimeouts) {
  SessionTimes s{.createdMs = 0, .lastSeenMs = 0};
  EXPECT_TRUE(sessionAlive(s, 29 * 60'000, 30 * 60'000, 12 * 3'600'000LL));
  EXPECT_FALSE(sessionAlive(s, 30 * 60'000, 30 * 60'000, 12 * 3'600'000LL));
  s.lastSeenMs = 12 * 3'600'000LL - 1000;
  EXPECT_FALSE(sessionAlive(s, 12 * 3'600'000LL, 30 * 60'000, 12 * 3'600'000LL));
}

// Keys made by cjose; tokens signed by jose::sign and checked by jose::verify.
Json newKey(bool ec, const char* kid) {
  cjose_err err;
  cjose_jwk_t* k = ec ? cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &err)
                      : cjose_jwk_create_RSA_random(2048, nullptr, 0, &err);
  char* priv = cjose_jwk_to_json(k, true, &err);
  Json j = Json::parse(priv);
  free(priv);
  cjose_jwk_release(k);
  j["kid"] = kid;
  return j;
}

Json publicOf(Json k) {
  for (const char* f : {"d", "p", "q", "dp", "dq", "qi"}) k.erase(f);
  return k;
}

TEST(Jose, VerifiesRs256AndEs256AndRefusesTheRest) {
  for (bool ec : {false, true}) {
    Json key = newKey(ec, "k1");
    auto token = jose::sign(goodClaims(), key);
    ASSERT_TRUE(token.ok());
    Json jwks = {{"keys", Json::array({publicOf(key)})}};
    auto v = jose::verify(token.value(), jwks);
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(v->claims["sub"], "abc");
    EXPECT_EQ(v->kid, "k1");
    // Another key with the same kid: a forged signature.
    Json other = newKey(ec, "k1");
    auto forged = jose::sign(goodClaims(), other);
    ASSERT_TRUE(forged.ok());
    EXPECT_EQ(jose::verify(forged.value(), jwks).error().code, Errc::kUnauthorized);
    // A kid the JWKS does not hold: the caller fetches the keys again.
    Json rotated = newKey(ec, "k2");
    EXPECT_EQ(jose::verify(jose::sign(goodClaims(), rotated).value(), jwks).error().code,
              Errc::kNotFound);
    // A tampered payload.
    std::string t = token.value();
    size_t dot = t.find('.');
    t[dot + 5] = t[dot + 5] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(jose::verify(t, jwks).ok());
  }
  // alg "none" and HS256 are refused before any key is looked at.
  // {"alg":"none"} . {"sub":"abc"} .
  EXPECT_EQ(jose::verify("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMifQ.", Json::object()).error().code,
            Errc::kUnauthorized);
  EXPECT_FALSE(jose::allowedAlg("HS256"));
  EXPECT_FALSE(jose::checkPrivateKey(publicOf(newKey(true, "x"))).ok());
}

}  // namespace
}  // namespace sportello::citizens
