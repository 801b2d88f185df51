// Server-minted identifiers and secrets. Everything a citizen or a browser
// holds is random (≥ 128 bits from libsodium's CSPRNG), never sequential.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sportello {

// 128-bit random id, lowercase base32 (26 chars): primary keys and public ids.
std::string newId();
// 256-bit random secret, base64url without padding (43 chars): sessions, CSRF,
// visit tokens.
std::string newSecret();
// `bytes` random bytes, lowercase base32 (Crockford-like alphabet without i, l,
// o, u).
std::string randomBase32(size_t bytes);
// Readable code of `chars` characters from an unambiguous alphabet (no 0/O,
// 1/I/L): tracking codes shown to citizens.
std::string readableCode(size_t chars);

// SHA-256 hex of `s`: what we store for session tokens, so a database leak
// gives no session.
std::string sha256Hex(std::string_view s);
// Constant-time comparison (libsodium sodium_memcmp) for secrets.
bool secretEquals(std::string_view a, std::string_view b);

// Password hashing: argon2id, t=2, m=19 MiB (OWASP baseline); the encoded
// string carries its own parameters and salt.
std::string hashPassword(std::string_view password);
bool verifyPassword(std::string_view encoded, std::string_view password);

// Must be called once before any other function (sodium_init); safe to call
// twice.
void initCrypto();

}  // namespace sportello
