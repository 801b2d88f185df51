#include "citizens/jose.h"

#include <cjose/cjose.h>
#include <jansson.h>

#include <memory>

namespace sportello::citizens::jose {

namespace {

struct JwsFree {
  void operator()(cjose_jws_t* p) const { cjose_jws_release(p); }
};
struct JwkFree {
  void operator()(cjose_jwk_t* p) const { cjose_jwk_release(p); }
};
using JwsPtr = std::unique_ptr<cjose_jws_t, JwsFree>;
using JwkPtr = std::unique_ptr<cjose_jwk_t, JwkFree>;

JwkPtr importKey(const Json& jwk) {
  cjose_err err;
  std::string text = jwk.dump();
  return JwkPtr(cjose_jwk_import(text.data(), text.size(), &err));
}

// The JWK "kty" an algorithm needs.
std::string ktyFor(std::string_view alg) {
  if (alg.rfind("RS", 0) == 0 || alg.rfind("PS", 0) == 0) return "RSA";
  if (alg.rfind("ES", 0) == 0) return "EC";
  return "";
}

}  // namespace

bool allowedAlg(std::string_view alg) {
  return alg == "RS256" || alg == "PS256" || alg == "ES256";
}

Result<Json> header(std::string_view compact) {
  cjose_err err;
  JwsPtr jws(cjose_jws_import(compact.data(), compact.size(), &err));
  if (!jws) return makeError(Errc::kUnauthorized, "token di identità illeggibile");
  cjose_header_t* h = cjose_jws_get_protected(jws.get());
  char* text = h ? json_dumps(reinterpret_cast<json_t*>(h), JSON_COMPACT) : nullptr;
  if (!text) return makeError(Errc::kUnauthorized, "token di identità illeggibile");
  Json out = Json::parse(text, nullptr, false);
  free(text);
  if (!out.is_object()) return makeError(Errc::kUnauthorized, "token di identità illeggibile");
  return out;
}

Result<Verified> verify(std::string_view compact, const Json& jwks) {
  SP_ASSIGN(Json hdr, header(compact));
  std::string alg = hdr.value("alg", "");
  if (!allowedAlg(alg)) {
    return makeError(Errc::kUnauthorized, "token di identità con algoritmo non ammesso");
  }
  std::string kid = hdr.contains("kid") && hdr["kid"].is_string() ? hdr["kid"].get<std::string>()
                                                                   : "";
  std::string kty = ktyFor(alg);
  const Json* chosen = nullptr;
  int candidates = 0;
  if (jwks.is_object() && jwks.contains("keys") && jwks["keys"].is_array()) {
    for (const auto& k : jwks["keys"]) {
      if (!k.is_object() || k.value("kty", "") != kty) continue;
      if (k.contains("use") && k["use"] != "sig") continue;
      if (k.contains("alg") && k["alg"] != alg) continue;
      if (!kid.empty()) {
        if (k.value("kid", "") == kid) chosen = &k;
      } else {
        ++candidates;
        chosen = &k;
      }
    }
  }
  if (!chosen || (kid.empty() && candidates != 1)) {
    return makeError(Errc::kNotFound, "chiave sconosciuta");
  }
  JwkPtr key = importKey(*chosen);
  if (!key) return makeError(Errc::kUnauthorized, "chiave del fornitore di identità non valida");
  cjose_err err;
  JwsPtr jws(cjose_jws_import(compact.data(), compact.size(), &err));
  if (!jws || !cjose_jws_verify(jws.get(), key.get(), &err)) {
    return makeError(Errc::kUnauthorized, "firma del token di identità non valida");
  }
  uint8_t* plain = nullptr;
  size_t len = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &plain, &len, &err)) {
    return makeError(Errc::kUnauthorized, "token di identità illeggibile");
  }
  Json claims = Json::parse(std::string_view(reinterpret_cast<const char*>(plain), len), nullptr,
                            false);
  if (!claims.is_object()) return makeError(Errc::kUnauthorized, "token di identità illeggibile");
  return Verified{std::move(claims), kid};
}

Status checkPrivateKey(const Json& jwk) {
  if (!jwk.is_object()) return makeError(Errc::kInvalid, "chiave privata non valida", "private_jwk");
  std::string kty = jwk.value("kty", "");
  bool isPrivate = jwk.contains("d");
  if (!isPrivate || (kty != "RSA" && !(kty == "EC" && jwk.value("crv", "") == "P-256"))) {
    return makeError(Errc::kInvalid, "chiave privata non valida", "private_jwk");
  }
  if (!importKey(jwk)) return makeError(Errc::kInvalid, "chiave privata non valida", "private_jwk");
  return {};
}

Result<std::string> sign(const Json& claims, const Json& privateJwk) {
  SP_TRY(checkPrivateKey(privateJwk));
  JwkPtr key = importKey(privateJwk);
  std::string alg = privateJwk.value("kty", "") == "RSA" ? "RS256" : "ES256";
  cjose_err err;
  cjose_header_t* hdr = cjose_header_new(&err);
  if (!hdr) return makeError(Errc::kInternal, "firma non riuscita");
  cjose_header_set(hdr, CJOSE_HDR_ALG, alg.c_str(), &err);
  cjose_header_set(hdr, "typ", "JWT", &err);
  std::string kid = privateJwk.value("kid", "");
  if (!kid.empty()) cjose_header_set(hdr, CJOSE_HDR_KID, kid.c_str(), &err);
  std::string payload = claims.dump();
  JwsPtr jws(cjose_jws_sign(key.get(), hdr, reinterpret_cast<const uint8_t*>(payload.data()),
                            payload.size(), &err));
  cjose_header_release(hdr);
  if (!jws) return makeError(Errc::kInternal, "firma non riuscita");
  const char* out = nullptr;
  if (!cjose_jws_export(jws.get(), &out, &err)) {
    return makeError(Errc::kInternal, "firma non riuscita");
  }
  return std::string(out);
}

}  // namespace sportello::citizens::jose
