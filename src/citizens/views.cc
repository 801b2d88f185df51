#include "citizens/views.h"

#include "core/clock.h"

namespace sportello::citizens {

Json toJson(const ProviderView& v) {
  const Provider& p = v.p;
  return {{"key", p.key},
          {"label", p.label},
          {"issuer", p.issuer},
          {"client_id", p.clientId},
          {"auth", clientAuthName(p.auth)},
          {"has_client_secret", !p.clientSecret.empty()},
          {"has_private_key", !p.privateJwk.empty()},
          {"scopes", p.scopes},
          {"fiscal_number_claim", p.fiscalClaim},
          {"enabled", p.enabled}};
}

Json toJson(const PublicProvider& v) {
  return {{"key", v.key}, {"label", v.label}};
}

Json toJson(const CitizenView& v) {
  const Citizen& c = v.citizen;
  return {{"citizen",
           {{"fiscal_number", c.fiscalNumber},
            {"given_name", c.givenName},
            {"family_name", c.familyName},
            {"email", c.email},
            {"phone", c.phone}}},
          {"ente", v.enteSlug},
          {"provider", v.providerKey},
          {"csrf_token", v.csrf}};
}

Json toJson(const LogoutView& v) {
  return {{"end_session_url", v.endSessionUrl ? Json(*v.endSessionUrl) : Json(nullptr)}};
}

Json toJson(const AreaView& v) {
  Json list = Json::array();
  for (const auto& a : v.appointments) {
    list.push_back({{"code", a.code},
                    {"office", a.officeName},
                    {"date", a.day},
                    {"start", a.start},
                    {"starts_at", formatIsoMs(a.startUtc)},
                    {"state", a.state},
                    {"mode", a.mode}});
  }
  return {{"appointments", list}};
}

Json toJson(const ContactIdentity& v) {
  if (!v.verified) return {{"verified", false}};
  const Citizen& c = v.citizen;
  return {{"verified", true},
          {"fiscal_number", c.fiscalNumber},
          {"given_name", c.givenName},
          {"family_name", c.familyName},
          {"provider", c.providerKey}};
}

Json toJson(const ClaimView& v) {
  return {{"kind", v.kind}, {"ref", v.ref}, {"already", v.already}};
}

}  // namespace sportello::citizens
