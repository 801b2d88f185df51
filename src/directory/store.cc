#include "directory/store.h"

#include "core/token.h"
#include "platform/sql/columns.h"

namespace sportello::directory::store {

using sql::Row;
using sql::Value;

std::vector<Migration> migrations() {
  return {{200, "directory",
           R"sql(
CREATE TABLE enti (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  logo_url TEXT,
  primary_color TEXT NOT NULL,
  patron_day TEXT,
  patron_name TEXT,
  embed_origins TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sites_ente ON sites(ente_id);
CREATE TABLE offices (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  site_id TEXT REFERENCES sites(id) ON DELETE SET NULL,
  channels TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  sort BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, slug)
);
CREATE TABLE services (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  office_id TEXT REFERENCES offices(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  duration_minutes BIGINT NOT NULL,
  documents TEXT NOT NULL,
  sort BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, prefix)
);
CREATE TABLE holidays (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (ente_id, day)
);
CREATE TABLE schedule_rules (
  id TEXT PRIMARY KEY,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  weekday BIGINT NOT NULL,
  start_min BIGINT NOT NULL,
  end_min BIGINT NOT NULL,
  channel TEXT,
  position BIGINT NOT NULL
);
CREATE INDEX schedule_rules_office ON schedule_rules(office_id);
CREATE TABLE schedule_exceptions (
  id TEXT PRIMARY KEY,
  office_id TEXT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  closed BIGINT NOT NULL,
  ranges TEXT NOT NULL,
  channel TEXT,
  note TEXT NOT NULL
);
CREATE INDEX schedule_exceptions_office ON schedule_exceptions(office_id);
)sql",
           ""}};
}

namespace {

std::string toJsonArray(const std::vector<std::string>& v) {
  return Json(v).dump();
}

std::vector<std::string> fromJsonArray(const std::string& s) {
  Json j = Json::parse(s, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (auto& e : j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

const sql::Columns<Ente> kEnte{
    sql::col<&Ente::id>("id"),
    sql::col<&Ente::slug>("slug"),
    sql::col<&Ente::name>("name"),
    sql::col<&Ente::timezone>("timezone"),
    sql::col<&Ente::logoUrl>("logo_url"),
    sql::col<&Ente::primaryColor>("primary_color"),
    sql::col<&Ente::patronDay>("patron_day"),
    sql::col<&Ente::patronName>("patron_name"),
    {"embed_origins", [](Ente& e, sql::RowReader& r) { e.embedOrigins = fromJsonArray(r.str()); }},
};
const std::string kEnteCols = kEnte.list();

Ente enteFrom(const Row& r) {
  return kEnte.read(r);
}

const sql::Columns<Office> kOffice{
    sql::col<&Office::id>("id"),
    sql::col<&Office::enteId>("ente_id"),
    sql::col<&Office::slug>("slug"),
    sql::col<&Office::name>("name"),
    sql::col<&Office::description>("description"),
    sql::col<&Office::siteId>("site_id"),
    {"channels", [](Office& o, sql::RowReader& r) { o.channels = fromJsonArray(r.str()); }},
    sql::col<&Office::email>("email"),
    sql::col<&Office::phone>("phone"),
    sql::col<&Office::sort>("sort"),
};
const std::string kOfficeCols = kOffice.list();

Office officeFrom(const Row& r) {
  return kOffice.read(r);
}

const sql::Columns<Service> kService{
    sql::col<&Service::id>("id"),
    sql::col<&Service::enteId>("ente_id"),
    sql::col<&Service::officeId>("office_id"),
    sql::col<&Service::name>("name"),
    sql::col<&Service::prefix>("prefix"),
    sql::col<&Service::durationMinutes>("duration_minutes"),
    sql::col<&Service::documents>("documents"),
    sql::col<&Service::sort>("sort"),
};
const std::string kServiceCols = kService.list();

Service serviceFrom(const Row& r) {
  return kService.read(r);
}

Status expectOne(Result<int64_t> r, const char* what) {
  if (!r.ok()) return r.error();
  if (r.value() == 0) return makeError(Errc::kNotFound, std::string(what) + " non trovato");
  return okStatus();
}

std::optional<date::year_month_day> parseDay(const std::string& s) {
  unsigned y = 0, m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%4u-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
  date::year_month_day ymd{date::year(static_cast<int>(y)), date::month(m), date::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

Result<std::vector<Ente>> listEnti(sql::Connection& c) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kEnteCols + " FROM enti ORDER BY name"));
  std::vector<Ente> out;
  for (auto& r : rows) out.push_back(enteFrom(r));
  return out;
}

Result<Ente> enteBySlug(sql::Connection& c, const std::string& slug) {
  SP_ASSIGN(auto r, c.one(std::string("SELECT ") + kEnteCols + " FROM enti WHERE slug = ?", {slug},
                          "ente"));
  return enteFrom(r);
}

Result<Ente> enteById(sql::Connection& c, const std::string& id) {
  SP_ASSIGN(auto r,
            c.one(std::string("SELECT ") + kEnteCols + " FROM enti WHERE id = ?", {id}, "ente"));
  return enteFrom(r);
}

Status insertEnte(sql::Connection& c, const Ente& e, int64_t now) {
  SP_TRY(
      c.exec("INSERT INTO enti(id, slug, name, timezone, logo_url, "
             "primary_color, patron_day, "
             "patron_name, embed_origins, created_at, updated_at) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?)",
             {e.id, e.slug, e.name, e.timezone, sql::optText(e.logoUrl), e.primaryColor,
              sql::optText(e.patronDay), sql::optText(e.patronName), toJsonArray(e.embedOrigins),
              now, now}));
  return okStatus();
}

Status updateEnte(sql::Connection& c, const Ente& e, int64_t now) {
  return expectOne(
      c.exec("UPDATE enti SET name=?, logo_url=?, primary_color=?, patron_day=?, "
             "patron_name=?, embed_origins=?, updated_at=? WHERE id=?",
             {e.name, sql::optText(e.logoUrl), e.primaryColor, sql::optText(e.patronDay),
              sql::optText(e.patronName), toJsonArray(e.embedOrigins), now, e.id}),
      "ente");
}

Result<std::vector<Site>> listSites(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query("SELECT id, ente_id, name, address, kind FROM sites WHERE "
                               "ente_id = ? ORDER BY name",
                               {enteId}));
  std::vector<Site> out;
  for (auto& r : rows) out.push_back(Site{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)});
  return out;
}

Result<Site> site(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto r, c.one("SELECT id, ente_id, name, address, kind FROM sites "
                          "WHERE ente_id = ? "
                          "AND id = ?",
                          {enteId, id}, "sede"));
  return Site{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)};
}

Status insertSite(sql::Connection& c, const Site& s, int64_t now) {
  SP_TRY(
      c.exec("INSERT INTO sites(id, ente_id, name, address, kind, "
             "created_at, updated_at) "
             "VALUES(?,?,?,?,?,?,?)",
             {s.id, s.enteId, s.name, s.address, s.kind, now, now}));
  return okStatus();
}

Status updateSite(sql::Connection& c, const Site& s, int64_t now) {
  return expectOne(c.exec("UPDATE sites SET name=?, address=?, kind=?, updated_at=? WHERE "
                          "ente_id=? AND id=?",
                          {s.name, s.address, s.kind, now, s.enteId, s.id}),
                   "sede");
}

Status deleteSite(sql::Connection& c, const std::string& enteId, const std::string& id) {
  return expectOne(c.exec("DELETE FROM sites WHERE ente_id=? AND id=?", {enteId, id}), "sede");
}

Result<std::vector<Office>> listOffices(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kOfficeCols +
                                   " FROM offices WHERE ente_id = ? ORDER BY sort, name",
                               {enteId}));
  std::vector<Office> out;
  for (auto& r : rows) out.push_back(officeFrom(r));
  return out;
}

Result<Office> office(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string("SELECT ") + kOfficeCols +
                              " FROM offices WHERE ente_id = ? AND id = ?",
                          {enteId, id}, "ufficio"));
  return officeFrom(r);
}

Status insertOffice(sql::Connection& c, const Office& o, int64_t now) {
  SP_TRY(
      c.exec("INSERT INTO offices(id, ente_id, slug, name, description, "
             "site_id, channels, "
             "email, phone, sort, created_at, updated_at) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
             {o.id, o.enteId, o.slug, o.name, o.description, sql::optText(o.siteId),
              toJsonArray(o.channels), o.email, o.phone, o.sort, now, now}));
  return okStatus();
}

Status updateOffice(sql::Connection& c, const Office& o, int64_t now) {
  return expectOne(c.exec("UPDATE offices SET slug=?, name=?, description=?, site_id=?, "
                          "channels=?, email=?, "
                          "phone=?, sort=?, updated_at=? WHERE ente_id=? AND id=?",
                          {o.slug, o.name, o.description, sql::optText(o.siteId),
                           toJsonArray(o.channels), o.email, o.phone, o.sort, now, o.enteId, o.id}),
                   "ufficio");
}

Status deleteOffice(sql::Connection& c, const std::string& enteId, const std::string& id) {
  return expectOne(c.exec("DELETE FROM offices WHERE ente_id=? AND id=?", {enteId, id}), "ufficio");
}

Result<std::vector<Service>> listServices(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kServiceCols +
                                   " FROM services WHERE ente_id = ? ORDER BY sort, name",
                               {enteId}));
  std::vector<Service> out;
  for (auto& r : rows) out.push_back(serviceFrom(r));
  return out;
}

Result<Service> service(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto r, c.one(std::string("SELECT ") + kServiceCols +
                              " FROM services WHERE ente_id = ? AND id = ?",
                          {enteId, id}, "servizio"));
  return serviceFrom(r);
}

Status insertService(sql::Connection& c, const Service& s, int64_t now) {
  SP_TRY(
      c.exec("INSERT INTO services(id, ente_id, office_id, name, prefix, "
             "duration_minutes, "
             "documents, sort, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
             {s.id, s.enteId, sql::optText(s.officeId), s.name, s.prefix, s.durationMinutes,
              s.documents, s.sort, now, now}));
  return okStatus();
}

Status updateService(sql::Connection& c, const Service& s, int64_t now) {
  return expectOne(c.exec("UPDATE services SET office_id=?, name=?, prefix=?, "
                          "duration_minutes=?, "
                          "documents=?, sort=?, updated_at=? WHERE ente_id=? AND id=?",
                          {sql::optText(s.officeId), s.name, s.prefix, s.durationMinutes,
                           s.documents, s.sort, now, s.enteId, s.id}),
                   "servizio");
}

Status deleteService(sql::Connection& c, const std::string& enteId, const std::string& id) {
  return expectOne(c.exec("DELETE FROM services WHERE ente_id=? AND id=?", {enteId, id}),
                   "servizio");
}

Result<std::vector<EnteHoliday>> listHolidays(sql::Connection& c, const std::string& enteId) {
  SP_ASSIGN(auto rows, c.query("SELECT id, ente_id, day, name FROM holidays WHERE ente_id = ? "
                               "ORDER BY day",
                               {enteId}));
  std::vector<EnteHoliday> out;
  for (auto& r : rows) out.push_back(EnteHoliday{r.str(0), r.str(1), r.str(2), r.str(3)});
  return out;
}

Status insertHoliday(sql::Connection& c, const EnteHoliday& h) {
  SP_TRY(c.exec("INSERT INTO holidays(id, ente_id, day, name) VALUES(?,?,?,?)",
                {h.id, h.enteId, h.date, h.name}));
  return okStatus();
}

Status deleteHoliday(sql::Connection& c, const std::string& enteId, const std::string& id) {
  return expectOne(c.exec("DELETE FROM holidays WHERE ente_id=? AND id=?", {enteId, id}),
                   "festività");
}

namespace {

Result<std::vector<MinuteRange>> rangesFrom(const std::string& s) {
  std::vector<MinuteRange> out;
  Json j = Json::parse(s, nullptr, false);
  if (!j.is_array()) return out;
  for (auto& e : j) {
    if (e.is_array() && e.size() == 2) out.push_back({e[0].get<int>(), e[1].get<int>()});
  }
  return out;
}

std::string rangesJson(const std::vector<MinuteRange>& v) {
  Json j = Json::array();
  for (auto& r : v) j.push_back({r.startMin, r.endMin});
  return j.dump();
}

}  // namespace

Result<std::vector<std::pair<std::string, OfficeSchedule>>> schedules(sql::Connection& c,
                                                                      const std::string& enteId) {
  std::vector<std::pair<std::string, OfficeSchedule>> out;
  std::unordered_map<std::string, size_t> idx;
  SP_ASSIGN(auto offices, c.query("SELECT id FROM offices WHERE ente_id = ?", {enteId}));
  for (auto& r : offices) {
    idx[r.str(0)] = out.size();
    out.emplace_back(r.str(0), OfficeSchedule{});
  }
  SP_ASSIGN(auto rules, c.query("SELECT r.office_id, r.weekday, r.start_min, "
                                "r.end_min, r.channel FROM "
                                "schedule_rules r JOIN offices o ON o.id = "
                                "r.office_id WHERE o.ente_id = ? "
                                "ORDER BY r.office_id, r.position",
                                {enteId}));
  for (auto& r : rules) {
    auto it = idx.find(r.str(0));
    if (it == idx.end()) continue;
    out[it->second].second.rules.push_back(WeeklyRule{
        static_cast<int>(r.i64(1)),
        MinuteRange{static_cast<int>(r.i64(2)), static_cast<int>(r.i64(3))}, r.optStr(4)});
  }
  SP_ASSIGN(auto exc, c.query("SELECT e.office_id, e.day, e.closed, e.ranges, e.channel, e.note "
                              "FROM schedule_exceptions e JOIN offices o ON o.id = e.office_id "
                              "WHERE o.ente_id = ? ORDER BY e.office_id, e.day",
                              {enteId}));
  for (auto& r : exc) {
    auto it = idx.find(r.str(0));
    auto day = parseDay(r.str(1));
    if (it == idx.end() || !day) continue;
    DatedException e;
    e.day = *day;
    e.closed = r.i64(2) != 0;
    SP_ASSIGN(e.ranges, rangesFrom(r.str(3)));
    e.channel = r.optStr(4);
    e.note = r.str(5);
    out[it->second].second.exceptions.push_back(std::move(e));
  }
  return out;
}

Result<OfficeSchedule> schedule(sql::Connection& c, const std::string& officeId) {
  OfficeSchedule s;
  SP_ASSIGN(auto rules, c.query("SELECT weekday, start_min, end_min, channel FROM schedule_rules "
                                "WHERE office_id = ? ORDER BY position",
                                {officeId}));
  for (auto& r : rules) {
    s.rules.push_back(WeeklyRule{
        static_cast<int>(r.i64(0)),
        MinuteRange{static_cast<int>(r.i64(1)), static_cast<int>(r.i64(2))}, r.optStr(3)});
  }
  SP_ASSIGN(auto exc, c.query("SELECT day, closed, ranges, channel, note FROM "
                              "schedule_exceptions WHERE office_id = ? ORDER BY day",
                              {officeId}));
  for (auto& r : exc) {
    auto day = parseDay(r.str(0));
    if (!day) continue;
    DatedException e;
    e.day = *day;
    e.closed = r.i64(1) != 0;
    SP_ASSIGN(e.ranges, rangesFrom(r.str(2)));
    e.channel = r.optStr(3);
    e.note = r.str(4);
    s.exceptions.push_back(std::move(e));
  }
  return s;
}

Status replaceSchedule(sql::Connection& c, const std::string& officeId, const OfficeSchedule& s) {
  SP_TRY(c.exec("DELETE FROM schedule_rules WHERE office_id = ?", {officeId}));
  SP_TRY(c.exec("DELETE FROM schedule_exceptions WHERE office_id = ?", {officeId}));
  int64_t pos = 0;
  for (const auto& r : s.rules) {
    SP_TRY(
        c.exec("INSERT INTO schedule_rules(id, office_id, weekday, "
               "start_min, end_min, "
               "channel, position) VALUES(?,?,?,?,?,?,?)",
               {newId(), officeId, int64_t{r.weekday}, int64_t{r.range.startMin},
                int64_t{r.range.endMin}, sql::optText(r.channel), pos++}));
  }
  for (const auto& e : s.exceptions) {
    SP_TRY(
        c.exec("INSERT INTO schedule_exceptions(id, office_id, day, closed, "
               "ranges, channel, "
               "note) VALUES(?,?,?,?,?,?,?)",
               {newId(), officeId, date::format("%F", date::sys_days(e.day)),
                int64_t{e.closed ? 1 : 0}, rangesJson(e.ranges), sql::optText(e.channel), e.note}));
  }
  return okStatus();
}

Result<std::string> officeEnte(sql::Connection& c, const std::string& officeId) {
  SP_ASSIGN(auto row, c.one("SELECT ente_id FROM offices WHERE id = ?", {officeId}, "ufficio"));
  return row.str(0);
}

Result<std::string> siteEnte(sql::Connection& c, const std::string& siteId) {
  SP_ASSIGN(auto row, c.one("SELECT ente_id FROM sites WHERE id = ?", {siteId}, "sede"));
  return row.str(0);
}

Result<std::string> officeIdByRef(sql::Connection& c, const std::string& enteId,
                                  const std::string& ref) {
  SP_ASSIGN(auto row, c.one("SELECT id FROM offices WHERE ente_id = ? AND (id = ? OR slug = ?)",
                            {enteId, ref, ref}, "ufficio"));
  return row.str(0);
}

Result<std::optional<std::string>> serviceOffice(sql::Connection& c, const std::string& serviceId) {
  SP_ASSIGN(auto rows, c.query("SELECT office_id FROM services WHERE id = ? AND office_id IS NOT "
                               "NULL",
                               {serviceId}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].str(0));
}

Result<bool> officeAtSite(sql::Connection& c, const std::string& officeId,
                          const std::string& siteId) {
  SP_ASSIGN(auto rows,
            c.query("SELECT 1 FROM offices WHERE id = ? AND site_id = ?", {officeId, siteId}));
  return !rows.empty();
}

}  // namespace sportello::directory::store
