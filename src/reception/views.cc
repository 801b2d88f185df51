#include "reception/views.h"

#include "core/clock.h"

namespace sportello::reception {

namespace {

Json optJson(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}
Json optTime(const std::optional<int64_t>& ms) {
  return ms ? Json(formatIsoMs(*ms)) : Json(nullptr);
}
std::string isoSeconds(std::chrono::sys_seconds t) {
  return formatIsoMs(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

Json officeRef(const std::string& id, const std::string& slug, const std::string& name) {
  return {{"id", id}, {"slug", slug}, {"name", name}};
}

Json toJson(const ModeStatus& m) {
  Json st = {{"offered", m.offered},
             {"open", m.open},
             {"next_opens_at", m.nextOpensAt ? Json(isoSeconds(*m.nextOpensAt)) : Json(nullptr)}};
  if (m.closesAt) st["closes_at"] = isoSeconds(*m.closesAt);
  return st;
}

}  // namespace

Json toJson(const OfficeRef& o) {
  return officeRef(o.id, o.slug, o.name);
}

Json toJson(const Visit& v) {
  Json op = nullptr;
  if (v.operatorId) op = {{"id", *v.operatorId}, {"display_name", v.operatorName.value_or("")}};
  Json rating = nullptr;
  if (v.rating) {
    rating = {{"score", *v.rating}, {"reasons", v.ratingReasons}, {"comment", v.ratingComment}};
  }
  return {{"id", v.id},
          {"state", name(v.state)},
          {"mode", name(v.mode)},
          {"channel", name(v.channel)},
          {"name", v.name},
          {"topic", v.topic},
          {"office", officeRef(v.officeId, v.officeSlug, v.officeName)},
          {"knock_no", v.knockNo},
          {"knocked_at", formatIsoMs(v.knockedAt)},
          {"admitted_at", optTime(v.admittedAt)},
          {"ended_at", optTime(v.endedAt)},
          {"ended_by", v.endedBy.empty() ? Json(nullptr) : Json(v.endedBy)},
          {"operator", op},
          {"reject_reason", optJson(v.rejectReason)},
          {"outcome", optJson(v.outcome)},
          {"call", name(v.call)},
          {"citizen_read", v.citizenRead},
          {"operator_read", v.operatorRead},
          {"rated", v.rating.has_value()},
          {"rating", rating},
          {"connected", !v.awaySince.has_value()},
          {"disconnected_since", optTime(v.awaySince)},
          {"still_there_asked_at", optTime(v.askedAt)},
          {"reserved_for", v.reservedFor ? Json{{"id", *v.reservedFor},
                                                {"display_name", v.reservedForName.value_or("")}}
                                         : Json(nullptr)}};
}

Json toJson(const Message& m) {
  Json op = nullptr;
  if (m.operatorName) op = {{"display_name", *m.operatorName}};
  return {{"seq", m.seq},
          {"from", m.from},
          {"body", m.body},
          {"at", formatIsoMs(m.at)},
          {"client_id", m.clientId},
          {"operator", op}};
}

Json toJson(const CallbackRequest& r) {
  return {{"id", r.id},
          {"code", r.code},
          {"office", officeRef(r.officeId, r.officeSlug, r.officeName)},
          {"name", r.name},
          {"contact", r.contact},
          {"message", r.message},
          {"state", r.state},
          {"created_at", formatIsoMs(r.createdAt)},
          {"done_at", optTime(r.doneAt)},
          {"done_by", optJson(r.doneBy)},
          {"note", optJson(r.note)}};
}

Json toJson(const Kiosk& k) {
  Json site = nullptr;
  if (k.siteId) site = {{"id", *k.siteId}, {"name", k.siteName.value_or("")}};
  return {{"id", k.id},
          {"name", k.name},
          {"office", officeRef(k.officeId, k.officeSlug, k.officeName)},
          {"site", site},
          {"active", k.active},
          {"last_seen_at", optTime(k.lastSeenAt)}};
}

Json toJson(const ReceptionStatus& s) {
  return {
      {"office", toJson(s.office)},
      {"modes", {{name(Mode::kChat), toJson(s.chat)}, {name(Mode::kVideo), toJson(s.video)}}},
      {"can_knock", {{name(Mode::kChat), s.canKnockChat}, {name(Mode::kVideo), s.canKnockVideo}}},
      {"operators_available", s.figures.operatorsAvailable},
      {"waiting", s.figures.waiting},
      {"avg_handle_ms", s.figures.avgHandleMs},
      {"estimated_wait_ms", s.estimatedWaitMs},
      {"queue_topic", s.queueTopic}};
}

Json toJson(const WidgetStatus& w) {
  Json offices = Json::array();
  for (const auto& o : w.offices) {
    offices.push_back({{"office", toJson(o.office)},
                       {"open", o.open},
                       {"can_knock", o.canKnock},
                       {"next_opens_at", o.nextOpensAt ? Json(isoSeconds(*o.nextOpensAt)) : Json(nullptr)}});
  }
  return {{"offices", std::move(offices)}, {"framing", w.framing}};
}

Json toJson(const VisitView& v) {
  Json j = toJson(v.visit);
  j["position"] = v.position ? Json(*v.position) : Json(nullptr);
  j["queue_topic"] = v.queueTopic;
  j["queue_seq"] = v.queueSeq;
  j["visit_topic"] = v.visitTopic;
  j["visit_seq"] = v.visitSeq;
  j["waiting"] = v.figures.waiting;
  j["operators_available"] = v.figures.operatorsAvailable;
  j["avg_handle_ms"] = v.figures.avgHandleMs;
  j["estimated_wait_ms"] = v.estimatedWaitMs;
  return j;
}

Json toJson(const Knocked& k) {
  return {{"visit", toJson(k.visit)}, {"token", k.token}};
}

Json toJson(const CallbackReceipt& r) {
  Json out{{"code", r.code}, {"office", toJson(r.office)}};
  if (r.extra.is_object()) out.update(r.extra);
  return out;
}

Json toJson(const MessagePage& p) {
  Json arr = jsonArray(p.messages);
  return {{"messages", std::move(arr)},
          {"citizen_read", p.citizenRead},
          {"operator_read", p.operatorRead}};
}

Json toJson(const IceConfig& c) {
  Json servers = Json::array();
  for (const auto& s : c.servers) {
    Json entry = {{"urls", s.urls}};
    if (s.username) entry["username"] = *s.username;
    if (s.credential) entry["credential"] = *s.credential;
    servers.push_back(std::move(entry));
  }
  return {{"ice_servers", std::move(servers)},
          {"ice_transport_policy", c.transportPolicy},
          {"ttl_seconds", c.ttlSeconds}};
}

Json toJson(const ContactSettingsView& s) {
  auto fields = [](const ContactSettings& c) {
    return Json{
        {"max_chats", c.maxChats ? Json(*c.maxChats) : Json(nullptr)},
        {"auto_assign", c.autoAssign ? Json(*c.autoAssign) : Json(nullptr)},
        {"target_wait_minutes", c.targetWaitMinutes ? Json(*c.targetWaitMinutes) : Json(nullptr)}};
  };
  Json eff = fields(s.effective);
  if (eff["auto_assign"].is_null()) eff["auto_assign"] = false;
  Json out = fields(s.own);
  out["office"] = s.office ? toJson(*s.office) : Json(nullptr);
  out["effective"] = std::move(eff);
  return out;
}

Json toJson(const VisitNote& n) {
  return {{"id", n.id},
          {"visit_id", n.visitId},
          {"office_id", n.officeId},
          {"author", {{"id", n.authorId}, {"display_name", n.authorName}}},
          {"body", n.body},
          {"at", formatIsoMs(n.at)}};
}

Json toJson(const Console& c) {
  Json out = Json::array();
  for (const auto& o : c.offices) {
    Json w = Json::array(), act = Json::array();
    for (const auto& v : o.waiting) w.push_back(toJson(v));
    for (const auto& v : o.active) act.push_back(toJson(v));
    out.push_back(
        {{"office", {{"id", o.id}, {"slug", o.slug}, {"name", o.name}, {"channels", o.channels}}},
         {"waiting", std::move(w)},
         {"active", std::move(act)},
         {"operators_available", o.figures.operatorsAvailable},
         {"avg_handle_ms", o.figures.avgHandleMs},
         {"staff_topic", o.staffTopic}});
  }
  return {{"offices", std::move(out)}};
}

Json toJson(const KioskSecret& k) {
  return {{"kiosk", toJson(k.kiosk)},
          {"token", k.token},
          {"url", "/kiosk/" + k.kiosk.id + "#token=" + k.token}};
}

Json toJson(const KioskHome& h) {
  const Kiosk& k = h.kiosk;
  return Json{{"kiosk", toJson(k)},
              {"ente",
               {{"slug", h.enteSlug},
                {"name", h.enteName},
                {"primary_color", h.primaryColor},
                {"logo_url", optJson(h.logoUrl)}}},
              {"office", officeRef(k.officeId, k.officeSlug, k.officeName)},
              {"reception", toJson(h.reception)}};
}

}  // namespace sportello::reception
