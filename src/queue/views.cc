#include "queue/views.h"

#include <cmath>

#include "core/clock.h"

namespace sportello::queue {

namespace {

Json optTime(const std::optional<int64_t>& ms) {
  return ms ? Json(formatIsoMs(*ms)) : Json(nullptr);
}
Json optInt(const std::optional<int64_t>& n) {
  return n ? Json(*n) : Json(nullptr);
}
Json optStr(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

std::string isoSeconds(std::chrono::sys_seconds t) {
  return formatIsoMs(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

Json toJson(const HistoryEntry& e) {
  return {{"action", e.action},
          {"counter", optStr(e.counterName)},
          {"operator", optStr(e.operatorName)},
          {"detail", optStr(e.detail)},
          {"at", formatIsoMs(e.at)}};
}

Json toJson(const DurationStats& d) {
  auto v = [](const std::optional<double>& x) {
    return x ? Json(std::round(*x * 10) / 10) : Json(nullptr);
  };
  return {{"count", d.count}, {"mean", v(d.meanS)}, {"median", v(d.medianS)}, {"p90", v(d.p90S)}};
}

Json toJson(const GroupStats& g) {
  return {{"issued", g.issued},
          {"served", g.served},
          {"no_shows", g.noShows},
          {"expired", g.expired},
          {"cancelled", g.cancelled},
          {"open", g.open},
          {"waiting_s", toJson(g.waiting)},
          {"service_s", toJson(g.service)},
          {"per_hour", g.perHour}};
}

}  // namespace

Json toJson(const StoredTicket& t) {
  Json counter = nullptr;
  if (t.counterId) counter = {{"id", *t.counterId}, {"name", t.counterName.value_or("")}};
  return {{"id", t.id},
          {"code", t.code},
          {"number", t.number},
          {"day", t.day},
          {"service", {{"id", t.serviceId}, {"prefix", t.servicePrefix}, {"name", t.serviceName}}},
          {"site_id", t.siteId},
          {"state", ticketStateName(t.state)},
          {"priority", priorityReasonName(t.priority)},
          {"appointment_at", optTime(t.appointmentAt)},
          {"source", t.source},
          {"lang", t.lang},
          {"issued_at", formatIsoMs(t.issuedAt)},
          {"called_at", optTime(t.calledAt)},
          {"started_at", optTime(t.startedAt)},
          {"ended_at", optTime(t.endedAt)},
          {"counter", counter},
          {"recalls", t.recalls},
          {"transferred_from", optStr(t.transferredFrom)},
          {"transferred_at", optTime(t.transferredAt)}};
}

Json toJson(const Counter& k) {
  return {{"id", k.id},          {"name", k.name},
          {"site_id", k.siteId}, {"state", counterStateName(k.state)},
          {"active", k.active},  {"services", k.serviceIds}};
}

Json toJson(const SiteQueue& q) {
  Json services = Json::array();
  for (const auto& s : q.services) {
    services.push_back(
        {{"id", s.id},
         {"prefix", s.prefix},
         {"name", s.name},
         {"open", s.open},
         {"waiting", s.waiting},
         {"estimated_wait_s", optInt(s.estimatedWaitS)},
         {"next_opens_at", s.nextOpensAt ? Json(isoSeconds(*s.nextOpensAt)) : Json(nullptr)}});
  }
  Json counters = Json::array();
  for (const auto& k : q.counters) {
    counters.push_back({{"name", k.name}, {"state", counterStateName(k.state)}});
  }
  return {{"site", {{"id", q.siteId}, {"name", q.siteName}}},
          {"services", std::move(services)},
          {"counters", std::move(counters)},
          {"board_topic", q.boardTopic},
          {"board_seq", q.boardSeq}};
}

Json toJson(const TicketView& v) {
  Json j = toJson(v.ticket);
  j["ahead"] = optInt(v.ahead);
  j["estimated_wait_s"] = optInt(v.estimatedWaitS);
  j["counters_open"] = optInt(v.countersOpen);
  j["ticket_topic"] = v.ticketTopic;
  j["ticket_seq"] = v.ticketSeq;
  j["board_topic"] = v.boardTopic;
  if (v.history) {
    Json hist = Json::array();
    for (const auto& e : *v.history) hist.push_back(toJson(e));
    j["history"] = std::move(hist);
  }
  return j;
}

Json toJson(const IssuedTicket& t) {
  Json out{{"ticket", toJson(t.ticket)}, {"token", t.token}};
  if (t.followUrl) {
    out["follow_url"] = *t.followUrl;
    out["qr_svg"] = optStr(t.qrSvg);
  }
  return out;
}

Json toJson(const CounterDesk& d) {
  Json j = toJson(d.counter);
  j["current"] = d.current ? toJson(*d.current) : Json(nullptr);
  return j;
}

Json toJson(const CallResult& r) {
  return {{"ticket", r.ticket ? toJson(*r.ticket) : Json(nullptr)},
          {"counter", toJson(r.counter)},
          {"kind", r.kind ? Json(callKindName(*r.kind)) : Json(nullptr)}};
}

Json toJson(const SiteStats& s) {
  Json services = Json::array();
  for (const auto& g : s.services) {
    Json j = toJson(g.stats);
    j["id"] = g.id;
    j["prefix"] = g.prefix;
    j["name"] = g.name;
    services.push_back(std::move(j));
  }
  Json counters = Json::array();
  for (const auto& g : s.counters) {
    Json j = toJson(g.stats);
    j["id"] = g.id;
    j["name"] = g.name;
    counters.push_back(std::move(j));
  }
  return {{"site", {{"id", s.siteId}, {"name", s.siteName}}},
          {"from", formatIsoMs(s.from)},
          {"to", formatIsoMs(s.to)},
          {"timezone", s.timezone},
          {"truncated", s.truncated},
          {"total", toJson(s.total)},
          {"services", std::move(services)},
          {"counters", std::move(counters)}};
}

}  // namespace sportello::queue
