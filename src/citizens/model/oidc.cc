#include "citizens/model/oidc.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cctype>

namespace sportello::citizens {

namespace {

bool audienceHas(const Json& aud, const std::string& clientId) {
  if (aud.is_string()) return aud.get<std::string>() == clientId;
  if (aud.is_array()) {
    return std::any_of(aud.begin(), aud.end(), [&](const Json& a) {
      return a.is_string() && a.get<std::string>() == clientId;
    });
  }
  return false;
}

std::optional<int64_t> seconds(const Json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  return static_cast<int64_t>(it->get<double>());
}

std::string stringClaim(const Json& claims, std::string_view name, size_t maxLen) {
  auto it = claims.find(std::string(name));
  if (it == claims.end() || !it->is_string()) return "";
  std::string s = it->get<std::string>();
  if (s.size() > maxLen) s.resize(maxLen);
  return s;
}

}  // namespace

Status checkIdToken(const Json& claims, const IdTokenExpectations& want) {
  if (!claims.is_object()) return makeError(Errc::kUnauthorized, "token di identità non valido: non è un oggetto JSON");
  if (stringClaim(claims, "iss", 2000) != want.issuer || want.issuer.empty()) {
    return makeError(Errc::kUnauthorized, "token di identità non valido: emittente (iss) diverso");
  }
  if (!claims.contains("aud") || !audienceHas(claims["aud"], want.clientId)) {
    return makeError(Errc::kUnauthorized, "token di identità non valido: destinatario (aud) diverso");
  }
  if (claims.contains("azp") && stringClaim(claims, "azp", 2000) != want.clientId) {
    return makeError(Errc::kUnauthorized, "token di identità non valido: destinatario (azp) diverso");
  }
  if (stringClaim(claims, "sub", 255).empty()) return makeError(Errc::kUnauthorized, "token di identità non valido: soggetto (sub) mancante");
  auto exp = seconds(claims, "exp");
  if (!exp) return makeError(Errc::kUnauthorized, "token di identità non valido: scadenza (exp) mancante");
  if (*exp * 1000 + want.skewMs <= want.nowMs) return makeError(Errc::kUnauthorized, "token di identità non valido: scaduto");
  auto iat = seconds(claims, "iat");
  if (!iat) return makeError(Errc::kUnauthorized, "token di identità non valido: emissione (iat) mancante");
  if (*iat * 1000 - want.skewMs > want.nowMs) return makeError(Errc::kUnauthorized, "token di identità non valido: emesso nel futuro");
  if (auto nbf = seconds(claims, "nbf"); nbf && *nbf * 1000 - want.skewMs > want.nowMs) {
    return makeError(Errc::kUnauthorized, "token di identità non valido: non ancora valido");
  }
  if (want.nonce.empty() || stringClaim(claims, "nonce", 500) != want.nonce) {
    return makeError(Errc::kUnauthorized, "token di identità non valido: nonce diverso");
  }
  return {};
}

std::optional<std::string> normaliseFiscalNumber(std::string_view raw) {
  std::string s(raw);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  if (s.rfind("TINIT-", 0) == 0) s.erase(0, 6);
  bool alnum = std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); });
  bool digits = std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  if ((s.size() == 16 && alnum) || (s.size() == 11 && digits)) return s;
  return std::nullopt;
}

Result<CitizenAttributes> attributesOf(const Json& claims, std::string_view fiscalClaim) {
  CitizenAttributes a;
  a.subject = stringClaim(claims, "sub", 255);
  std::string raw = stringClaim(claims, fiscalClaim, 64);
  if (raw.empty()) raw = stringClaim(claims, "fiscal_number", 64);
  if (raw.empty()) {
    return makeError(Errc::kUnauthorized, "il fornitore di identità non ha dato il codice fiscale");
  }
  auto fiscal = normaliseFiscalNumber(raw);
  if (!fiscal) {
    return makeError(Errc::kUnauthorized, "codice fiscale non valido dal fornitore di identità");
  }
  a.fiscalNumber = *fiscal;
  a.givenName = stringClaim(claims, "given_name", 200);
  a.familyName = stringClaim(claims, "family_name", 200);
  a.email = stringClaim(claims, "email", 254);
  a.phone = stringClaim(claims, "phone_number", 40);
  if (a.phone.empty()) a.phone = stringClaim(claims, "mobile_phone", 40);
  return a;
}

std::string pkceChallenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  int bits = 0;
  uint32_t acc = 0;
  for (unsigned char byte : digest) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 0x3f];
  return out;
}

std::string safeReturnTo(std::string_view slug, std::string_view wanted) {
  std::string fallback = "/" + std::string(slug) + "/area-personale";
  std::string prefix = "/" + std::string(slug) + "/";
  if (wanted.rfind(prefix, 0) != 0 && wanted != "/" + std::string(slug)) return fallback;
  if (wanted.size() > 500) return fallback;
  for (unsigned char c : wanted) {
    if (c < 0x21 || c > 0x7e || c == '\\') return fallback;
  }
  if (wanted.find("//") != std::string_view::npos) return fallback;
  return std::string(wanted);
}

bool sessionAlive(const SessionTimes& s, int64_t nowMs, int64_t idleMs, int64_t absoluteMs) {
  return nowMs < s.lastSeenMs + idleMs && nowMs < s.createdMs + absoluteMs;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto enc = [](const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        o += static_cast<char>(c);
      } else {
        o += '%';
        o += kHex[c >> 4];
        o += kHex[c & 15];
      }
    }
    return o;
  };
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += enc(k) + "=" + enc(v);
  }
  return out;
}

}  // namespace sportello::citizens
