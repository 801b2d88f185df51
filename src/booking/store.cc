#include "booking/store.h"

#include "core/enum_names.h"
#include "platform/sql/columns.h"

namespace sportello::booking {

namespace {
constexpr auto kBookingStates = enumNames<BookingState>({{BookingState::kBooked, "booked"},
                                                         {BookingState::kCancelled, "cancelled"},
                                                         {BookingState::kArrived, "arrived"},
                                                         {BookingState::kNoShow, "no_show"},
                                                         {BookingState::kDone, "done"}});
static_assert(kBookingStates.distinct());
}  // namespace

const char* bookingStateName(BookingState s) {
  return kBookingStates.name(s);
}

std::optional<BookingState> parseBookingState(std::string_view s) {
  return kBookingStates.parse(s);
}

}  // namespace sportello::booking

namespace sportello::booking::store {

std::vector<Migration> migrations() {
  return {{700, "booking",
           R"sql(
CREATE TABLE booking_plans (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  service_id TEXT REFERENCES services(id),
  slot_minutes BIGINT NOT NULL,
  capacity BIGINT NOT NULL,
  min_notice_minutes BIGINT NOT NULL,
  max_days_ahead BIGINT NOT NULL,
  video BIGINT NOT NULL,
  spec TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX booking_plans_key ON booking_plans(office_id, COALESCE(service_id, ''));
CREATE INDEX booking_plans_ente ON booking_plans(ente_id);
CREATE TABLE booking_slots (
  plan_id TEXT NOT NULL REFERENCES booking_plans(id) ON DELETE CASCADE,
  start_utc BIGINT NOT NULL,
  booked BIGINT NOT NULL,
  PRIMARY KEY (plan_id, start_utc)
);
CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT NOT NULL REFERENCES offices(id),
  service_id TEXT REFERENCES services(id) ON DELETE SET NULL,
  plan_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  start_utc BIGINT NOT NULL,
  end_utc BIGINT NOT NULL,
  day TEXT NOT NULL,
  start_local TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT,
  notes TEXT,
  mode TEXT NOT NULL,
  state TEXT NOT NULL,
  lang TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  ticket_id TEXT,
  reminder_key TEXT
);
CREATE INDEX bookings_office_start ON bookings(office_id, start_utc);
CREATE INDEX bookings_email ON bookings(office_id, email, state);
)sql",
           ""},
          {701, "booking operator and video visit",
           "ALTER TABLE bookings ADD COLUMN operator_id TEXT;\n"
           "ALTER TABLE bookings ADD COLUMN visit_id TEXT;\n",
           ""}};
}

namespace {

const sql::Columns<StoredPlan> kPlan{
    sql::col<&StoredPlan::id>("id"),
    sql::col<&StoredPlan::enteId>("ente_id"),
    sql::col<&StoredPlan::officeId>("office_id"),
    sql::col<&StoredPlan::serviceId>("service_id"),
    sql::col<&StoredPlan::slotMinutes>("slot_minutes"),
    sql::col<&StoredPlan::capacity>("capacity"),
    sql::col<&StoredPlan::minNoticeMinutes>("min_notice_minutes"),
    sql::col<&StoredPlan::maxDaysAhead>("max_days_ahead"),
    sql::col<&StoredPlan::video>("video"),
    {"spec",
     [](StoredPlan& p, sql::RowReader& r) {
       p.spec = Json::parse(r.str(), nullptr, false);
       if (p.spec.is_discarded()) p.spec = Json::object();
     }},
    sql::col<&StoredPlan::updatedAt>("updated_at"),
};
const std::string kPlanCols = kPlan.select("FROM booking_plans ");

StoredPlan planFrom(const sql::Row& r) {
  return kPlan.read(r);
}

const sql::Columns<Booking> kBooking{
    sql::col<&Booking::id>("id"),
    sql::col<&Booking::enteId>("ente_id"),
    sql::col<&Booking::officeId>("office_id"),
    sql::col<&Booking::serviceId>("service_id"),
    sql::col<&Booking::planId>("plan_id"),
    sql::col<&Booking::code>("code"),
    sql::col<&Booking::secretHash>("secret_hash"),
    sql::col<&Booking::startUtc>("start_utc"),
    sql::col<&Booking::endUtc>("end_utc"),
    sql::col<&Booking::day>("day"),
    sql::col<&Booking::start>("start_local"),
    sql::col<&Booking::firstName>("first_name"),
    sql::col<&Booking::lastName>("last_name"),
    sql::col<&Booking::email>("email"),
    sql::col<&Booking::phone>("phone"),
    sql::col<&Booking::notes>("notes"),
    sql::col<&Booking::mode>("mode"),
    {"state",
     [](Booking& b, sql::RowReader& r) {
       b.state = parseBookingState(r.str()).value_or(BookingState::kCancelled);
     }},
    sql::col<&Booking::lang>("lang"),
    sql::col<&Booking::createdAt>("created_at"),
    sql::col<&Booking::updatedAt>("updated_at"),
    sql::col<&Booking::ticketId>("ticket_id"),
    sql::col<&Booking::reminderKey>("reminder_key"),
    sql::col<&Booking::operatorId>("operator_id"),
    sql::col<&Booking::visitId>("visit_id"),
    sql::col<&Booking::operatorName>(
        "(SELECT op.display_name FROM operators op WHERE op.id = bookings.operator_id)"),
};
const std::string kBookingCols = kBooking.select("FROM bookings ");

Booking bookingFrom(const sql::Row& r) {
  return kBooking.read(r);
}

}  // namespace

Status upsertPlan(sql::Connection& c, const StoredPlan& p) {
  SP_ASSIGN(int64_t n,
            c.exec("UPDATE booking_plans SET slot_minutes = ?, capacity = ?, min_notice_minutes = "
                   "?, max_days_ahead = ?, video = ?, spec = ?, updated_at = ? WHERE id = ?",
                   {int64_t{p.slotMinutes}, int64_t{p.capacity}, int64_t{p.minNoticeMinutes},
                    int64_t{p.maxDaysAhead}, int64_t{p.video ? 1 : 0}, p.spec.dump(), p.updatedAt,
                    p.id}));
  if (n > 0) return okStatus();
  SP_TRY(c.exec(
      "INSERT INTO booking_plans(id, ente_id, office_id, service_id, slot_minutes, capacity, "
      "min_notice_minutes, max_days_ahead, video, spec, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
      {p.id, p.enteId, p.officeId, sql::optText(p.serviceId), int64_t{p.slotMinutes},
       int64_t{p.capacity}, int64_t{p.minNoticeMinutes}, int64_t{p.maxDaysAhead},
       int64_t{p.video ? 1 : 0}, p.spec.dump(), p.updatedAt}));
  return okStatus();
}

Result<StoredPlan> plan(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string(kPlanCols) + "WHERE id = ?", {id}, "calendario"));
  return planFrom(r);
}

Result<StoredPlan> planFor(sql::Connection& c, const std::string& officeId,
                           const std::optional<std::string>& serviceId) {
  std::string s = serviceId.value_or("");
  SP_ASSIGN(auto r,
            c.one(std::string(kPlanCols) + "WHERE office_id = ? AND COALESCE(service_id, '') = ?",
                  {officeId, s}, "calendario"));
  return planFrom(r);
}

Result<std::vector<StoredPlan>> plans(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows,
            c.query(std::string(kPlanCols) + "WHERE ente_id = ? ORDER BY office_id, service_id",
                    {enteId}));
  std::vector<StoredPlan> out;
  for (auto& r : rows) out.push_back(planFrom(r));
  return out;
}

Status deletePlan(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(int64_t n,
            c.exec("DELETE FROM booking_plans WHERE id = ? AND ente_id = ?", {id, enteId}));
  if (n == 0) return makeError(Errc::kNotFound, "calendario non trovato");
  return okStatus();
}

Result<std::vector<std::pair<int64_t, int>>> bookedBetween(sql::Connection& c,
                                                           const std::string& planId,
                                                           int64_t fromMs, int64_t toMs) {
  SP_ASSIGN(auto rows, c.query("SELECT start_utc, booked FROM booking_slots WHERE plan_id = ? "
                               "AND start_utc >= ? AND start_utc < ? AND booked > 0",
                               {planId, fromMs, toMs}));
  std::vector<std::pair<int64_t, int>> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.emplace_back(r.i64(0), static_cast<int>(r.i64(1)));
  return out;
}

Result<bool> take(sql::Connection& c, const std::string& planId, int64_t startMs, int capacity) {
  SP_TRY(
      c.exec("INSERT INTO booking_slots(plan_id, start_utc, booked) VALUES(?, ?, 0) "
             "ON CONFLICT (plan_id, start_utc) DO NOTHING",
             {planId, startMs}));
  SP_ASSIGN(int64_t n, c.exec("UPDATE booking_slots SET booked = booked + 1 WHERE plan_id = ? "
                              "AND start_utc = ? AND booked < ?",
                              {planId, startMs, int64_t{capacity}}));
  return n == 1;
}

Status release(sql::Connection& c, const std::string& planId, int64_t startMs) {
  SP_TRY(
      c.exec("UPDATE booking_slots SET booked = booked - 1 WHERE plan_id = ? AND "
             "start_utc = ? AND booked > 0",
             {planId, startMs}));
  return okStatus();
}

Status insertBooking(sql::Connection& c, const Booking& b) {
  SP_TRY(c.exec(
      "INSERT INTO bookings(id, ente_id, office_id, service_id, plan_id, code, secret_hash, "
      "start_utc, end_utc, day, start_local, first_name, last_name, email, phone, notes, mode, "
      "state, lang, created_at, updated_at, ticket_id, reminder_key) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {b.id,
       b.enteId,
       b.officeId,
       sql::optText(b.serviceId),
       b.planId,
       b.code,
       b.secretHash,
       b.startUtc,
       b.endUtc,
       b.day,
       b.start,
       b.firstName,
       b.lastName,
       b.email,
       sql::optText(b.phone),
       sql::optText(b.notes),
       b.mode,
       bookingStateName(b.state),
       b.lang,
       b.createdAt,
       b.updatedAt,
       sql::optText(b.ticketId),
       sql::optText(b.reminderKey)}));
  return okStatus();
}

Status updateBooking(sql::Connection& c, const Booking& b) {
  SP_TRY(
      c.exec("UPDATE bookings SET plan_id = ?, start_utc = ?, end_utc = ?, day = ?, "
             "start_local = ?, state = ?, updated_at = ?, ticket_id = ?, reminder_key = ?, "
             "operator_id = ?, visit_id = ? WHERE id = ?",
             {b.planId, b.startUtc, b.endUtc, b.day, b.start, bookingStateName(b.state),
              b.updatedAt, sql::optText(b.ticketId), sql::optText(b.reminderKey),
              sql::optText(b.operatorId), sql::optText(b.visitId), b.id}));
  return okStatus();
}

Result<Booking> bookingByCode(sql::Connection& c, const std::string& enteId,
                              const std::string& code) {
  SP_ASSIGN(auto r, c.one(std::string(kBookingCols) + "WHERE code = ? AND ente_id = ?",
                          {code, enteId}, "prenotazione"));
  return bookingFrom(r);
}

Result<int64_t> activeFor(sql::Connection& c, const std::string& officeId,
                          const std::string& emailLower, int64_t nowMs) {
  SP_ASSIGN(auto r, c.one("SELECT COUNT(*) FROM bookings WHERE office_id = ? AND email = ? AND "
                          "state = 'booked' AND start_utc > ?",
                          {officeId, emailLower, nowMs}));
  return r.i64(0);
}

Result<std::vector<Booking>> agenda(sql::Connection& c, const std::string& officeId, int64_t fromMs,
                                    int64_t toMs) {
  SP_ASSIGN(auto rows, c.query(std::string(kBookingCols) +
                                   "WHERE office_id = ? AND start_utc >= ? AND start_utc < ? "
                                   "ORDER BY start_utc, created_at",
                               {officeId, fromMs, toMs}));
  std::vector<Booking> out;
  for (auto& r : rows) out.push_back(bookingFrom(r));
  return out;
}

}  // namespace sportello::booking::store
