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

namespace {

Json ratingJson(const std::optional<AreaRating>& r) {
  if (!r) return nullptr;
  return {{"score", r->score},
          {"reasons", r->reasons},
          {"comment", r->comment},
          {"rated_at", formatIsoMs(r->ratedAt)}};
}

Json optTime(const std::optional<int64_t>& t) {
  return t ? Json(formatIsoMs(*t)) : Json(nullptr);
}

}  // namespace

Json toJson(const AreaView& v) {
  Json appointments = Json::array();
  for (const auto& a : v.appointments) {
    appointments.push_back({{"code", a.code},
                            {"office", a.officeName},
                            {"date", a.day},
                            {"start", a.start},
                            {"starts_at", formatIsoMs(a.startUtc)},
                            {"state", a.state},
                            {"mode", a.mode},
                            {"can_change", a.changeable},
                            {"rating", ratingJson(a.rating)}});
  }
  Json visits = Json::array();
  for (const auto& x : v.visits) {
    Json transcript = Json::array();
    for (const auto& m : x.transcript) {
      transcript.push_back({{"from", m.from},
                            {"body", m.body},
                            {"operator", m.operatorName ? Json(*m.operatorName) : Json(nullptr)},
                            {"at", formatIsoMs(m.at)}});
    }
    visits.push_back({{"id", x.id},
                      {"office", x.officeName},
                      {"state", x.state},
                      {"mode", x.mode},
                      {"channel", x.channel},
                      {"topic", x.topic},
                      {"knocked_at", formatIsoMs(x.knockedAt)},
                      {"ended_at", optTime(x.endedAt)},
                      {"transcript", std::move(transcript)},
                      {"rating", ratingJson(x.rating)}});
  }
  Json cases = Json::array();
  for (const auto& k : v.cases) {
    Json timeline = Json::array();
    for (const auto& e : k.timeline) {
      Json j = {{"kind", e.kind}, {"body", e.body}, {"at", formatIsoMs(e.at)}};
      if (!e.state.empty()) j["state"] = e.state;
      timeline.push_back(std::move(j));
    }
    cases.push_back({{"code", k.code},
                     {"subject", k.subject},
                     {"office", k.officeName},
                     {"state", k.state},
                     {"state_label", {{"it", k.stateIt}, {"en", k.stateEn}}},
                     {"created_at", formatIsoMs(k.createdAt)},
                     {"updated_at", formatIsoMs(k.updatedAt)},
                     {"timeline", std::move(timeline)},
                     {"rating", ratingJson(k.rating)}});
  }
  Json tickets = Json::array();
  for (const auto& t : v.tickets) {
    tickets.push_back({{"id", t.id},
                       {"code", t.code},
                       {"service", t.serviceName},
                       {"state", t.state},
                       {"day", t.day},
                       {"counter", t.counterName ? Json(*t.counterName) : Json(nullptr)},
                       {"issued_at", formatIsoMs(t.issuedAt)},
                       {"called_at", optTime(t.calledAt)},
                       {"rating", ratingJson(t.rating)}});
  }
  return {{"visits", std::move(visits)},
          {"cases", std::move(cases)},
          {"appointments", std::move(appointments)},
          {"tickets", std::move(tickets)}};
}

Json toJson(const EarlierContacts& v) {
  Json list = Json::array();
  for (const auto& c : v.contacts) {
    list.push_back({{"kind", c.kind},
                    {"ref", c.ref},
                    {"office", c.officeName},
                    {"state", c.state},
                    {"summary", c.summary},
                    {"at", formatIsoMs(c.at)}});
  }
  return {{"verified", v.verified}, {"contacts", std::move(list)}};
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
