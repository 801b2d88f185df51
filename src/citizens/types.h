// The citizens capability's stored types: an ente's OpenID providers, a pending sign-in, a
// citizen (the attributes kept: fiscal number, names, email, phone) and a citizen session.
#pragma once

#include <cstdint>
#include <string>

namespace sportello::citizens {

// How the client authenticates at the token endpoint.
enum class ClientAuth { kSecretBasic, kSecretPost, kPrivateKeyJwt };
const char* clientAuthName(ClientAuth a);  // "client_secret_basic", …
bool parseClientAuth(std::string_view s, ClientAuth& out);

// One OpenID provider of an ente (a SPID/CIE OIDC gateway, CIE OpenID Connect, another OP).
struct Provider {
  std::string enteId;
  std::string key;    // "spid", "cie": in URLs, [a-z0-9-]{1,32}
  std::string label;  // the button's text ("Entra con SPID")
  std::string issuer;
  std::string clientId;
  ClientAuth auth = ClientAuth::kSecretBasic;
  std::string clientSecret;  // client_secret_* (never rendered)
  std::string privateJwk;    // private_key_jwt: the private JWK as JSON text (never rendered)
  std::string scopes = "openid profile email";
  std::string fiscalClaim;   // the claim holding the fiscal number
  bool enabled = true;
  int64_t updatedAt = 0;
};

// A sign-in started and not finished: what the callback needs (10 minutes).
struct PendingLogin {
  std::string stateHash;   // sha256 of the state sent to the provider
  std::string enteId;
  std::string providerKey;
  std::string browserHash; // sha256 of the login cookie: the same browser must come back
  std::string nonce;
  std::string codeVerifier;
  std::string returnTo;
  int64_t expiresAt = 0;
};

struct Citizen {
  std::string id;
  std::string enteId;
  std::string fiscalNumber;
  std::string givenName;
  std::string familyName;
  std::string email;
  std::string phone;
  std::string providerKey;  // the provider of the last sign-in
  int64_t lastLoginAt = 0;
};

struct CitizenSession {
  std::string tokenHash;
  std::string citizenId;
  std::string enteId;
  std::string csrf;
  std::string providerKey;
  std::string idToken;  // kept only for the provider's end_session (id_token_hint)
  int64_t createdAt = 0;
  int64_t lastSeenAt = 0;
};

}  // namespace sportello::citizens
