#include "visitors/views.h"

#include "core/clock.h"

namespace sportello::visitors {

namespace {
Json isoOrNull(const std::optional<int64_t>& ms) {
  return ms ? Json(formatIsoMs(*ms)) : Json(nullptr);
}
Json strOrNull(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}
}  // namespace

const char* stateName(VisitorState s) {
  return s == VisitorState::kExpected ? "expected" : "registered";
}

std::optional<VisitorState> parseState(std::string_view s) {
  if (s == "expected") return VisitorState::kExpected;
  if (s == "registered") return VisitorState::kRegistered;
  return std::nullopt;
}

Json toJson(const Settings& s) {
  return {{"info_office", s.infoOfficeId ? Json{{"id", *s.infoOfficeId},
                                                {"name", s.infoOfficeName.value_or("")}}
                                         : Json(nullptr)},
          {"retention_hours", s.retentionHours}};
}

Json toJson(const Area& a) {
  Json offices = Json::array();
  for (const auto& o : a.offices) offices.push_back({{"id", o.id}, {"name", o.name}});
  return {{"id", a.id}, {"name", a.name}, {"offices", offices}};
}

Json toJson(const Turnstile& t) {
  return {{"id", t.id},           {"name", t.name},
          {"area_id", t.areaId},  {"area_name", t.areaName},
          {"active", t.active},   {"last_seen_at", isoOrNull(t.lastSeenAt)}};
}

Json toJson(const Visitor& v) {
  Json pass = nullptr;
  if (v.hasPass) {
    pass = {{"valid_from", formatIsoMs(v.validFrom)},
            {"valid_until", formatIsoMs(v.validUntil)},
            {"revoked_at", isoOrNull(v.revokedAt)},
            {"inside", v.insideAreaId ? Json{{"area_id", *v.insideAreaId},
                                             {"area_name", v.insideAreaName.value_or("")}}
                                      : Json(nullptr)},
            {"entered_at", isoOrNull(v.enteredAt)},
            {"exited_at", isoOrNull(v.exitedAt)},
            {"overstay_at", isoOrNull(v.flaggedAt)}};
  }
  return {{"id", v.id},
          {"state", stateName(v.state)},
          {"first_name", v.firstName},
          {"last_name", v.lastName},
          {"document", v.docType ? Json{{"type", *v.docType}, {"tail", v.docTail.value_or("")}}
                                 : Json(nullptr)},
          {"office", {{"id", v.officeId}, {"name", v.officeName}}},
          {"host", {{"operator_id", strOrNull(v.hostOperatorId)}, {"name", strOrNull(v.hostName)}}},
          {"reason", v.reason},
          {"expected_minutes", v.expectedMinutes},
          {"expected_at", isoOrNull(v.expectedAt)},
          {"created_at", formatIsoMs(v.createdAt)},
          {"confirmed_at", isoOrNull(v.confirmedAt)},
          {"pass", pass}};
}

Json toJson(const IssuedPass& p) {
  return {{"visitor", toJson(p.visitor)},
          {"token", p.token},
          {"qr_svg", p.qrSvg},
          {"badge", {{"first_name", p.badgeName}, {"destination", p.destination}}},
          {"phone_url", p.phoneUrl},
          {"phone_qr_svg", p.phoneQrSvg}};
}

Json toJson(const TurnstileSecret& t) {
  return {{"turnstile", toJson(t.turnstile)},
          {"token", t.token},
          {"url", t.setupUrl.empty() ? "/turnstile/" + t.turnstile.id + "#token=" + t.token
                                     : t.setupUrl},
          {"qr_svg", t.setupQrSvg}};
}

Json toJson(const PassView& p) {
  static constexpr const char* kPhase[] = {"valid", "not_yet_valid", "expired", "revoked",
                                           "inside"};
  return {{"ente", {{"name", p.enteName}, {"timezone", p.enteTimezone}}},
          {"first_name", p.firstName},
          {"destination", p.destination},
          {"valid_from", formatIsoMs(p.validFrom)},
          {"valid_until", formatIsoMs(p.validUntil)},
          {"state", kPhase[static_cast<int>(p.state)]},
          {"inside_area", strOrNull(p.insideAreaName)},
          {"qr_svg", p.qrSvg}};
}

Json toJson(const TurnstileHome& h) {
  return {{"turnstile", toJson(h.turnstile)},
          {"ente", {{"slug", h.enteSlug}, {"name", h.enteName}}}};
}

Json toJson(const CheckAnswer& a) {
  return {{"allowed", a.allowed},
          {"reason", reasonName(a.reason)},
          {"direction", directionName(a.direction)},
          {"area_name", a.areaName},
          {"first_name", strOrNull(a.firstName)},
          {"destination", strOrNull(a.destination)},
          {"at", formatIsoMs(a.at)}};
}

Json toJson(const Occupancy& o) {
  Json areas = Json::array();
  int64_t total = 0;
  for (const auto& a : o.areas) {
    Json people = Json::array();
    for (const auto& v : a.inside) {
      people.push_back({{"id", v.id},
                        {"first_name", v.firstName},
                        {"last_name", v.lastName},
                        {"office", v.officeName},
                        {"entered_at", isoOrNull(v.enteredAt)},
                        {"valid_until", formatIsoMs(v.validUntil)},
                        {"overstay", v.flaggedAt.has_value()}});
    }
    total += static_cast<int64_t>(a.inside.size());
    areas.push_back({{"id", a.id}, {"name", a.name}, {"count", a.inside.size()}, {"inside", people}});
  }
  return {{"areas", areas}, {"total", total}, {"at", formatIsoMs(o.at)}};
}

Json toJson(const VisitorList& l) {
  return {{"day", l.day}, {"visitors", jsonArray(l.visitors)}, {"at", formatIsoMs(l.at)}};
}

Json toJson(const EntriesPerHour& e) {
  Json hours = Json::array();
  for (const auto& h : e.hours) {
    hours.push_back({{"hour", formatIsoMs(h.hourStart)},
                     {"entries", h.entries},
                     {"exits", h.exits},
                     {"denied", h.denied}});
  }
  return {{"day", e.day}, {"hours", hours}};
}

Json toJson(const ListView& v) {
  return {{"operator_id", v.operatorId},
          {"operator_name", v.operatorName},
          {"what", v.what},
          {"at", formatIsoMs(v.at)}};
}

Json toJson(const VisitorRights& r) {
  return {{"info_point", r.infoPoint},
          {"admin", r.admin},
          {"settings", toJson(r.settings)},
          {"topic", r.infoPoint ? Json(r.topic) : Json(nullptr)}};
}

}  // namespace sportello::visitors
