// JSON Web Signatures through libcjose (Debian libcjose-dev; docs/ARCHITECTURE.md, "citizens"):
// the ID token's signature checked against the provider's JWKS, and the client assertion of
// private_key_jwt signed with the ente's key. No crypto is written here: cjose (over OpenSSL)
// parses, signs and verifies; this file picks the key and refuses what OpenID Connect does not
// allow (alg "none", HMAC with a public key, a key of another type).
// Thread-safe (no shared state).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sportello::citizens::jose {

using Json = nlohmann::json;

// The algorithms accepted for ID tokens (asymmetric only).
bool allowedAlg(std::string_view alg);

// The protected header of a compact JWS (kInvalid when it is not one).
Result<Json> header(std::string_view compact);

struct Verified {
  Json claims;
  std::string kid;
};
// Verifies `compact` with the key of `jwks` ({"keys":[…]}) whose "kid" is the header's (or the
// only signing key of a matching type when the header names none). kNotFound "chiave
// sconosciuta" when no key fits (the caller fetches the JWKS again: the provider rotated its
// keys); kUnauthorized for a bad signature or a refused algorithm.
Result<Verified> verify(std::string_view compact, const Json& jwks);

// Signs `claims` with the private JWK `privateJwk` (RS256 for RSA, ES256 for P-256), its
// "kid" in the header: a private_key_jwt client assertion.
Result<std::string> sign(const Json& claims, const Json& privateJwk);

// Whether `jwk` is a private RSA or P-256 key cjose can sign with (the admin's input).
Status checkPrivateKey(const Json& jwk);

}  // namespace sportello::citizens::jose
