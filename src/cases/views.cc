#include "cases/views.h"

#include "core/clock.h"

namespace sportello::cases {

namespace {

Json optTime(const std::optional<int64_t>& ms) {
  return ms ? Json(formatIsoMs(*ms)) : Json(nullptr);
}

Json optStr(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

}  // namespace

Json toJson(const StoredCase& k, int64_t nowMs) {
  Json escalation = k.escalationLevel ? Json(*k.escalationLevel) : Json(nullptr);
  return {
      {"id", k.id},
      {"code", k.code},
      {"office", {{"id", k.officeId}, {"name", k.officeName}}},
      {"level", k.level},
      {"state", caseStateName(k.state)},
      {"priority", priorityName(k.priority)},
      {"due_at", formatIsoMs(k.dueAt)},
      {"overdue", isOverdue(k.state, k.dueAt, nowMs)},
      {"subject", k.subject},
      {"channel", channelName(k.channel)},
      {"citizen", {{"name", k.citizenName}, {"email", k.citizenEmail}, {"phone", k.citizenPhone}}},
      {"first_contact_resolved", k.firstContactResolved},
      {"assigned_operator",
       k.assignedOperatorId
           ? Json{{"id", *k.assignedOperatorId}, {"name", k.assignedOperatorName.value_or("")}}
           : Json(nullptr)},
      {"escalation_level", escalation},
      {"visit_id", optStr(k.visitId)},
      {"transfers", k.transfers},
      {"escalations", k.escalations},
      {"created_at", formatIsoMs(k.createdAt)},
      {"updated_at", formatIsoMs(k.updatedAt)},
      {"resolved_at", optTime(k.resolvedAt)},
      {"closed_at", optTime(k.closedAt)},
      {"allowed_states", [&] {
         Json a = Json::array();
         for (auto s : allowedNext(k.state)) a.push_back(caseStateName(s));
         return a;
       }()}};
}

Json toJson(const TimelineEntry& e) {
  Json data = Json::parse(e.data, nullptr, false);
  if (data.is_discarded()) data = Json::object();
  return {{"id", e.id},
          {"seq", e.seq},
          {"kind", e.kind},
          {"public", e.visible},
          {"operator", optStr(e.operatorName)},
          {"office_id", e.officeId},
          {"body", e.body},
          {"data", data},
          {"at", formatIsoMs(e.at)}};
}

// How long before its time an open callback is flagged "due soon" in the console.
constexpr int64_t kCallbackReminderMs = 60 * 60 * 1000;

Json toJson(const Callback& b, int64_t nowMs) {
  return {
      {"id", b.id},
      {"case", {{"id", b.caseId}, {"code", b.caseCode}, {"subject", b.caseSubject}}},
      {"office", {{"id", b.officeId}, {"name", b.officeName}}},
      {"operator", b.operatorId ? Json{{"id", *b.operatorId}, {"name", b.operatorName.value_or("")}}
                                : Json(nullptr)},
      {"phone", b.phone},
      {"note", b.note},
      {"due_at", formatIsoMs(b.dueAt)},
      {"overdue", !b.doneAt && nowMs > b.dueAt},
      // The console's reminder: an open callback falling due within the hour.
      {"due_soon", !b.doneAt && nowMs <= b.dueAt && b.dueAt - nowMs <= kCallbackReminderMs},
      {"created_at", formatIsoMs(b.createdAt)},
      {"done_at", optTime(b.doneAt)},
      {"taken_at", optTime(b.takenAt)},
      {"waiting_call", b.inLine},
      {"outcome", optStr(b.outcome)}};
}

Json toJson(const CannedAnswer& a) {
  return {{"id", a.id},
          {"office_id", a.officeId},
          {"title", a.title},
          {"body", a.body},
          {"updated_at", formatIsoMs(a.updatedAt)}};
}

Json toJson(const NewCase& v) {
  return Json{
      {"case", toJson(v.kase, v.at)}, {"secret", v.secret}, {"tracking_path", v.trackingPath}};
}

Json toJson(const CaseList& v) {
  Json arr = Json::array();
  for (const auto& k : v.cases) arr.push_back(toJson(k, v.at));
  return Json{{"cases", std::move(arr)}};
}

Json toJson(const CaseDetail& v) {
  Json j = toJson(v.kase, v.at);
  Json t = jsonArray(v.timeline);
  Json b = Json::array();
  for (const auto& x : v.callbacks) b.push_back(toJson(x, v.at));
  Json at = Json::array();
  for (const auto& x : v.attachments) {
    at.push_back({{"id", x.id},
                  {"filename", x.filename},
                  {"content_type", x.contentType},
                  {"size", x.size},
                  {"uploaded_by", x.uploadedBy},
                  {"at", formatIsoMs(x.at)}});
  }
  j["timeline"] = std::move(t);
  j["callbacks"] = std::move(b);
  j["attachments"] = std::move(at);
  return j;
}

Json toJson(const CallbackView& v) {
  return toJson(v.callback, v.at);
}

Json toJson(const CallbackList& v) {
  Json arr = Json::array();
  for (const auto& b : v.callbacks) arr.push_back(toJson(b, v.at));
  return Json{{"callbacks", std::move(arr)}};
}

Json toJson(const CannedList& v) {
  Json arr = jsonArray(v.answers);
  return Json{{"canned_answers", std::move(arr)}};
}

Json toJson(const EscalationChainView& v) {
  Json arr = Json::array();
  for (const auto& l : v.levels) {
    arr.push_back({{"name", l.name}, {"office", {{"id", l.officeId}, {"name", l.officeName}}}});
  }
  return Json{{"levels", std::move(arr)}};
}

Json toJson(const FcrStats& v) {
  Json arr = Json::array();
  for (const auto& r : v.offices) {
    auto rate = fcrRate(r.fcr, r.cases);
    arr.push_back({{"office", {{"id", r.officeId}, {"name", r.officeName}}},
                   {"cases", r.cases},
                   {"resolved", r.resolved},
                   {"first_contact_resolved", r.fcr},
                   {"fcr_rate", rate ? Json(*rate) : Json(nullptr)},
                   {"meets_target", rate ? Json(*rate >= kFcrTarget) : Json(nullptr)}});
  }
  return Json{{"since", formatIsoMs(v.since)}, {"target", kFcrTarget}, {"offices", arr}};
}

Json toJson(const Tracking& v) {
  const StoredCase& k = v.kase;
  Json t = Json::array();
  for (const auto& e : v.timeline) {
    Json j = {{"kind", e.kind}, {"body", e.body}, {"at", formatIsoMs(e.at)}};
    Json data = Json::parse(e.data, nullptr, false);
    if (e.kind == "state" && data.is_object()) j["state"] = data.value("to", "");
    if (e.kind == "reply_public" && data.is_object()) j["channel"] = data.value("channel", "");
    t.push_back(std::move(j));
  }
  Json at = Json::array();
  for (const auto& x : v.attachments) {
    at.push_back({{"id", x.id},
                  {"filename", x.filename},
                  {"size", x.size},
                  {"uploaded_by", x.uploadedBy},
                  {"at", formatIsoMs(x.at)}});
  }
  return Json{{"code", k.code},
              {"subject", k.subject},
              {"state", caseStateName(k.state)},
              {"state_label",
               {{"it", caseStateLabel(k.state, "it")}, {"en", caseStateLabel(k.state, "en")}}},
              {"office", {{"name", k.officeName}}},
              {"level", k.level},
              {"due_at", formatIsoMs(k.dueAt)},
              {"created_at", formatIsoMs(k.createdAt)},
              {"updated_at", formatIsoMs(k.updatedAt)},
              {"resolved_at", optTime(k.resolvedAt)},
              {"can_add_info", k.state != CaseState::kClosed},
              {"timeline", std::move(t)},
              {"attachments", std::move(at)}};
}

Json toJson(const Uploaded& v) {
  const Attachment& a = v.attachment;
  return Json{
      {"id", a.id}, {"filename", a.filename}, {"content_type", a.contentType}, {"size", a.size}};
}

Json toJson(const VisitFollowUp& v) {
  return Json{{"case",
               {{"id", v.caseId},
                {"code", v.code},
                {"secret", v.secret},
                {"tracking_path", "/" + v.enteSlug + "/pratica"},
                {"tracking_link", "/" + v.enteSlug + "/pratica/" + v.code + "#" + v.secret}}},
              {"callback", {{"id", v.callbackId}, {"due_at", formatIsoMs(v.callbackDueAt)}}}};
}

Json toJson(const OfflineCase& v) {
  return Json{{"case",
               {{"code", v.code},
                {"secret", v.secret},
                {"tracking_path", "/" + v.enteSlug + "/pratica"},
                {"tracking_link", "/" + v.enteSlug + "/pratica/" + v.code + "#" + v.secret}}}};
}

}  // namespace sportello::cases
