#include "booking/views.h"

#include <cstdio>

#include "core/clock.h"

namespace sportello::booking {

namespace {

std::string dayString(const date::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

int64_t toMs(Seconds t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Json slotJson(const Slot& s) {
  return {{"date", dayString(s.day)},
          {"start", s.start},
          {"start_at", formatIsoMs(toMs(s.startUtc))},
          {"end_at", formatIsoMs(toMs(s.endUtc))},
          {"capacity", s.capacity},
          {"free", s.free}};
}

Json siteJson(const std::optional<directory::Site>& s) {
  if (!s) return nullptr;
  return {{"id", s->id}, {"name", s->name}, {"address", s->address}};
}

Json officeRef(const directory::Office& o) {
  return {{"id", o.id}, {"slug", o.slug}, {"name", o.name}};
}

Json serviceRef(const std::optional<directory::Service>& s) {
  if (!s) return nullptr;
  return {{"id", s->id}, {"name", s->name}, {"documents", s->documents}};
}

}  // namespace

Json toJson(const BookingView& v) {
  const Booking& b = v.booking;
  int64_t nowMs = v.at;
  bool future = b.startUtc > nowMs;
  Json j = {{"code", b.code},
            {"state", bookingStateName(b.state)},
            {"office", officeRef(v.place.office)},
            {"service", serviceRef(v.place.service)},
            {"site", siteJson(v.place.site)},
            {"date", b.day},
            {"start", b.start},
            {"start_at", formatIsoMs(b.startUtc)},
            {"end_at", formatIsoMs(b.endUtc)},
            {"mode", b.mode},
            {"first_name", b.firstName},
            {"last_name", b.lastName},
            {"email", b.email},
            {"phone", b.phone ? Json(*b.phone) : Json(nullptr)},
            {"notes", b.notes ? Json(*b.notes) : Json(nullptr)},
            {"lang", b.lang},
            {"created_at", formatIsoMs(b.createdAt)},
            {"updated_at", formatIsoMs(b.updatedAt)},
            {"can_change", b.state == BookingState::kBooked && future}};
  // A video appointment can be joined from 10 minutes before its start until its end.
  j["video_open"] = b.mode == "video" && b.state == BookingState::kBooked &&
                    nowMs >= b.startUtc - 10 * 60000 && nowMs < b.endUtc;
  // "Ti riceverà": the citizen sees the name only; staff also the operator's id.
  j["operator"] = nullptr;
  if (b.operatorId) {
    j["operator"] = {{"display_name", b.operatorName.value_or("")}};
    if (v.forStaff) j["operator"]["id"] = *b.operatorId;
  }
  if (v.forStaff) {
    j["id"] = b.id;
    j["ticket_id"] = b.ticketId ? Json(*b.ticketId) : Json(nullptr);
    j["visit_id"] = b.visitId ? Json(*b.visitId) : Json(nullptr);
  }
  return j;
}

Json toJson(const NewBooking& v) {
  return {{"booking", toJson(v.booking)}, {"secret", v.secret}};
}

Json toJson(const MarkedBooking& v) {
  Json j = toJson(v.booking);
  j["ticket"] = v.ticket ? Json{{"id", v.ticket->id}, {"code", v.ticket->code}} : Json(nullptr);
  return j;
}

Json toJson(const Bookable& v) {
  Json out = Json::array();
  for (const auto& o : v.offices) {
    Json list = Json::array();
    for (const auto& p : o.plans) {
      Json j = {{"plan_id", p.planId},
                {"slot_minutes", p.slotMinutes},
                {"video", p.video},
                {"service", nullptr}};
      if (p.service) {
        j["service"] = {
            {"id", p.service->id}, {"name", p.service->name}, {"documents", p.service->documents}};
      }
      list.push_back(std::move(j));
    }
    out.push_back({{"id", o.office.id},
                   {"slug", o.office.slug},
                   {"name", o.office.name},
                   {"description", o.office.description},
                   {"site", siteJson(o.site)},
                   {"plans", std::move(list)}});
  }
  return Json{{"ente", {{"slug", v.enteSlug}, {"name", v.enteName}}},
              {"today", v.today ? Json(*v.today) : Json(nullptr)},
              {"offices", std::move(out)}};
}

Json toJson(const MonthAvailability& v) {
  Json dj = Json::array();
  for (const auto& d : v.days) {
    dj.push_back(
        {{"date", dayString(d.day)}, {"slots", d.slots}, {"places", d.places}, {"free", d.free}});
  }
  Json sj = Json::array();
  for (const auto& s : v.slots) sj.push_back(slotJson(s));
  return Json{{"office", officeRef(v.place.office)},
              {"service", serviceRef(v.place.service)},
              {"site", siteJson(v.place.site)},
              {"month", v.month},
              {"timezone", v.timezone},
              {"slot_minutes", v.slotMinutes},
              {"capacity", v.capacity},
              {"video", v.video},
              {"days", std::move(dj)},
              {"slots", std::move(sj)}};
}

Json toJson(const StoredPlan& p) {
  Json j = p.spec;
  j["id"] = p.id;
  j["office"] = p.officeId;
  j["service"] = p.serviceId ? Json(*p.serviceId) : Json(nullptr);
  j["slot_minutes"] = p.slotMinutes;
  j["capacity"] = p.capacity;
  j["min_notice_minutes"] = p.minNoticeMinutes;
  j["max_days_ahead"] = p.maxDaysAhead;
  j["video"] = p.video;
  j["updated_at"] = formatIsoMs(p.updatedAt);
  return j;
}

Json toJson(const PlanList& v) {
  Json out = jsonArray(v.plans);
  return out;
}

Json toJson(const DeletedPlan& v) {
  return Json{{"deleted", v.id}};
}

Json toJson(const Agenda& v) {
  Json out = jsonArray(v.bookings);
  return Json{{"office", officeRef(v.office)}, {"date", v.date}, {"bookings", std::move(out)}};
}

Json toJson(const VideoJoin& v) {
  return Json{{"visit_id", v.visitId}, {"token", v.token}, {"office", officeRef(v.office)}};
}

}  // namespace sportello::booking
