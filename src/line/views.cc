#include "line/views.h"

#include "cases/service.h"
#include "core/clock.h"
#include "queue/views.h"
#include "reception/views.h"

namespace sportello::line {

namespace {

Json optIso(const std::optional<int64_t>& ms) {
  return ms ? Json(formatIsoMs(*ms)) : Json(nullptr);
}

Json shown(const TicketShown& t) {
  return {{"code", t.code},         {"service", {{"id", t.serviceId}, {"name", t.serviceName}}},
          {"priority", t.priority}, {"appointment_at", optIso(t.appointmentAt)},
          {"source", t.source},     {"arrived_at", formatIsoMs(t.arrivedAt)}};
}

Json shown(const VisitShown& v) {
  return {{"name", v.name},
          {"topic", v.topic},
          {"mode", v.mode},
          {"via", v.via},
          {"appointment_at", optIso(v.appointmentAt)},
          {"office", {{"id", v.officeId}, {"name", v.officeName}}},
          {"arrived_at", formatIsoMs(v.arrivedAt)}};
}

Json shown(const CallbackShown& b) {
  return {{"case", {{"code", b.caseCode}, {"subject", b.caseSubject}}},
          {"appointment_at", optIso(b.appointmentAt)},
          {"waiting_call", b.waitingCall},
          {"office", {{"id", b.officeId}, {"name", b.officeName}}},
          {"arrived_at", formatIsoMs(b.arrivedAt)}};
}

}  // namespace

Json toJson(const StoredDesk& d) {
  Json counter = nullptr;
  if (d.counterId) counter = {{"id", *d.counterId}, {"name", d.counterName.value_or("")}};
  return {{"id", d.id},
          {"operator_id", d.operatorId},
          {"kind", d.counterId ? "counter" : "remote"},
          {"counter", counter},
          {"site_id", d.counterId && d.siteId ? Json(*d.siteId) : Json(nullptr)},
          {"remote", d.remote},
          {"services", d.serviceIds},
          {"offices", d.officeIds},
          {"priority_streak", d.priorityStreak},
          {"opened_at", formatIsoMs(d.openedAt)},
          {"closed_at", optIso(d.closedAt)}};
}

Json toJson(const OperatorAtWork& o) {
  Json visits = Json::array();
  for (const auto& v : o.visits) visits.push_back(reception::toJson(v));
  return {{"id", o.id},
          {"display_name", o.displayName},
          {"role", o.role},
          {"presence", o.presence},
          {"offices", o.officeIds},
          {"desk", o.desk ? toJson(*o.desk) : Json(nullptr)},
          {"visits", std::move(visits)}};
}

Json toJson(const Supervision& s) {
  return {{"operators", jsonArray(s.operators)}, {"at", formatIsoMs(s.at)}};
}

Json toJson(const LineEntry& e) {
  Json j = std::visit([](const auto& s) { return shown(s); }, e.waiting.show);
  j["id"] = e.waiting.entry.id;
  j["channel"] = channelName(e.channel);
  j["class"] = callKindName(e.kind);
  return j;
}

Json toJson(const DeskLine& l) {
  Json arr = jsonArray(l.entries);
  return {{"desk", toJson(l.desk)}, {"entries", std::move(arr)}};
}

Json toJson(const DeskCall& c) {
  Json out = {{"desk", toJson(c.desk)},
              {"channel", c.channel ? Json(channelName(*c.channel)) : Json(nullptr)},
              {"kind", c.kind ? Json(callKindName(*c.kind)) : Json(nullptr)}};
  if (c.ticket) out["ticket"] = queue::toJson(*c.ticket);
  if (c.visit) out["visit"] = reception::toJson(*c.visit);
  if (c.callback) out["callback"] = cases::toJson(*c.callback, c.at);
  return out;
}

namespace {

Json wallCount(const WallCount& c, int64_t at) {
  return {{"waiting", c.waiting},
          {"oldest_at", c.oldest ? Json(formatIsoMs(*c.oldest)) : Json(nullptr)},
          {"longest_wait_ms", c.oldest ? Json(std::max<int64_t>(0, at - *c.oldest)) : Json(nullptr)}};
}

}  // namespace

Json toJson(const Wall& w) {
  Json sites = Json::array();
  for (const auto& s : w.sites) sites.push_back({{"id", s.id}, {"name", s.name}});
  Json offices = Json::array();
  for (const auto& o : w.offices) {
    std::optional<int64_t> oldest;
    for (const auto* c : {&o.line.knocks, &o.line.tickets, &o.line.appointments,
                          &o.line.callbacks}) {
      if (c->oldest && (!oldest || *c->oldest < *oldest)) oldest = c->oldest;
    }
    int64_t longest = oldest ? std::max<int64_t>(0, w.at - *oldest) : 0;
    bool over = o.targetWaitMinutes && oldest && longest > *o.targetWaitMinutes * 60000;
    offices.push_back(
        {{"id", o.id},
         {"name", o.name},
         {"site_id", o.siteId ? Json(*o.siteId) : Json(nullptr)},
         {"waiting",
          {{"knocks", wallCount(o.line.knocks, w.at)},
           {"tickets", wallCount(o.line.tickets, w.at)},
           {"appointments", wallCount(o.line.appointments, w.at)},
           {"callbacks", wallCount(o.line.callbacks, w.at)}}},
         {"total", o.line.knocks.waiting + o.line.tickets.waiting + o.line.appointments.waiting +
                       o.line.callbacks.waiting},
         {"longest_wait_ms", oldest ? Json(longest) : Json(nullptr)},
         {"target_wait_minutes", o.targetWaitMinutes ? Json(*o.targetWaitMinutes) : Json(nullptr)},
         {"over_target", over},
         {"desks_open", o.desksOpen}});
  }
  Json serving = Json::array();
  for (const auto& s : w.serving) {
    serving.push_back({{"counter_id", s.counterId}, {"code", s.code}, {"state", s.state}});
  }
  return {{"sites", std::move(sites)},
          {"site_id", w.siteId ? Json(*w.siteId) : Json(nullptr)},
          {"offices", std::move(offices)},
          {"operators", jsonArray(w.people.operators)},
          {"serving", std::move(serving)},
          {"presence", {{"available", w.available}, {"busy", w.busy}, {"away", w.away}}},
          {"at", formatIsoMs(w.at)}};
}

}  // namespace sportello::line
