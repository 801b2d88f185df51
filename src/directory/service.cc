#include "directory/service.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "core/token.h"
#include "directory/store.h"

namespace sportello::directory {

std::string directoryTopic(const std::string& slug) {
  return Topic::make(kDirectoryTopic, {{"slug", slug}});
}

bool validSlug(std::string_view s) {
  if (s.size() < 2 || s.size() > 40) return false;
  if (s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

double contrastWithWhite(const std::string& hex) {
  auto channel = [&](int i) {
    double v = std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  double l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (l + 0.05);
}

namespace {

bool isHexColor(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (size_t i = 1; i < 7; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool validOrigin(const std::string& o) {
  std::string rest;
  if (o.rfind("https://", 0) == 0) {
    rest = o.substr(8);
  } else if (o.rfind("http://", 0) == 0) {
    rest = o.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.size() > 253) return false;
  for (char c : rest) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']')) {
      return false;
    }
  }
  return true;
}

std::optional<date::year_month_day> parseDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  date::year_month_day d{date::year(std::stoi(s.substr(0, 4))),
                         date::month(static_cast<unsigned>(std::stoi(s.substr(5, 2)))),
                         date::day(static_cast<unsigned>(std::stoi(s.substr(8, 2))))};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::optional<date::month_day> parseMonthDay(const std::string& s) {
  if (s.size() != 5 || s[2] != '-') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  date::month_day md{date::month(static_cast<unsigned>(std::stoi(s.substr(0, 2)))),
                     date::day(static_cast<unsigned>(std::stoi(s.substr(3, 2))))};
  if (!md.ok()) return std::nullopt;
  return md;
}

std::string fmtDate(date::year_month_day d) {
  return date::format("%F", date::sys_days(d));
}

std::string iso(Seconds s) {
  return formatIso(std::chrono::time_point_cast<std::chrono::milliseconds>(s));
}

const date::time_zone* zoneOrNull(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

Json statusJson(const OpenStatus& s) {
  Json j = {{"open", s.open}};
  j["closes_at"] = s.closesAt ? Json(iso(*s.closesAt)) : Json(nullptr);
  j["next_opens_at"] = s.nextOpensAt ? Json(iso(*s.nextOpensAt)) : Json(nullptr);
  return j;
}

Json weekJson(const std::vector<DayHours>& week) {
  Json a = Json::array();
  for (const auto& d : week) {
    Json ranges = Json::array();
    for (const auto& r : d.ranges) {
      ranges.push_back({{"start", formatHm(r.startMin)}, {"end", formatHm(r.endMin)}});
    }
    a.push_back({{"date", fmtDate(d.day)},
                 {"weekday", d.weekday},
                 {"closed", d.closed},
                 {"holiday", d.holiday.empty() ? Json(nullptr) : Json(d.holiday)},
                 {"exception", d.exception},
                 {"note", d.note},
                 {"intervals", ranges}});
  }
  return a;
}

}  // namespace

Json toJson(const Ente& e) {
  return {{"id", e.id},
          {"slug", e.slug},
          {"name", e.name},
          {"timezone", e.timezone},
          {"logo_url", e.logoUrl ? Json(*e.logoUrl) : Json(nullptr)},
          {"primary_color", e.primaryColor},
          {"patron_day", e.patronDay ? Json(*e.patronDay) : Json(nullptr)},
          {"patron_name", e.patronName ? Json(*e.patronName) : Json(nullptr)},
          {"embed_origins", e.embedOrigins}};
}

Json toJson(const Site& s) {
  return {{"id", s.id}, {"name", s.name}, {"address", s.address}, {"kind", s.kind}};
}

Json toJson(const Office& o) {
  return {{"id", o.id},
          {"slug", o.slug},
          {"name", o.name},
          {"description", o.description},
          {"site_id", o.siteId ? Json(*o.siteId) : Json(nullptr)},
          {"channels", o.channels},
          {"email", o.email},
          {"phone", o.phone},
          {"sort", o.sort}};
}

Json toJson(const Service& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"prefix", s.prefix},
          {"office_id", s.officeId ? Json(*s.officeId) : Json(nullptr)},
          {"duration_minutes", s.durationMinutes},
          {"documents", s.documents},
          {"sort", s.sort}};
}

Json toJson(const OfficeSchedule& s) {
  Json rules = Json::array();
  for (const auto& r : s.rules) {
    rules.push_back({{"weekday", r.weekday},
                     {"start", formatHm(r.range.startMin)},
                     {"end", formatHm(r.range.endMin)},
                     {"channel", r.channel ? Json(*r.channel) : Json(nullptr)}});
  }
  Json exc = Json::array();
  for (const auto& e : s.exceptions) {
    Json ranges = Json::array();
    for (const auto& r : e.ranges) {
      ranges.push_back({{"start", formatHm(r.startMin)}, {"end", formatHm(r.endMin)}});
    }
    exc.push_back({{"date", fmtDate(e.day)},
                   {"closed", e.closed},
                   {"intervals", ranges},
                   {"channel", e.channel ? Json(*e.channel) : Json(nullptr)},
                   {"note", e.note}});
  }
  return {{"rules", rules}, {"exceptions", exc}};
}

Json toJson(const Record& r) {
  return std::visit([](const auto& x) { return toJson(x); }, r);
}

Json toJson(const RecordList& l) {
  Json a = jsonArray(l.items);
  return Json{{l.kind, std::move(a)}};
}

Json toJson(const ClosingDay& h) {
  Json j = {{"date", h.date}, {"name", h.name}, {"kind", h.kind}};
  if (h.id) j["id"] = *h.id;
  return j;
}

Json toJson(const HolidayCalendar& c) {
  Json a = jsonArray(c.holidays);
  return Json{{"year", c.year}, {"holidays", std::move(a)}};
}

namespace {

std::string recordId(const Record& r) {
  return std::visit([](const auto& x) { return x.id; }, r);
}

Status rangeFromJson(const Json& j, const std::string& path, MinuteRange& out) {
  if (!j.is_object()) return makeError(Errc::kInvalid, "atteso un intervallo", path);
  Fields f(j, path);
  std::string start, end;
  f.str("start", start, {.maxLen = 5, .required = true});
  f.str("end", end, {.maxLen = 5, .required = true});
  SP_TRY(f.finish());
  auto s = parseHm(start);
  if (!s.ok() || s.value() >= 1440) {
    return makeError(Errc::kInvalid, "orario di inizio non valido: " + start, path + ".start");
  }
  auto e = parseHm(end);
  if (!e.ok() || e.value() == 0) {
    return makeError(Errc::kInvalid, "orario di fine non valido: " + end, path + ".end");
  }
  out = MinuteRange{s.value(), e.value()};
  return okStatus();
}

Status channelFromJson(Fields& f, std::optional<std::string>& out) {
  f.optStr("channel", out, {.maxLen = 20});
  if (out) {
    const auto& known = knownChannels();
    if (std::find(known.begin(), known.end(), *out) == known.end()) {
      return makeError(Errc::kInvalid, "canale sconosciuto: " + *out, f.path("channel"));
    }
  }
  return okStatus();
}

}  // namespace

Result<OfficeSchedule> scheduleFromJson(const Json& body) {
  Fields f(body);
  const Json* rules = f.raw("rules", Json::value_t::array, true);
  const Json* exc = f.raw("exceptions", Json::value_t::array);
  SP_TRY(f.finish());
  OfficeSchedule s;
  if (rules->size() > 200) return makeError(Errc::kInvalid, "troppe regole", "rules");
  for (size_t i = 0; i < rules->size(); ++i) {
    const Json& r = (*rules)[i];
    std::string path = "rules[" + std::to_string(i) + "]";
    if (!r.is_object()) return makeError(Errc::kInvalid, "attesa una regola", path);
    Fields rf(r, path);
    int64_t weekday = 0;
    std::string start, end;
    rf.integer("weekday", weekday, 1, 7, true);
    rf.str("start", start, {.maxLen = 5, .required = true});
    rf.str("end", end, {.maxLen = 5, .required = true});
    std::optional<std::string> channel;
    SP_TRY(channelFromJson(rf, channel));
    SP_TRY(rf.finish());
    MinuteRange range;
    SP_TRY(rangeFromJson(Json{{"start", start}, {"end", end}}, path, range));
    s.rules.push_back(WeeklyRule{static_cast<int>(weekday), range, channel});
  }
  if (exc) {
    if (exc->size() > 500) return makeError(Errc::kInvalid, "troppe eccezioni", "exceptions");
    for (size_t i = 0; i < exc->size(); ++i) {
      const Json& e = (*exc)[i];
      std::string path = "exceptions[" + std::to_string(i) + "]";
      if (!e.is_object()) return makeError(Errc::kInvalid, "attesa un'eccezione", path);
      Fields ef(e, path);
      std::string day, note;
      bool closed = false;
      ef.str("date", day, {.maxLen = 10, .required = true});
      ef.boolean("closed", closed);
      ef.str("note", note, {.maxLen = 200});
      const Json* ranges = ef.raw("intervals", Json::value_t::array);
      std::optional<std::string> channel;
      SP_TRY(channelFromJson(ef, channel));
      SP_TRY(ef.finish());
      auto d = parseDate(day);
      if (!d) return makeError(Errc::kInvalid, "data non valida: " + day, path + ".date");
      DatedException de;
      de.day = *d;
      de.closed = closed;
      de.note = note;
      de.channel = channel;
      if (ranges) {
        for (size_t k = 0; k < ranges->size(); ++k) {
          MinuteRange mr;
          SP_TRY(rangeFromJson((*ranges)[k], path + ".intervals[" + std::to_string(k) + "]", mr));
          de.ranges.push_back(mr);
        }
      }
      if (!closed && de.ranges.empty()) {
        return makeError(Errc::kInvalid, "indicare gli orari o segnare il giorno come chiuso",
                         path + ".intervals");
      }
      s.exceptions.push_back(std::move(de));
    }
  }
  return s;
}

Result<ScheduleSpec> specFor(const Ente& e, const OfficeSchedule& s,
                             const std::vector<EnteHoliday>& extra) {
  ScheduleSpec spec;
  spec.tz = zoneOrNull(e.timezone);
  if (!spec.tz) return makeError(Errc::kInternal, "fuso orario sconosciuto: " + e.timezone);
  spec.rules = s.rules;
  spec.exceptions = s.exceptions;
  for (const auto& h : extra) {
    if (auto d = parseDate(h.date)) spec.extraHolidays.push_back(Holiday{*d, h.name});
  }
  if (e.patronDay) spec.patronDay = parseMonthDay(*e.patronDay);
  spec.patronName = e.patronName.value_or("Santo patrono");
  return spec;
}

Status DirectoryService::validateEnte(const Ente& e) {
  if (!validSlug(e.slug)) {
    return makeError(Errc::kInvalid, "slug non valido: minuscole, cifre e '-' (2–40)", "slug");
  }
  if (e.name.empty() || e.name.size() > 120) {
    return makeError(Errc::kInvalid, "nome obbligatorio (massimo 120 caratteri)", "name");
  }
  if (!zoneOrNull(e.timezone)) {
    return makeError(Errc::kInvalid, "fuso orario sconosciuto: " + e.timezone, "timezone");
  }
  if (!isHexColor(e.primaryColor)) {
    return makeError(Errc::kInvalid, "colore non valido: usare #rrggbb", "primary_color");
  }
  if (contrastWithWhite(e.primaryColor) < 4.5) {
    return makeError(Errc::kInvalid,
                     "colore troppo chiaro: il testo bianco deve avere "
                     "contrasto almeno 4.5:1 "
                     "(WCAG AA)",
                     "primary_color");
  }
  if (e.patronDay && !parseMonthDay(*e.patronDay)) {
    return makeError(Errc::kInvalid, "giorno del patrono non valido: usare MM-GG", "patron_day");
  }
  if (e.logoUrl && !(e.logoUrl->rfind("https://", 0) == 0 || e.logoUrl->rfind("/", 0) == 0)) {
    return makeError(Errc::kInvalid, "il logo deve essere un indirizzo https:// o un percorso /",
                     "logo_url");
  }
  for (const auto& o : e.embedOrigins) {
    if (!validOrigin(o)) {
      return makeError(Errc::kInvalid, "origine non valida: " + o + " (es. https://www.comune.it)",
                       "embed_origins");
    }
  }
  return okStatus();
}

// ---- public view ----

Result<Cached> DirectoryService::render(sql::Connection& c, const std::string& slug,
                                        int64_t nowMs) {
  SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
  SP_ASSIGN(auto offices, store::listOffices(c, ente.id));
  SP_ASSIGN(auto sites, store::listSites(c, ente.id));
  SP_ASSIGN(auto scheds, store::schedules(c, ente.id));
  SP_ASSIGN(auto extra, store::listHolidays(c, ente.id));
  std::unordered_map<std::string, const OfficeSchedule*> schedOf;
  for (auto& [id, s] : scheds) schedOf[id] = &s;
  std::unordered_map<std::string, const Site*> siteOf;
  for (auto& s : sites) siteOf[s.id] = &s;

  Seconds now =
      std::chrono::floor<std::chrono::seconds>(SysMillis(std::chrono::milliseconds(nowMs)));
  const date::time_zone* tz = zoneOrNull(ente.timezone);
  if (!tz) return makeError(Errc::kInternal, "fuso orario sconosciuto");
  auto local = tz->to_local(now);
  auto localDay = date::floor<date::days>(local);
  date::year_month_day today{localDay};
  Seconds validUntil = tz->to_sys(localDay + date::days(1), date::choose::earliest);

  Json arr = Json::array();
  OfficeSchedule empty;
  for (const auto& o : offices) {
    const OfficeSchedule* s = schedOf.count(o.id) ? schedOf[o.id] : &empty;
    SP_ASSIGN(auto spec, specFor(ente, *s, extra));
    auto st = statusAt(spec, std::nullopt, now);
    validUntil = std::min(validUntil, st.validUntil);
    Json j = {{"id", o.id},
              {"slug", o.slug},
              {"name", o.name},
              {"description", o.description},
              {"email", o.email},
              {"phone", o.phone},
              {"channels", o.channels},
              {"site_id", o.siteId ? Json(*o.siteId) : Json(nullptr)},
              {"sort", o.sort},
              {"status", statusJson(st)},
              {"week", weekJson(weekOf(spec, std::nullopt, today))}};
    if (o.siteId && siteOf.count(*o.siteId)) {
      const Site* site = siteOf[*o.siteId];
      j["site"] = {{"id", site->id}, {"name", site->name}, {"address", site->address}};
    } else {
      j["site"] = nullptr;
    }
    Json ch = Json::object();
    for (const auto& channel : channelsWithOwnHours(spec)) {
      auto cs = statusAt(spec, channel, now);
      validUntil = std::min(validUntil, cs.validUntil);
      ch[channel] = {{"status", statusJson(cs)}, {"week", weekJson(weekOf(spec, channel, today))}};
    }
    j["channel_hours"] = ch;
    arr.push_back(std::move(j));
  }
  Cached out;
  out.officesJson = std::make_shared<const std::string>(arr.dump());
  Json ej = toJson(ente);
  ej.erase("embed_origins");
  ej.erase("id");
  out.enteJson = std::make_shared<const std::string>(ej.dump());
  out.today = fmtDate(today);
  out.validUntilMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(validUntil.time_since_epoch()).count();
  return out;
}

asio::awaitable<Result<std::string>> DirectoryService::officesView(std::string slug) {
  int64_t now = clock_.nowMs();
  std::shared_ptr<const Cached> cached;
  {
    std::lock_guard lk(mu_);
    auto it = cache_.find(slug);
    if (it != cache_.end() && it->second->validUntilMs > now) cached = it->second;
  }
  if (!cached) {
    auto sp_job0 = [this, slug, now](sql::Connection& c) { return render(c, slug, now); };
    auto r = co_await db_.read<Cached>(std::move(sp_job0));
    if (!r.ok()) co_return r.error();
    cached = std::make_shared<const Cached>(std::move(r).value());
    std::lock_guard lk(mu_);
    cache_[slug] = cached;
  }
  std::string body;
  body.reserve(cached->officesJson->size() + cached->enteJson->size() + 96);
  body += R"({"ente":)";
  body += *cached->enteJson;
  body += R"(,"now":")";
  body += formatIsoMs(now - now % 1000);
  body += R"(","today":")";
  body += cached->today;
  body += R"(","offices":)";
  body += *cached->officesJson;
  body += "}";
  co_return body;
}

int DirectoryService::currentYear(const std::string&) const {
  // Every ente lives in Europe/Rome today; the year boundary is taken there.
  const date::time_zone* tz = zoneOrNull("Europe/Rome");
  auto now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  auto local = tz ? tz->to_local(now) : date::local_seconds(now.time_since_epoch());
  return static_cast<int>(date::year_month_day{date::floor<date::days>(local)}.year());
}

void DirectoryService::invalidate(const std::string& slug) {
  std::lock_guard lk(mu_);
  cache_.erase(slug);
}

asio::awaitable<Result<std::string>> DirectoryService::defaultEnteSlug(std::string configured) {
  if (!configured.empty()) co_return configured;
  {
    std::lock_guard lk(mu_);
    if (!defaultSlug_.empty()) co_return defaultSlug_;
  }
  // The first ente created; enti are only added, so the answer is kept once found.
  auto job = [](sql::Connection& c) -> Result<std::string> {
    SP_ASSIGN(auto rows, c.query("SELECT slug FROM enti ORDER BY created_at, slug LIMIT 1"));
    if (rows.empty()) return std::string();
    return rows[0].str(0);
  };
  auto r = co_await db_.read<std::string>(std::move(job));
  if (r.ok() && !r->empty()) {
    std::lock_guard lk(mu_);
    defaultSlug_ = r.value();
  }
  co_return r;
}

asio::awaitable<Result<std::vector<Ente>>> DirectoryService::listEnti() {
  auto sp_job1 = [](sql::Connection& c) { return store::listEnti(c); };
  auto sp_co_r0 = co_await db_.read<std::vector<Ente>>(std::move(sp_job1));
  co_return sp_co_r0;
}

asio::awaitable<Result<Ente>> DirectoryService::ente(std::string slug) {
  auto sp_job2 = [slug](sql::Connection& c) { return store::enteBySlug(c, slug); };
  auto sp_co_r1 = co_await db_.read<Ente>(std::move(sp_job2));
  co_return sp_co_r1;
}

// ---- administration ----

asio::awaitable<Result<Ente>> DirectoryService::updateEnte(std::string slug, Json patch) {
  Fields f(patch);
  std::string name, color;
  std::optional<std::string> logo, patronDay, patronName;
  std::vector<std::string> origins;
  bool hasName = f.str("name", name, {.maxLen = 120, .allowEmpty = false});
  bool hasLogo = f.optStr("logo_url", logo, {.maxLen = 500});
  bool hasColor = f.str("primary_color", color, {.maxLen = 7});
  bool hasPd = f.optStr("patron_day", patronDay, {.maxLen = 5});
  bool hasPn = f.optStr("patron_name", patronName, {.maxLen = 120});
  bool hasOrigins = f.strArray("embed_origins", origins, 50, {.maxLen = 260});
  SP_CO_TRY(f.finish());
  auto sp_job3 = [=](Tx& tx) -> Result<Ente> {
    SP_ASSIGN(Ente e, store::enteBySlug(tx.conn(), slug));
    if (hasName) e.name = name;
    if (hasLogo) e.logoUrl = (logo && logo->empty()) ? std::nullopt : logo;
    if (hasColor) e.primaryColor = color;
    if (hasPd) e.patronDay = (patronDay && patronDay->empty()) ? std::nullopt : patronDay;
    if (hasPn) e.patronName = patronName;
    if (hasOrigins) e.embedOrigins = origins;
    SP_TRY(validateEnte(e));
    SP_TRY(store::updateEnte(tx.conn(), e, tx.nowMs()));
    SP_TRY(tx.emit(directoryTopic(slug), "ente.updated", {{"slug", slug}}));
    return e;
  };
  auto sp_co_r2 = co_await db_.write<Ente>(std::move(sp_job3));
  co_return sp_co_r2;
}

namespace {

Status applySite(Fields& f, Site& s, bool create) {
  f.str("name", s.name, {.maxLen = 120, .required = create, .allowEmpty = false});
  f.str("address", s.address, {.maxLen = 300});
  if (f.str("kind", s.kind, {.maxLen = 20}) && s.kind != "town_hall" && s.kind != "kiosk" &&
      s.kind != "other") {
    f.fail("kind", "tipo di sede non valido: town_hall, kiosk o other");
  }
  return f.finish();
}

Status applyOffice(Fields& f, Office& o, bool create) {
  if (f.str("slug", o.slug, {.maxLen = 40, .required = create}) && !validSlug(o.slug)) {
    f.fail("slug", "slug non valido: minuscole, cifre e '-' (2–40)");
  }
  f.str("name", o.name, {.maxLen = 120, .required = create, .allowEmpty = false});
  f.str("description", o.description, {.maxLen = 2000, .multiline = true});
  f.optStr("site_id", o.siteId, {.maxLen = 64});
  if (f.strArray("channels", o.channels, 10, {.maxLen = 20})) {
    for (const auto& c : o.channels) {
      const auto& known = knownChannels();
      if (std::find(known.begin(), known.end(), c) == known.end()) {
        f.fail("channels", "canale sconosciuto: " + c);
      }
    }
  }
  f.str("email", o.email, {.maxLen = 200});
  f.str("phone", o.phone, {.maxLen = 40});
  f.integer("sort", o.sort, -100000, 100000);
  return f.finish();
}

Status applyService(Fields& f, Service& s, bool create) {
  f.str("name", s.name, {.maxLen = 120, .required = create, .allowEmpty = false});
  if (f.str("prefix", s.prefix, {.maxLen = 1, .required = create}) &&
      (s.prefix.size() != 1 || s.prefix[0] < 'A' || s.prefix[0] > 'Z')) {
    f.fail("prefix", "il prefisso è una lettera maiuscola A–Z");
  }
  f.optStr("office_id", s.officeId, {.maxLen = 64});
  f.integer("duration_minutes", s.durationMinutes, 1, 480);
  f.str("documents", s.documents, {.maxLen = 4000, .multiline = true});
  f.integer("sort", s.sort, -100000, 100000);
  return f.finish();
}

Error conflictMessage(const Error& e, const std::string& kind) {
  if (e.code != Errc::kConflict) return e;
  if (kind == "offices")
    return makeError(Errc::kConflict, "esiste già un ufficio con questo slug", "slug");
  if (kind == "services") {
    return makeError(Errc::kConflict, "esiste già un servizio con questo prefisso", "prefix");
  }
  return e;
}

bool knownKind(const std::string& k) {
  return k == "sites" || k == "offices" || k == "services";
}

}  // namespace

asio::awaitable<Result<RecordList>> DirectoryService::list(std::string slug, std::string kind) {
  if (!knownKind(kind)) co_return makeError(Errc::kNotFound, "risorsa sconosciuta");
  auto sp_job4 = [slug, kind](sql::Connection& c) -> Result<RecordList> {
    SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
    RecordList out{kind, {}};
    if (kind == "sites") {
      SP_ASSIGN(auto v, store::listSites(c, ente.id));
      for (auto& x : v) out.items.emplace_back(std::move(x));
    } else if (kind == "offices") {
      SP_ASSIGN(auto v, store::listOffices(c, ente.id));
      for (auto& x : v) out.items.emplace_back(std::move(x));
    } else {
      SP_ASSIGN(auto v, store::listServices(c, ente.id));
      for (auto& x : v) out.items.emplace_back(std::move(x));
    }
    return out;
  };
  auto sp_co_r3 = co_await db_.read<RecordList>(std::move(sp_job4));
  co_return sp_co_r3;
}

asio::awaitable<Result<Record>> DirectoryService::get(std::string slug, std::string kind,
                                                      std::string id) {
  if (!knownKind(kind)) co_return makeError(Errc::kNotFound, "risorsa sconosciuta");
  auto sp_job5 = [slug, kind, id](sql::Connection& c) -> Result<Record> {
    SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
    if (kind == "sites") {
      SP_ASSIGN(auto x, store::site(c, ente.id, id));
      return Record(std::move(x));
    }
    if (kind == "offices") {
      SP_ASSIGN(auto x, store::office(c, ente.id, id));
      return Record(std::move(x));
    }
    SP_ASSIGN(auto x, store::service(c, ente.id, id));
    return Record(std::move(x));
  };
  auto sp_co_r4 = co_await db_.read<Record>(std::move(sp_job5));
  co_return sp_co_r4;
}

asio::awaitable<Result<Record>> DirectoryService::create(std::string slug, std::string kind,
                                                         Json body) {
  if (!knownKind(kind)) co_return makeError(Errc::kNotFound, "risorsa sconosciuta");
  auto sp_job6 = [slug, kind, body](Tx& tx) -> Result<Record> {
    auto& c = tx.conn();
    SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
    Fields f(body);
    Record out;
    if (kind == "sites") {
      Site s;
      s.id = newId();
      s.enteId = ente.id;
      SP_TRY(applySite(f, s, true));
      SP_TRY(store::insertSite(c, s, tx.nowMs()));
      out = s;
    } else if (kind == "offices") {
      Office o;
      o.id = newId();
      o.enteId = ente.id;
      SP_TRY(applyOffice(f, o, true));
      if (o.siteId) {
        auto s = store::site(c, ente.id, *o.siteId);
        if (!s.ok()) return makeError(Errc::kInvalid, "sede sconosciuta", "site_id");
      }
      auto st = store::insertOffice(c, o, tx.nowMs());
      if (!st.ok()) return conflictMessage(st.error(), kind);
      out = o;
    } else {
      Service s;
      s.id = newId();
      s.enteId = ente.id;
      SP_TRY(applyService(f, s, true));
      if (s.officeId) {
        auto o = store::office(c, ente.id, *s.officeId);
        if (!o.ok()) return makeError(Errc::kInvalid, "ufficio sconosciuto", "office_id");
      }
      auto st = store::insertService(c, s, tx.nowMs());
      if (!st.ok()) return conflictMessage(st.error(), kind);
      out = s;
    }
    SP_TRY(tx.emit(directoryTopic(slug), kind + ".created", {{"id", recordId(out)}}));
    return out;
  };
  auto sp_co_r5 = co_await db_.write<Record>(std::move(sp_job6));
  co_return sp_co_r5;
}

asio::awaitable<Result<Record>> DirectoryService::update(std::string slug, std::string kind,
                                                         std::string id, Json patch) {
  if (!knownKind(kind)) co_return makeError(Errc::kNotFound, "risorsa sconosciuta");
  auto sp_job7 = [slug, kind, id, patch](Tx& tx) -> Result<Record> {
    auto& c = tx.conn();
    SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
    Fields f(patch);
    Record out;
    if (kind == "sites") {
      SP_ASSIGN(Site s, store::site(c, ente.id, id));
      SP_TRY(applySite(f, s, false));
      SP_TRY(store::updateSite(c, s, tx.nowMs()));
      out = s;
    } else if (kind == "offices") {
      SP_ASSIGN(Office o, store::office(c, ente.id, id));
      SP_TRY(applyOffice(f, o, false));
      if (o.siteId) {
        auto s = store::site(c, ente.id, *o.siteId);
        if (!s.ok()) return makeError(Errc::kInvalid, "sede sconosciuta", "site_id");
      }
      auto st = store::updateOffice(c, o, tx.nowMs());
      if (!st.ok()) return conflictMessage(st.error(), kind);
      out = o;
    } else {
      SP_ASSIGN(Service s, store::service(c, ente.id, id));
      SP_TRY(applyService(f, s, false));
      if (s.officeId) {
        auto o = store::office(c, ente.id, *s.officeId);
        if (!o.ok()) return makeError(Errc::kInvalid, "ufficio sconosciuto", "office_id");
      }
      auto st = store::updateService(c, s, tx.nowMs());
      if (!st.ok()) return conflictMessage(st.error(), kind);
      out = s;
    }
    SP_TRY(tx.emit(directoryTopic(slug), kind + ".updated", {{"id", id}}));
    return out;
  };
  auto sp_co_r6 = co_await db_.write<Record>(std::move(sp_job7));
  co_return sp_co_r6;
}

asio::awaitable<Status> DirectoryService::remove(std::string slug, std::string kind,
                                                 std::string id) {
  if (!knownKind(kind)) co_return makeError(Errc::kNotFound, "risorsa sconosciuta");
  auto sp_job8 = [slug, kind, id](Tx& tx) -> Result<bool> {
    auto& c = tx.conn();
    SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
    if (kind == "sites") {
      SP_TRY(store::deleteSite(c, ente.id, id));
    } else if (kind == "offices") {
      SP_TRY(store::deleteOffice(c, ente.id, id));
    } else {
      SP_TRY(store::deleteService(c, ente.id, id));
    }
    SP_TRY(tx.emit(directoryTopic(slug), kind + ".deleted", {{"id", id}}));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(sp_job8));
  if (!r.ok() && r.error().code == Errc::kConflict) {
    // A foreign key: bookings, an appointment plan or cases still refer to it. Nothing that
    // was acknowledged to a citizen is deleted along with it.
    co_return makeError(Errc::kConflict,
                        "non si può eliminare: è ancora usato da prenotazioni, calendari di "
                        "prenotazione o pratiche (elimina prima il calendario, o modifica "
                        "invece di eliminare)");
  }
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<HolidayCalendar>> DirectoryService::holidays(std::string slug, int year) {
  auto sp_job9 = [slug, year](sql::Connection& c) -> Result<HolidayCalendar> {
    SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
    SP_ASSIGN(auto extra, store::listHolidays(c, ente.id));
    HolidayCalendar out{year, {}};
    auto& a = out.holidays;
    using namespace date;
    for (sys_days d = sys_days{date::year(year) / January / 1};
         d <= sys_days{date::year(year) / December / 31}; d += days(1)) {
      year_month_day ymd{d};
      std::string n = italianHoliday(ymd);
      if (!n.empty()) a.push_back({std::nullopt, fmtDate(ymd), n, "national"});
      if (ente.patronDay) {
        if (auto md = parseMonthDay(*ente.patronDay);
            md && md->month() == ymd.month() && md->day() == ymd.day()) {
          a.push_back(
              {std::nullopt, fmtDate(ymd), ente.patronName.value_or("Santo patrono"), "patron"});
        }
      }
    }
    std::string prefix = std::to_string(year) + "-";
    for (const auto& h : extra) {
      if (h.date.rfind(prefix, 0) == 0) a.push_back({h.id, h.date, h.name, "ente"});
    }
    std::stable_sort(a.begin(), a.end(),
                     [](const ClosingDay& x, const ClosingDay& y) { return x.date < y.date; });
    return out;
  };
  auto sp_co_r7 = co_await db_.read<HolidayCalendar>(std::move(sp_job9));
  co_return sp_co_r7;
}

asio::awaitable<Result<ClosingDay>> DirectoryService::addHoliday(std::string slug, Json body) {
  Fields f(body);
  std::string day, name;
  f.str("date", day, {.maxLen = 10, .required = true});
  f.str("name", name, {.maxLen = 120, .required = true});
  SP_CO_TRY(f.finish());
  if (!parseDate(day)) co_return makeError(Errc::kInvalid, "data non valida: " + day, "date");
  auto sp_job10 = [slug, day, name](Tx& tx) -> Result<ClosingDay> {
    SP_ASSIGN(auto ente, store::enteBySlug(tx.conn(), slug));
    EnteHoliday h{newId(), ente.id, day, name};
    auto st = store::insertHoliday(tx.conn(), h);
    if (!st.ok() && st.error().code == Errc::kConflict) {
      return makeError(Errc::kConflict, "esiste già una festività in questa data", "date");
    }
    SP_TRY(st);
    SP_TRY(tx.emit(directoryTopic(slug), "holidays.created", {{"id", h.id}}));
    return ClosingDay{h.id, h.date, h.name, "ente"};
  };
  auto sp_co_r8 = co_await db_.write<ClosingDay>(std::move(sp_job10));
  co_return sp_co_r8;
}

asio::awaitable<Status> DirectoryService::removeHoliday(std::string slug, std::string id) {
  auto sp_job11 = [slug, id](Tx& tx) -> Result<bool> {
    SP_ASSIGN(auto ente, store::enteBySlug(tx.conn(), slug));
    SP_TRY(store::deleteHoliday(tx.conn(), ente.id, id));
    SP_TRY(tx.emit(directoryTopic(slug), "holidays.deleted", {{"id", id}}));
    return true;
  };
  auto r = co_await db_.write<bool>(std::move(sp_job11));
  if (!r.ok()) co_return r.error();
  co_return okStatus();
}

asio::awaitable<Result<OfficeSchedule>> DirectoryService::schedule(std::string slug,
                                                                   std::string officeId) {
  auto sp_job12 = [slug, officeId](sql::Connection& c) -> Result<OfficeSchedule> {
    SP_ASSIGN(auto ente, store::enteBySlug(c, slug));
    SP_ASSIGN(auto office, store::office(c, ente.id, officeId));
    return store::schedule(c, office.id);
  };
  auto sp_co_r9 = co_await db_.read<OfficeSchedule>(std::move(sp_job12));
  co_return sp_co_r9;
}

asio::awaitable<Result<OfficeSchedule>> DirectoryService::putSchedule(std::string slug,
                                                                      std::string officeId,
                                                                      Json body) {
  SP_CO_ASSIGN(auto sched, scheduleFromJson(body));
  ScheduleSpec probe;
  probe.tz = date::locate_zone("UTC");
  probe.rules = sched.rules;
  probe.exceptions = sched.exceptions;
  SP_CO_TRY(validate(probe));
  auto sp_job13 = [slug, officeId, sched](Tx& tx) -> Result<OfficeSchedule> {
    SP_ASSIGN(auto ente, store::enteBySlug(tx.conn(), slug));
    SP_ASSIGN(auto office, store::office(tx.conn(), ente.id, officeId));
    SP_TRY(store::replaceSchedule(tx.conn(), office.id, sched));
    SP_TRY(tx.emit(directoryTopic(slug), "schedule.updated", {{"office_id", office.id}}));
    return sched;
  };
  auto sp_co_r10 = co_await db_.write<OfficeSchedule>(std::move(sp_job13));
  co_return sp_co_r10;
}

}  // namespace sportello::directory
