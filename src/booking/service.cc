#include "booking/service.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "booking/model/ics.h"
#include "booking/lookup.h"
#include "citizens/lookup.h"
#include "booking/store.h"
#include "core/contact.h"
#include "core/token.h"
#include "directory/lookup.h"
#include "directory/service.h"
#include "platform/mail.h"
#include "platform/ratelimit.h"
#include "queue/checkin.h"
#include "reception/appointment.h"
#include "staff/lookup.h"

namespace sportello::booking {

namespace {

// The state as the Italian messages say it ("la prenotazione è già annullata").
const char* stateLabelIt(BookingState s) {
  switch (s) {
    case BookingState::kBooked: return "confermata";
    case BookingState::kCancelled: return "annullata";
    case BookingState::kArrived: return "registrata come arrivata";
    case BookingState::kNoShow: return "registrata come non presentata";
    case BookingState::kDone: return "conclusa";
  }
  return "chiusa";
}

constexpr const char* kSlotFull =
    "Questo orario è appena stato prenotato da un'altra persona: scegline un altro";
constexpr size_t kCodeChars = 8;

using std::chrono::milliseconds;

int64_t toMs(Seconds t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}
Seconds fromMs(int64_t ms) {
  return std::chrono::floor<std::chrono::seconds>(SysMillis(milliseconds(ms)));
}

std::string dayString(const date::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// Strict "YYYY-MM-DD".
std::optional<date::year_month_day> parseDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  int y = std::stoi(std::string(s.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

const date::time_zone* zoneOrNull(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// UTC instant of local midnight starting `d`.
int64_t localMidnightMs(const date::time_zone* tz, date::year_month_day d) {
  auto t = tz->to_sys(date::local_days{d}, date::choose::earliest);
  return toMs(std::chrono::floor<std::chrono::seconds>(t));
}

date::year_month_day localDay(const date::time_zone* tz, int64_t ms) {
  auto lt = tz->to_local(fromMs(ms));
  return date::year_month_day{date::floor<date::days>(lt)};
}

Error slotFull() {
  Error e(Errc::kConflict, kSlotFull, "start");
  e.reason = "slot_full";
  return e;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  auto sp = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && sp(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && sp(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

Result<directory::Office> findOffice(sql::Connection& c, const std::string& enteId,
                                     const std::string& ref) {
  SP_ASSIGN(auto all, directory::lookup::listOffices(c, enteId));
  for (auto& o : all) {
    if (o.id == ref || o.slug == ref) return std::move(o);
  }
  return makeError(Errc::kNotFound, "ufficio non trovato", "office");
}

// Everything a booking use case needs to know about one plan.
struct Ctx {
  directory::Ente ente;
  directory::Office office;
  std::optional<directory::Service> service;
  std::optional<directory::Site> site;
  StoredPlan stored;
  WorkingPlan plan;
};

Result<Ctx> loadPlanCtx(sql::Connection& c, const directory::Ente& ente, const StoredPlan& p) {
  Ctx x;
  x.ente = ente;
  SP_ASSIGN(x.office, directory::lookup::office(c, ente.id, p.officeId));
  if (p.serviceId) {
    SP_ASSIGN(x.service, directory::lookup::service(c, ente.id, *p.serviceId));
  }
  if (x.office.siteId) {
    auto s = directory::lookup::site(c, ente.id, *x.office.siteId);
    if (s.ok()) x.site = std::move(s.value());
  }
  SP_ASSIGN(auto holidays, directory::lookup::listHolidays(c, ente.id));
  SP_ASSIGN(x.plan, BookingService::workingPlan(p, ente, holidays));
  x.stored = p;
  return x;
}

Result<Ctx> findPlan(sql::Connection& c, const std::string& slug, const std::string& officeRef,
                     const std::optional<std::string>& serviceRef) {
  SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
  SP_ASSIGN(auto office, findOffice(c, ente.id, officeRef));
  std::optional<std::string> serviceId;
  if (serviceRef && !serviceRef->empty()) {
    SP_ASSIGN(auto all, directory::lookup::listServices(c, ente.id));
    for (auto& s : all) {
      if ((s.id == *serviceRef || s.prefix == *serviceRef) && s.officeId == office.id) {
        serviceId = s.id;
      }
    }
    if (!serviceId) {
      return makeError(Errc::kInvalid, "service: servizio sconosciuto per questo ufficio",
                       "service");
    }
  }
  auto p = store::planFor(c, office.id, serviceId);
  if (!p.ok()) {
    if (p.error().code != Errc::kNotFound) return p.error();
    return makeError(Errc::kNotFound, "questo ufficio non riceve su appuntamento per il servizio",
                     serviceId ? "service" : "office");
  }
  return loadPlanCtx(c, ente, p.value());
}

Result<BookedCounts> bookedCounts(sql::Connection& c, const std::string& planId, int64_t from,
                                  int64_t to) {
  SP_ASSIGN(auto rows, store::bookedBetween(c, planId, from, to));
  BookedCounts out;
  for (auto& [ms, n] : rows) out[fromMs(ms)] = n;
  return out;
}

BookingPlace placeOf(const Ctx& x) {
  return {x.office, x.service, x.site};
}

// The booking as its holder sees it (and staff, with `forStaff`).
BookingView viewOf(const Booking& b, const Ctx& x, int64_t nowMs, bool forStaff) {
  return {b, placeOf(x), nowMs, forStaff};
}

std::string staffTopic(const std::string& slug) {
  return staff::enteStaffTopic(slug);
}

// Loads the booking by code and checks the citizen's secret; a wrong secret and an unknown
// code look the same (404).
// The holder's proof: the booking's secret, or (no secret given) the signed-in citizen who made
// or claimed it (`citizen`, the caller; its session and CSRF checked by citizens/lookup.h).
Result<std::pair<Booking, Ctx>> holderBooking(sql::Connection& c, const std::string& slug,
                                              const std::string& code, const std::string& secret,
                                              const Caller* citizen = nullptr, int64_t now = 0) {
  auto notFound = makeError(Errc::kNotFound, "prenotazione non trovata");
  if (code.empty() || code.size() > 32 || secret.size() > 128) return notFound;
  SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
  Result<Booking> b = notFound;
  if (secret.empty()) {
    if (!citizen || citizen->citizen.empty()) return notFound;
    auto owns = citizens::lookup::callerOwns(c, *citizen, ente.id, "booking", code, now);
    if (!owns.ok()) return owns.error().code == Errc::kNotFound ? notFound : owns.error();
    b = store::bookingByCode(c, ente.id, code);
  } else {
    b = lookup::holderBooking(c, ente.id, code, secret);  // the one check of the manage link
  }
  if (!b.ok()) return notFound;
  SP_ASSIGN(auto p, store::plan(c, b->planId));
  SP_ASSIGN(auto x, loadPlanCtx(c, ente, p));
  return std::make_pair(std::move(b.value()), std::move(x));
}

// Checks the requested slot against the plan, its window and its places, and takes a place.
Result<Slot> takeSlot(sql::Connection& c, const Ctx& x, const std::string& dayStr,
                      const std::string& start, int64_t nowMs) {
  auto day = parseDay(dayStr);
  if (!day) return makeError(Errc::kInvalid, "date: data AAAA-MM-GG", "date");
  auto slot = findSlot(x.plan, *day, start);
  if (!slot.ok()) {
    if (slot.error().code == Errc::kNotFound) {
      return makeError(Errc::kInvalid, "start: orario non disponibile quel giorno", "start");
    }
    return makeError(Errc::kInvalid, "start: orario HH:MM", "start");
  }
  if (!inWindow(x.plan, slot->startUtc, fromMs(nowMs))) {
    return makeError(Errc::kInvalid,
                     toMs(slot->startUtc) < nowMs + x.stored.minNoticeMinutes * 60000LL
                         ? "start: troppo presto per prenotare questo orario"
                         : "start: orario troppo lontano nel tempo",
                     "start");
  }
  SP_ASSIGN(bool took, store::take(c, x.stored.id, toMs(slot->startUtc), x.plan.capacity));
  if (!took) return slotFull();
  return slot;
}

// Cancelled or moved while its video visit waits (in the 10 minutes before the start): the
// visit leaves the office's line.
Status withdrawVisit(Tx& tx, Booking& b) {
  if (!b.visitId) return okStatus();
  SP_TRY(reception::withdrawAppointmentVisit(tx, *b.visitId));
  b.visitId.reset();
  return okStatus();
}

// The event staff consoles follow.
Status announce(Tx& tx, const std::string& slug, const Booking& b, const Ctx& x) {
  return tx.emit(staffTopic(slug), "booking.updated", toJson(viewOf(b, x, tx.nowMs(), true)));
}

std::string manageLink(const std::string& origin, const std::string& slug, const Booking& b) {
  return origin + "/" + slug + "/prenotazione/" + b.code;
}

std::string whatOf(const Ctx& x) {
  return x.service ? x.service->name + " - " + x.office.name : x.office.name;
}

std::string icsFor(const Booking& b, const Ctx& x, int64_t nowMs, const std::string& origin,
                   const std::string& slug) {
  IcsEvent e;
  e.uid = b.id + "@sportello";
  e.stampMs = nowMs;
  e.startMs = b.startUtc;
  e.endMs = b.endUtc;
  e.summary = "Appuntamento: " + whatOf(x) + " (" + x.ente.name + ")";
  if (b.mode == "video") {
    e.location = "Videochiamata";
  } else if (x.site) {
    e.location = x.site->name + ", " + x.site->address;
  }
  e.description = "Codice prenotazione: " + b.code;
  if (x.service && !x.service->documents.empty()) {
    e.description += "\nDocumenti da portare: " + x.service->documents;
  }
  if (!origin.empty()) e.url = manageLink(origin, slug, b);
  e.cancelled = b.state == BookingState::kCancelled;
  // Tenths of a second since the booking was made (≥ 1 once changed; fits the 31-bit INTEGER
  // for 6 years): a later version (moved, cancelled) has a higher one.
  int64_t changed = b.updatedAt - b.createdAt;
  e.sequence = changed <= 0 ? 0 : std::max<int64_t>(1, changed / 100);
  return renderIcs(e);
}

// "mercoledì 2 dicembre 2026" / "Wednesday 2 December 2026" from "YYYY-MM-DD".
std::string longDay(const std::string& day, bool en) {
  static const char* itW[] = {"lunedì",  "martedì", "mercoledì", "giovedì",
                              "venerdì", "sabato",  "domenica"};
  static const char* enW[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                              "Friday", "Saturday", "Sunday"};
  static const char* itM[] = {"gennaio",   "febbraio", "marzo",    "aprile",
                              "maggio",    "giugno",   "luglio",   "agosto",
                              "settembre", "ottobre",  "novembre", "dicembre"};
  static const char* enM[] = {"January",   "February", "March",    "April",
                              "May",       "June",     "July",     "August",
                              "September", "October",  "November", "December"};
  auto d = parseDay(day);
  if (!d) return day;
  unsigned wd = date::weekday{date::sys_days{*d}}.iso_encoding();  // 1..7
  unsigned m = static_cast<unsigned>(d->month());
  return std::string(en ? enW[wd - 1] : itW[wd - 1]) + " " +
         std::to_string(static_cast<unsigned>(d->day())) + " " + (en ? enM[m - 1] : itM[m - 1]) +
         " " + std::to_string(static_cast<int>(d->year()));
}

std::string mailKey(const Booking& b, const std::string& kind, int64_t at) {
  return "booking:" + b.id + ":" + kind + ":" + std::to_string(at);
}

// The body of one booking email.
std::string mailText(const Booking& b, const Ctx& x, const std::string& intro,
                     const std::string& link, bool en) {
  // The first line never carries what the person typed (the form is anonymous and mails any
  // address): the name comes later, quoted, as the booking's holder.
  std::string t = std::string(en ? "Dear citizen," : "Gentile cittadina, gentile cittadino,") +
                  "\n" + intro + "\n\n";
  t += (en ? "Booked for: \"" : "Prenotazione a nome di: \"") + b.firstName + " " + b.lastName +
       "\"\n";
  t += (en ? "Office: " : "Ufficio: ") + x.office.name + "\n";
  if (x.service) t += (en ? "Service: " : "Servizio: ") + x.service->name + "\n";
  t +=
      (en ? "When: " : "Quando: ") + longDay(b.day, en) + (en ? " at " : " alle ") + b.start + "\n";
  if (b.mode == "video") {
    t += en ? "Where: by video call, from the booking's page\n"
            : "Dove: in videochiamata, dalla pagina della prenotazione\n";
  } else if (x.site) {
    t += (en ? "Where: " : "Dove: ") + x.site->name + ", " + x.site->address + "\n";
  }
  t += (en ? "Booking code: " : "Codice prenotazione: ") + b.code + "\n";
  if (x.service && !x.service->documents.empty() && b.state == BookingState::kBooked) {
    t += (en ? "Documents to bring: " : "Documenti da portare: ") + x.service->documents + "\n";
  }
  if (!link.empty() && b.state == BookingState::kBooked) {
    t += (en ? "\nTo cancel or move the appointment: "
             : "\nPer annullare o spostare l'appuntamento: ") +
         link + "\n";
    // The same link rates the appointment once it is done (feedback, one rating per contact):
    // the secret exists only in this mail, so the rating's link is this one.
    t += en ? "After the appointment, the same link lets you tell us how it went.\n"
            : "Dopo l'appuntamento, dallo stesso link puoi dirci com'è andata.\n";
  }
  t += "\n" + x.ente.name + "\n";
  return t;
}

// Drops the pending reminder of a booking (cancelled, moved, or handled at the desk).
Status cancelReminder(Tx& tx, Booking& b) {
  if (b.reminderKey) {
    SP_TRY(mail::cancel(tx, *b.reminderKey));
  }
  b.reminderKey.reset();
  return okStatus();
}

// Emails of the booking, in the mail outbox (sent once the transaction commits):
//   confirmation  the booking (new or moved): confirmation with the .ics, and the reminder
//                 `reminderHours` before the start (not when that is already past)
//   cancelled     the booking was cancelled: the notice with a cancelling .ics; the reminder
//                 is dropped
//   moved         `b` is the booking before the move: notice that the old time is cancelled;
//                 its reminder is dropped
// The manage link (with the holder's secret, when known) goes in the confirmation and reminder.
Status queueMails(Tx& tx, Booking& b, const Ctx& x, const std::string& kind,
                  const BookingOptions& o, const std::string& secret) {
  bool en = b.lang == "en";
  std::string slug = x.ente.slug;
  std::string link;
  if (!secret.empty()) {
    link = o.publicOrigin + "/" + slug + "/prenotazione/" + b.code + "#" + secret;
  }
  std::string when = longDay(b.day, en) + (en ? " at " : " alle ") + b.start;
  std::string what = x.service ? x.service->name : x.office.name;
  int64_t now = tx.nowMs();
  mail::Mail m;
  m.enteId = b.enteId;
  m.to = b.email;
  if (kind == "confirmation") {
    m.subject = (en ? "Booking confirmed: " : "Prenotazione confermata: ") + what + ", " + when;
    m.text =
        mailText(b, x, en ? "your appointment is confirmed." : "la tua prenotazione è confermata.",
                 link, en);
    m.dedupKey = mailKey(b, "confirmation", b.updatedAt);
    m.attachments.push_back({"appuntamento.ics", "text/calendar; method=PUBLISH",
                             icsFor(b, x, now, o.publicOrigin, slug)});
    SP_TRY(mail::enqueue(tx, m));
    if (o.reminderHours > 0) {
      int64_t at = b.startUtc - int64_t{o.reminderHours} * 3600 * 1000;
      if (at > now) {
        mail::Mail r;
        r.enteId = b.enteId;
        r.to = b.email;
        r.subject = (en ? "Reminder: appointment " : "Promemoria: appuntamento ") + when;
        r.text = mailText(
            b, x,
            en ? "this is a reminder of your appointment." : "ti ricordiamo il tuo appuntamento.",
            link, en);
        r.dedupKey = mailKey(b, "reminder", b.updatedAt);
        r.notBeforeMs = at;
        SP_TRY(mail::enqueue(tx, r));
        b.reminderKey = r.dedupKey;
      }
    }
    return okStatus();
  }
  SP_TRY(cancelReminder(tx, b));
  Booking c = b;
  c.state = BookingState::kCancelled;
  if (kind == "moved") {
    m.subject = (en ? "Appointment moved: " : "Appuntamento spostato: ") + what + ", " + when +
                (en ? " is cancelled" : " è annullato");
    m.text = mailText(c, x,
                      en ? "your appointment was moved: this time is cancelled, a new "
                           "confirmation follows."
                         : "il tuo appuntamento è stato spostato: questo orario è annullato, "
                           "segue la nuova conferma.",
                      "", en);
    m.dedupKey = mailKey(b, "moved", b.updatedAt);
  } else {
    m.subject = (en ? "Booking cancelled: " : "Prenotazione annullata: ") + what + ", " + when;
    m.text = mailText(
        c, x, en ? "your appointment was cancelled." : "il tuo appuntamento è stato annullato.", "",
        en);
    m.dedupKey = mailKey(b, "cancelled", b.updatedAt);
  }
  m.attachments.push_back({"appuntamento.ics", "text/calendar; method=PUBLISH",
                           icsFor(c, x, now, o.publicOrigin, slug)});
  SP_TRY(mail::enqueue(tx, m));
  return okStatus();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Plans

Status BookingService::planFromJson(const Json& body, StoredPlan& p) {
  if (!body.is_object()) return makeError(Errc::kInvalid, "corpo JSON: oggetto atteso");
  Fields f(body);
  std::string office;
  std::optional<std::string> service;
  f.str("office", office, {.maxLen = 64});
  f.optStr("service", service, {.maxLen = 64});
  int64_t slot = 30, capacity = 1, notice = 24 * 60, ahead = 60;
  f.integer("slot_minutes", slot, kMinSlotMinutes, kMaxSlotMinutes, true);
  f.integer("capacity", capacity, 1, kMaxCapacity, true);
  f.integer("min_notice_minutes", notice, 0, 366LL * 24 * 60);
  f.integer("max_days_ahead", ahead, 1, kMaxDaysAhead);
  f.boolean("video", p.video);
  Json spec = {
      {"periods", Json::array()}, {"breaks", Json::array()}, {"exceptions", Json::array()}};
  for (const char* k : {"periods", "breaks", "exceptions"}) {
    if (const Json* a = f.raw(k, Json::value_t::array, std::string(k) == "periods")) spec[k] = *a;
  }
  SP_TRY(f.finish());
  p.slotMinutes = static_cast<int>(slot);
  p.capacity = static_cast<int>(capacity);
  p.minNoticeMinutes = static_cast<int>(notice);
  p.maxDaysAhead = static_cast<int>(ahead);
  p.spec = std::move(spec);
  return okStatus();
}

Result<WorkingPlan> BookingService::workingPlan(
    const StoredPlan& p, const directory::Ente& e,
    const std::vector<directory::EnteHoliday>& holidays) {
  WorkingPlan w;
  w.tz = zoneOrNull(e.timezone);
  if (!w.tz) return makeError(Errc::kInternal, "fuso orario dell'ente non valido");
  w.slotMinutes = p.slotMinutes;
  w.capacity = p.capacity;
  w.minNotice = std::chrono::minutes(p.minNoticeMinutes);
  w.maxDaysAhead = p.maxDaysAhead;
  if (e.patronDay && e.patronDay->size() == 5) {
    unsigned m = static_cast<unsigned>(std::atoi(e.patronDay->substr(0, 2).c_str()));
    unsigned d = static_cast<unsigned>(std::atoi(e.patronDay->substr(3, 2).c_str()));
    w.patronDay = date::month{m} / date::day{d};
    w.patronName = e.patronName.value_or("");
  }
  for (const auto& h : holidays) {
    if (auto d = parseDay(h.date)) w.extraHolidays.push_back({*d, h.name});
  }
  auto range = [](const Json& j, const std::string& field) -> Result<directory::MinuteRange> {
    if (!j.is_object()) return makeError(Errc::kInvalid, field + ": oggetto atteso", field);
    Fields f(j, field);
    std::string s, e;
    int64_t wd = 1;
    f.str("start", s, {.maxLen = 5, .required = true});
    f.str("end", e, {.maxLen = 5, .required = true});
    f.integer("weekday", wd, 1, 7);
    SP_TRY(f.finish());
    auto a = directory::parseHm(s);
    if (!a.ok()) return makeError(Errc::kInvalid, field + ".start: orario HH:MM", field + ".start");
    auto b = directory::parseHm(e);
    if (!b.ok()) return makeError(Errc::kInvalid, field + ".end: orario HH:MM", field + ".end");
    return directory::MinuteRange{a.value(), b.value()};
  };
  auto weekly = [&](const char* key, std::vector<WeeklyPeriod>& out) -> Status {
    if (!p.spec.contains(key)) return okStatus();
    const Json& arr = p.spec[key];
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string field = std::string(key) + "[" + std::to_string(i) + "]";
      SP_ASSIGN(auto r, range(arr[i], field));
      if (!arr[i].contains("weekday")) {
        return makeError(Errc::kInvalid, field + ".weekday: obbligatorio", field + ".weekday");
      }
      out.push_back({arr[i]["weekday"].get<int>(), r});
    }
    return okStatus();
  };
  SP_TRY(weekly("periods", w.periods));
  SP_TRY(weekly("breaks", w.breaks));
  if (p.spec.contains("exceptions")) {
    const Json& arr = p.spec["exceptions"];
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string field = "exceptions[" + std::to_string(i) + "]";
      if (!arr[i].is_object()) return makeError(Errc::kInvalid, field + ": oggetto atteso", field);
      Fields f(arr[i], field);
      std::string day, note;
      bool closed = false;
      f.str("date", day, {.maxLen = 10, .required = true});
      f.boolean("closed", closed);
      f.str("note", note, {.maxLen = 200});
      const Json* periods = f.raw("periods", Json::value_t::array);
      SP_TRY(f.finish());
      auto d = parseDay(day);
      if (!d) return makeError(Errc::kInvalid, field + ".date: data AAAA-MM-GG", field + ".date");
      PlanException x{*d, closed, {}, note};
      if (periods) {
        for (size_t k = 0; k < periods->size(); ++k) {
          SP_ASSIGN(auto r, range((*periods)[k], field + ".periods[" + std::to_string(k) + "]"));
          x.periods.push_back(r);
        }
      }
      w.exceptions.push_back(std::move(x));
    }
  }
  if (auto st = validatePlan(w); !st.ok()) {
    // The model names its own fields; the client sent the API's names.
    Error e = st.error();
    static const std::pair<const char*, const char*> kApiNames[] = {
        {"slotMinutes", "slot_minutes"},
        {"maxDaysAhead", "max_days_ahead"},
        {"minNotice", "min_notice_minutes"}};
    for (const auto& [model, api] : kApiNames) {
      if (e.field == model) e.field = api;
    }
    return e;
  }
  return w;
}

BookingService::BookingService(Database& db, const Clock& clock, staff::StaffService& staff,
                               BookingOptions opts)
    : db_(db), clock_(clock), staff_(staff), opts_(std::move(opts)) {}

// ---------------------------------------------------------------------------------------------
// Public

asio::awaitable<Result<Bookable>> BookingService::bookable(std::string slug) {
  int64_t now = clock_.nowMs();
  auto job = [slug, now](sql::Connection& c) -> Result<Bookable> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    SP_ASSIGN(auto plans, store::plans(c, ente.id));
    SP_ASSIGN(auto offices, directory::lookup::listOffices(c, ente.id));
    SP_ASSIGN(auto services, directory::lookup::listServices(c, ente.id));
    SP_ASSIGN(auto sites, directory::lookup::listSites(c, ente.id));
    Bookable out;
    out.enteSlug = ente.slug;
    out.enteName = ente.name;
    for (const auto& o : offices) {
      BookableOffice bo;
      bo.office = o;
      auto add = [&](const StoredPlan& p, const directory::Service* s) {
        BookablePlan bp{p.id, p.slotMinutes, p.video, std::nullopt};
        if (s) bp.service = *s;
        bo.plans.push_back(std::move(bp));
      };
      for (const auto& p : plans) {
        if (p.officeId == o.id && !p.serviceId) add(p, nullptr);
      }
      for (const auto& s : services) {  // in the services' order
        for (const auto& p : plans) {
          if (p.officeId == o.id && p.serviceId == s.id) add(p, &s);
        }
      }
      if (bo.plans.empty()) continue;
      for (const auto& s : sites) {
        if (o.siteId == s.id) bo.site = s;
      }
      out.offices.push_back(std::move(bo));
    }
    const date::time_zone* tz = zoneOrNull(ente.timezone);
    if (tz) out.today = dayString(localDay(tz, now));
    return out;
  };
  co_return co_await db_.read<Bookable>(std::move(job));
}

asio::awaitable<Result<MonthAvailability>> BookingService::availability(
    std::string slug, std::string office, std::optional<std::string> service, std::string month) {
  int64_t now = clock_.nowMs();
  auto job = [slug, office, service, month, now](sql::Connection& c) -> Result<MonthAvailability> {
    int y = 0;
    unsigned m = 0;
    if (month.size() != 7 || month[4] != '-' || !parseDay(month + "-01")) {
      return makeError(Errc::kInvalid, "month: mese AAAA-MM", "month");
    }
    y = std::stoi(month.substr(0, 4));
    m = static_cast<unsigned>(std::stoi(month.substr(5, 2)));
    SP_ASSIGN(auto x, findPlan(c, slug, office, service));
    date::year_month_day first{date::year{y}, date::month{m}, date::day{1}};
    date::year_month_day last{
        date::year_month_day_last{date::year{y}, date::month_day_last{date::month{m}}}};
    int64_t from = localMidnightMs(x.plan.tz, first);
    int64_t to = localMidnightMs(x.plan.tz, date::sys_days{last} + date::days{1});
    SP_ASSIGN(auto booked, bookedCounts(c, x.stored.id, from, to));
    MonthAvailability out;
    SP_ASSIGN(out.slots, slotsBetween(x.plan, first, last, fromMs(now), booked));
    // The month view's days from the same slots (what monthAvailability computes, once).
    unsigned nDays = static_cast<unsigned>(last.day());
    out.days.resize(nDays);
    for (unsigned i = 0; i < nDays; ++i) {
      out.days[i].day = date::year_month_day{date::year{y}, date::month{m}, date::day{i + 1}};
    }
    for (const auto& sl : out.slots) {
      auto& d = out.days[static_cast<unsigned>(sl.day.day()) - 1];
      d.slots += 1;
      d.places += sl.capacity;
      d.free += sl.free;
    }
    out.place = placeOf(x);
    out.month = month;
    out.timezone = x.ente.timezone;
    out.slotMinutes = x.stored.slotMinutes;
    out.capacity = x.stored.capacity;
    out.video = x.stored.video;
    return out;
  };
  co_return co_await db_.read<MonthAvailability>(std::move(job));
}

asio::awaitable<Result<NewBooking>> BookingService::book(std::string slug, BookInput in) {
  in.firstName = trim(in.firstName);
  in.lastName = trim(in.lastName);
  in.email = lower(trim(in.email));
  if (in.firstName.empty())
    co_return makeError(Errc::kInvalid, "first_name: obbligatorio", "first_name");
  if (in.lastName.empty())
    co_return makeError(Errc::kInvalid, "last_name: obbligatorio", "last_name");
  if (!contact::validEmail(in.email)) {
    co_return makeError(Errc::kInvalid, "email: indirizzo email non valido", "email");
  }
  if (in.phone) {
    in.phone = trim(*in.phone);
    if (in.phone->empty()) {
      in.phone.reset();
    } else {
      if (!contact::validPhone(*in.phone)) {
        co_return makeError(Errc::kInvalid, "phone: numero di telefono non valido", "phone");
      }
    }
  }
  if (in.notes && trim(*in.notes).empty()) in.notes.reset();
  if (in.mode != "in_person" && in.mode != "video") {
    co_return makeError(Errc::kInvalid, "mode: in_person o video", "mode");
  }
  // Bookings per client address, counted in the booking's transaction on every node.
  ratelimit::Rule perAddress{"booking.address", opts_.perAddressPerHour};
  int64_t now = clock_.nowMs();
  std::string secret = newSecret();
  Booking b;
  b.id = newId();
  b.code = readableCode(kCodeChars);
  b.secretHash = sha256Hex(secret);
  b.firstName = in.firstName;
  b.lastName = in.lastName;
  b.email = in.email;
  b.phone = in.phone;
  b.notes = in.notes;
  b.mode = in.mode;
  b.lang = in.lang;
  b.createdAt = b.updatedAt = now;
  auto job = [this, slug, in, b, now, secret, perAddress](Tx& tx) mutable -> Result<BookingView> {
    auto& c = tx.conn();
    SP_ASSIGN(int64_t wait, ratelimit::take(tx, perAddress, in.remote));
    if (wait > 0) {
      Error e = ratelimit::tooMany("Ci sono già troppe prenotazioni da questo indirizzo.", wait);
      e.reason = "limit";
      return e;
    }
    SP_ASSIGN(auto x, findPlan(c, slug, in.office, in.service));
    if (b.mode == "video" && !x.stored.video) {
      return makeError(Errc::kInvalid, "mode: questo ufficio non riceve in video", "mode");
    }
    SP_ASSIGN(int64_t active, store::activeFor(c, x.office.id, b.email, now));
    if (active >= kMaxActivePerEmailPerOffice) {
      Error e(Errc::kTooManyRequests,
              "Hai già " + std::to_string(active) +
                  " appuntamenti prenotati con questo ufficio: annullane uno per prenotarne un "
                  "altro");
      e.reason = "limit";
      return e;
    }
    SP_ASSIGN(auto slot, takeSlot(c, x, in.date, in.start, now));
    b.enteId = x.ente.id;
    b.officeId = x.office.id;
    b.serviceId = x.stored.serviceId;
    b.planId = x.stored.id;
    b.startUtc = toMs(slot.startUtc);
    b.endUtc = toMs(slot.endUtc);
    b.day = dayString(slot.day);
    b.start = slot.start;
    SP_TRY(queueMails(tx, b, x, "confirmation", opts_, secret));
    SP_TRY(store::insertBooking(c, b));
    SP_TRY(announce(tx, slug, b, x));
    return viewOf(b, x, now, false);
  };
  auto r = co_await db_.write<BookingView>(std::move(job));
  if (!r.ok()) co_return r.error();
  co_return NewBooking{std::move(r.value()), secret};
}

asio::awaitable<Result<BookingView>> BookingService::view(std::string slug, std::string code,
                                                          std::string secret, Caller caller) {
  int64_t now = clock_.nowMs();
  auto job = [slug, code, secret, now, caller](sql::Connection& c) -> Result<BookingView> {
    SP_ASSIGN(auto bx, holderBooking(c, slug, code, secret, &caller, now));
    return viewOf(bx.first, bx.second, now, false);
  };
  co_return co_await db_.read<BookingView>(std::move(job));
}

asio::awaitable<Result<BookingView>> BookingService::cancel(std::string slug, std::string code,
                                                            std::string secret, Caller caller) {
  auto job = [this, slug, code, secret, caller](Tx& tx) -> Result<BookingView> {
    auto& c = tx.conn();
    int64_t now = tx.nowMs();
    SP_ASSIGN(auto bx, holderBooking(c, slug, code, secret, &caller, now));
    auto& [b, x] = bx;
    if (b.state != BookingState::kBooked || b.startUtc <= now) {
      Error e(Errc::kConflict, "questa prenotazione non si può più annullare");
      e.reason = "not_changeable";
      return e;
    }
    SP_TRY(store::release(c, b.planId, b.startUtc));
    b.state = BookingState::kCancelled;
    b.updatedAt = now;
    SP_TRY(withdrawVisit(tx, b));
    SP_TRY(queueMails(tx, b, x, "cancelled", opts_, ""));
    SP_TRY(store::updateBooking(c, b));
    SP_TRY(announce(tx, slug, b, x));
    return viewOf(b, x, now, false);
  };
  co_return co_await db_.write<BookingView>(std::move(job));
}

asio::awaitable<Result<BookingView>> BookingService::reschedule(std::string slug, std::string code,
                                                                std::string secret,
                                                                std::string date,
                                                                std::string start,
                                                                Caller caller) {
  auto job = [this, slug, code, secret, date, start, caller](Tx& tx) -> Result<BookingView> {
    auto& c = tx.conn();
    int64_t now = tx.nowMs();
    SP_ASSIGN(auto bx, holderBooking(c, slug, code, secret, &caller, now));
    auto& [b, x] = bx;
    if (b.state != BookingState::kBooked || b.startUtc <= now) {
      Error e(Errc::kConflict, "questa prenotazione non si può più spostare");
      e.reason = "not_changeable";
      return e;
    }
    if (date == b.day && start == b.start) {
      return makeError(Errc::kInvalid, "start: è già l'orario della prenotazione", "start");
    }
    SP_ASSIGN(auto slot, takeSlot(c, x, date, start, now));
    SP_TRY(store::release(c, b.planId, b.startUtc));
    Booking old = b;
    b.startUtc = toMs(slot.startUtc);
    b.endUtc = toMs(slot.endUtc);
    b.day = dayString(slot.day);
    b.start = slot.start;
    b.updatedAt = now;
    b.reminderKey.reset();
    SP_TRY(withdrawVisit(tx, b));
    SP_TRY(queueMails(tx, old, x, "moved", opts_, ""));
    SP_TRY(queueMails(tx, b, x, "confirmation", opts_, secret));
    SP_TRY(store::updateBooking(c, b));
    SP_TRY(announce(tx, slug, b, x));
    return viewOf(b, x, now, false);
  };
  co_return co_await db_.write<BookingView>(std::move(job));
}

asio::awaitable<Result<std::string>> BookingService::ics(std::string slug, std::string code,
                                                         std::string secret) {
  int64_t now = clock_.nowMs();
  std::string origin = opts_.publicOrigin;
  auto job = [slug, code, secret, now, origin](sql::Connection& c) -> Result<std::string> {
    SP_ASSIGN(auto bx, holderBooking(c, slug, code, secret));
    return icsFor(bx.first, bx.second, now, origin, slug);
  };
  co_return co_await db_.read<std::string>(std::move(job));
}

// ---------------------------------------------------------------------------------------------
// Staff

asio::awaitable<Result<PlanList>> BookingService::listPlans(staff::StaffContext ctx) {
  std::string enteId = ctx.op.enteId;
  auto job = [enteId](sql::Connection& c) -> Result<PlanList> {
    SP_ASSIGN(auto plans, store::plans(c, enteId));
    return PlanList{std::move(plans)};
  };
  co_return co_await db_.read<PlanList>(std::move(job));
}

asio::awaitable<Result<StoredPlan>> BookingService::putPlan(staff::StaffContext ctx, Json body) {
  StoredPlan p;
  SP_CO_TRY(planFromJson(body, p));
  std::string office = body.value("office", "");
  std::optional<std::string> service;
  if (body.contains("service") && body["service"].is_string()) service = body["service"];
  if (office.empty()) co_return makeError(Errc::kInvalid, "office: obbligatorio", "office");
  std::string slug = ctx.enteSlug;
  p.updatedAt = clock_.nowMs();
  auto job = [slug, office, service, p](Tx& tx) mutable -> Result<StoredPlan> {
    auto& c = tx.conn();
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    SP_ASSIGN(auto o, findOffice(c, ente.id, office));
    if (service) {  // an id or a prefix letter, of a service of this office
      SP_ASSIGN(auto all, directory::lookup::listServices(c, ente.id));
      auto it = std::find_if(all.begin(), all.end(), [&](const directory::Service& s) {
        return (s.id == *service || s.prefix == *service) && s.officeId == o.id;
      });
      if (it == all.end()) {
        return makeError(Errc::kInvalid, "service: servizio sconosciuto per questo ufficio",
                         "service");
      }
      service = it->id;
    }
    p.enteId = ente.id;
    p.officeId = o.id;
    p.serviceId = service;
    auto existing = store::planFor(c, o.id, service);
    p.id = existing.ok() ? existing->id : newId();
    SP_TRY(BookingService::workingPlan(p, ente, {}));
    SP_TRY(store::upsertPlan(c, p));
    SP_TRY(tx.emit(staffTopic(slug), "booking.plan.updated", toJson(p)));
    return p;
  };
  co_return co_await db_.write<StoredPlan>(std::move(job));
}

asio::awaitable<Result<DeletedPlan>> BookingService::deletePlan(staff::StaffContext ctx,
                                                                std::string id) {
  std::string enteId = ctx.op.enteId;
  std::string slug = ctx.enteSlug;
  auto job = [enteId, slug, id](Tx& tx) -> Result<DeletedPlan> {
    // Its bookings still to come would lose their calendar: cancel or move them first.
    SP_ASSIGN(auto active, tx.conn().one("SELECT COUNT(*) FROM bookings WHERE plan_id = ? AND "
                                         "state = 'booked' AND start_utc > ?",
                                         {id, tx.nowMs()}));
    if (active.i64(0) > 0) {
      Error e(Errc::kConflict, "questo calendario ha " + std::to_string(active.i64(0)) +
                                   " prenotazioni ancora da svolgere");
      e.reason = "has_bookings";
      return e;
    }
    SP_TRY(store::deletePlan(tx.conn(), enteId, id));
    SP_TRY(tx.emit(staffTopic(slug), "booking.plan.deleted", {{"id", id}}));
    return DeletedPlan{id};
  };
  co_return co_await db_.write<DeletedPlan>(std::move(job));
}

asio::awaitable<Result<Agenda>> BookingService::agenda(staff::StaffContext ctx, std::string office,
                                                       std::string date) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, office, date, now](sql::Connection& c) -> Result<Agenda> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, ctx.enteSlug));
    SP_ASSIGN(auto o, findOffice(c, ente.id, office));
    if (!staff::lookup::serves(ctx, ente.id, o.id)) {
      return makeError(Errc::kForbidden, "non fai parte di questo ufficio");
    }
    const date::time_zone* tz = zoneOrNull(ente.timezone);
    if (!tz) return makeError(Errc::kInternal, "fuso orario dell'ente non valido");
    date::year_month_day day = localDay(tz, now);
    if (!date.empty()) {
      auto d = parseDay(date);
      if (!d) return makeError(Errc::kInvalid, "date: data AAAA-MM-GG", "date");
      day = *d;
    }
    int64_t from = localMidnightMs(tz, day);
    int64_t to = localMidnightMs(tz, date::sys_days{day} + date::days{1});
    SP_ASSIGN(auto list, store::agenda(c, o.id, from, to));
    SP_ASSIGN(auto holidays, directory::lookup::listHolidays(c, ente.id));
    std::map<std::string, Ctx> ctxs;
    Agenda out{o, dayString(day), {}};
    for (const auto& b : list) {
      auto it = ctxs.find(b.planId);
      if (it == ctxs.end()) {
        auto p = store::plan(c, b.planId);
        if (!p.ok()) continue;  // its plan was deleted
        SP_ASSIGN(auto x, loadPlanCtx(c, ente, p.value()));
        it = ctxs.emplace(b.planId, std::move(x)).first;
      }
      out.bookings.push_back(viewOf(b, it->second, now, true));
    }
    return out;
  };
  co_return co_await db_.read<Agenda>(std::move(job));
}

asio::awaitable<Result<MarkedBooking>> BookingService::mark(staff::StaffContext ctx,
                                                            std::string code, BookingState state) {
  auto job = [this, ctx, code, state](Tx& tx) -> Result<MarkedBooking> {
    auto& c = tx.conn();
    int64_t now = tx.nowMs();
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, ctx.enteSlug));
    auto found = store::bookingByCode(c, ente.id, code);
    if (!found.ok()) return makeError(Errc::kNotFound, "prenotazione non trovata");
    Booking b = std::move(found.value());
    if (!staff::lookup::serves(ctx, ente.id, b.officeId)) {
      return makeError(Errc::kForbidden, "non fai parte di questo ufficio");
    }
    SP_ASSIGN(auto p, store::plan(c, b.planId));
    SP_ASSIGN(auto x, loadPlanCtx(c, ente, p));
    bool allowed = b.state == BookingState::kBooked ||
                   (state == BookingState::kDone && b.state == BookingState::kArrived);
    if (!allowed) {
      Error e(Errc::kConflict, std::string("la prenotazione è già ") + stateLabelIt(b.state));
      e.reason = "wrong_state";
      return e;
    }
    std::optional<MarkedBooking::Ticket> ticket;
    if (state == BookingState::kArrived && b.serviceId && x.site) {
      auto t =
          queue::issueAppointmentTicket(tx, ente.id, x.site->id, *b.serviceId, b.startUtc, b.lang);
      if (t.ok()) {
        b.ticketId = t->id;
        ticket = MarkedBooking::Ticket{t->id, t->code};
      } else if (t.error().reason != "not_served") {
        return t.error();
      }
    }
    b.state = state;
    b.updatedAt = now;
    SP_TRY(cancelReminder(tx, b));
    SP_TRY(store::updateBooking(c, b));
    // The figures (platform/contact_fact.h): a no-show; a done appointment served without a
    // ticket or a visit (those count as their own contacts).
    if (state == BookingState::kNoShow ||
        (state == BookingState::kDone && !b.ticketId && !b.visitId)) {
      ContactFact f;
      f.enteId = b.enteId;
      f.officeId = b.officeId;
      f.serviceId = b.serviceId;
      f.operatorId = b.operatorId;
      f.channel = "appointment";
      f.outcome = state == BookingState::kNoShow ? ContactOutcome::kNoShow : ContactOutcome::kServed;
      f.arrivedAt = b.startUtc;
      f.endedAt = now;
      SP_TRY(tx.recordContact(f));
    }
    SP_TRY(announce(tx, ctx.enteSlug, b, x));
    return MarkedBooking{viewOf(b, x, now, true), std::move(ticket)};
  };
  co_return co_await db_.write<MarkedBooking>(std::move(job));
}

asio::awaitable<Result<BookingView>> BookingService::assign(staff::StaffContext ctx,
                                                            std::string code, bool toMe) {
  auto job = [ctx, code, toMe](Tx& tx) -> Result<BookingView> {
    auto& c = tx.conn();
    int64_t now = tx.nowMs();
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, ctx.enteSlug));
    auto found = store::bookingByCode(c, ente.id, code);
    if (!found.ok()) return makeError(Errc::kNotFound, "prenotazione non trovata");
    Booking b = std::move(found.value());
    // Taking an appointment needs a place in the office (the reception visit is admitted there);
    // letting one go is open to the office's staff and to supervisors and admins.
    bool member = ctx.inOffice(b.officeId);
    if (toMe ? !member : !staff::lookup::serves(ctx, ente.id, b.officeId)) {
      return makeError(Errc::kForbidden, "non fai parte di questo ufficio");
    }
    if (b.state != BookingState::kBooked) {
      Error e(Errc::kConflict, std::string("la prenotazione è già ") + stateLabelIt(b.state));
      e.reason = "wrong_state";
      return e;
    }
    SP_ASSIGN(auto p, store::plan(c, b.planId));
    SP_ASSIGN(auto x, loadPlanCtx(c, ente, p));
    if (toMe) {
      b.operatorId = ctx.op.id;
      b.operatorName = ctx.op.displayName;
    } else {
      b.operatorId.reset();
      b.operatorName.reset();
    }
    b.updatedAt = now;
    SP_TRY(store::updateBooking(c, b));
    SP_TRY(announce(tx, ctx.enteSlug, b, x));
    return viewOf(b, x, now, true);
  };
  co_return co_await db_.write<BookingView>(std::move(job));
}

asio::awaitable<Result<VideoJoin>> BookingService::videoVisit(std::string slug, std::string code,
                                                              std::string secret) {
  auto job = [slug, code, secret](Tx& tx) -> Result<VideoJoin> {
    auto& c = tx.conn();
    int64_t now = tx.nowMs();
    SP_ASSIGN(auto bx, holderBooking(c, slug, code, secret));
    auto& [b, x] = bx;
    auto closed = [](std::string msg) {
      Error e(Errc::kConflict, std::move(msg));
      e.reason = "video_closed";
      return e;
    };
    if (b.mode != "video") return closed("Questo appuntamento non è in videochiamata.");
    if (b.state != BookingState::kBooked) {
      return closed(b.state == BookingState::kCancelled
                        ? "Questo appuntamento è stato annullato."
                        : "Questo appuntamento è già stato gestito dall'ufficio.");
    }
    if (now < b.startUtc - 10 * 60000) {
      return closed(
          "La videochiamata si apre 10 minuti prima dell'appuntamento: riprova più "
          "tardi.");
    }
    if (now >= b.endUtc) return closed("L'orario dell'appuntamento è terminato.");
    reception::AppointmentKnock in;
    in.enteId = x.ente.id;
    in.officeId = b.officeId;
    in.name = b.firstName + " " + b.lastName;
    in.topic = b.code;
    in.operatorId = b.operatorId;
    in.existingVisit = b.visitId;
    SP_ASSIGN(auto v, reception::knockForAppointment(tx, in));
    if (b.visitId != v.visitId) {
      b.visitId = v.visitId;
      b.updatedAt = now;
      SP_TRY(store::updateBooking(c, b));
      SP_TRY(announce(tx, slug, b, x));
    }
    return VideoJoin{v.visitId, v.token, x.office};
  };
  co_return co_await db_.write<VideoJoin>(std::move(job));
}

}  // namespace sportello::booking
