// The pure rules of an OpenID Connect sign-in (authorization code flow with PKCE, state and
// nonce; OpenID Connect Core 1.0 §3.1.3.7): what an ID token's claims must say once its
// signature is verified (citizens/jose.h), which attributes of a citizen are kept, where the
// browser may be sent back to, and when a citizen session ends. No I/O, no clock of its own.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sportello::citizens {

using Json = nlohmann::json;

// The claim SPID and CIE OpenID Connect put the fiscal number in ("TINIT-RSSMRA80A01H501U").
inline constexpr const char* kFiscalNumberClaim = "https://attributes.eid.gov.it/fiscal_number";

// What the relying party expects of one ID token.
struct IdTokenExpectations {
  std::string issuer;    // exactly the discovery document's "issuer"
  std::string clientId;  // must be in "aud"; "azp", when present, must equal it
  std::string nonce;     // the one sent with this authorization request
  int64_t nowMs = 0;
  int64_t skewMs = 60'000;  // clock difference tolerated on exp / iat / nbf
};

// Checks the claims of a signature-verified ID token: iss, aud (string or array), azp, exp,
// iat (not in the future), nbf, nonce and a non-empty sub. kUnauthorized naming what failed.
Status checkIdToken(const Json& claims, const IdTokenExpectations& want);

// The attributes Sportello keeps of a citizen, and nothing else.
struct CitizenAttributes {
  std::string subject;       // the provider's "sub" (not stored: only to match userinfo)
  std::string fiscalNumber;  // normalised: upper case, without the "TINIT-" prefix
  std::string givenName;
  std::string familyName;
  std::string email;
  std::string phone;
};

// Reads the kept attributes out of the claims (`fiscalClaim` names the fiscal number's claim,
// also read as "fiscal_number"); a missing or malformed fiscal number → kUnauthorized.
Result<CitizenAttributes> attributesOf(const Json& claims, std::string_view fiscalClaim);
// "TINIT-rssmra80a01h501u" → "RSSMRA80A01H501U"; nullopt unless 16 letters/digits (an Italian
// fiscal number) or 11 digits (a provisional one).
std::optional<std::string> normaliseFiscalNumber(std::string_view raw);

// PKCE (RFC 7636): the S256 challenge of a verifier, base64url without padding.
std::string pkceChallenge(std::string_view verifier);

// The page a citizen goes back to after signing in: a path of the ente's own pages
// ("/{slug}/…", no scheme, no "//", no backslash); anything else → the personal area.
std::string safeReturnTo(std::string_view slug, std::string_view wanted);

// Citizen sessions end after `idleMs` without a request or `absoluteMs` after sign-in.
struct SessionTimes {
  int64_t createdMs = 0;
  int64_t lastSeenMs = 0;
};
bool sessionAlive(const SessionTimes& s, int64_t nowMs, int64_t idleMs, int64_t absoluteMs);
constexpr int64_t kSessionIdleMs = 30 * 60'000;             // 30 minutes without a request
constexpr int64_t kSessionAbsoluteMs = 12 * 3'600'000LL;    // 12 hours after sign-in

// The query string of an authorization request (keys and values percent-encoded).
std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace sportello::citizens
