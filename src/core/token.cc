#include "core/token.h"

#include <openssl/sha.h>
#include <sodium.h>

#include <cstdlib>
#include <stdexcept>

namespace sportello {
namespace {

constexpr char kBase32[] = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr char kReadable[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols

constexpr unsigned long long kPwOps = 2;
constexpr size_t kPwMem = 19u * 1024u * 1024u;

}  // namespace

void initCrypto() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium initialisation failed");
  }
}

std::string randomBase32(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out;
  out.reserve((bytes * 8 + 4) / 5);
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : raw) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string newId() {
  return randomBase32(16);
}

std::string newSecret() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  std::string out(sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), raw, sizeof raw,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string readableCode(size_t chars) {
  std::string out;
  out.reserve(chars);
  const uint32_t n = sizeof(kReadable) - 1;
  for (size_t i = 0; i < chars; ++i) out.push_back(kReadable[randombytes_uniform(n)]);
  return out;
}

std::string sha256Hex(std::string_view s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof md);
  for (unsigned char c : md) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

bool secretEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kPwOps, kPwMem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool verifyPassword(std::string_view encoded, std::string_view password) {
  std::string enc(encoded);
  return crypto_pwhash_str_verify(enc.c_str(), password.data(), password.size()) == 0;
}

}  // namespace sportello
