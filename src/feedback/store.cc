#include "feedback/store.h"

#include "directory/lookup.h"
#include "platform/sql/columns.h"

#include <map>

namespace sportello::feedback::store {

namespace {
// The roll-up the writer keeps (insertRating), then the visits rated on reception's own table
// before this capability existed, and their hours. Reading reception's table here, once, in a
// migration of the store, is the shared reading side of the schema (tests/tools/
// check_boundaries.py); nothing writes it.
constexpr const char* kHourly = R"sql(
CREATE TABLE fb_hourly_ratings (
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  hour_start BIGINT NOT NULL,
  office_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  positive BIGINT NOT NULL,
  neutral BIGINT NOT NULL,
  negative BIGINT NOT NULL,
  r_waiting_time BIGINT NOT NULL,
  r_courtesy BIGINT NOT NULL,
  r_competence BIGINT NOT NULL,
  r_clarity BIGINT NOT NULL,
  r_not_solved BIGINT NOT NULL,
  r_technical BIGINT NOT NULL,
  PRIMARY KEY (ente_id, hour_start, office_id, channel, operator_id)
);
INSERT INTO fb_ratings(id, ente_id, channel, contact_id, office_id, service_id, operator_id, score,
                       reasons, comment, contact_at, rated_at)
  SELECT 'visit-' || id, ente_id, 'visit', id, office_id, NULL, operator_id, rating, rating_reasons,
         rating_comment, COALESCE(ended_at, knocked_at), COALESCE(ended_at, knocked_at)
  FROM visits WHERE rating IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM fb_ratings r WHERE r.channel = 'visit' AND r.contact_id = visits.id);
INSERT INTO fb_hourly_ratings
  SELECT ente_id, (contact_at / 3600000) * 3600000, office_id, channel, COALESCE(operator_id, ''),
         SUM(CASE WHEN score = 'positive' THEN 1 ELSE 0 END),
         SUM(CASE WHEN score = 'neutral' THEN 1 ELSE 0 END),
         SUM(CASE WHEN score = 'negative' THEN 1 ELSE 0 END),
         SUM(CASE WHEN ',' || reasons || ',' LIKE '%,waiting_time,%' THEN 1 ELSE 0 END),
         SUM(CASE WHEN ',' || reasons || ',' LIKE '%,courtesy,%' THEN 1 ELSE 0 END),
         SUM(CASE WHEN ',' || reasons || ',' LIKE '%,competence,%' THEN 1 ELSE 0 END),
         SUM(CASE WHEN ',' || reasons || ',' LIKE '%,clarity,%' THEN 1 ELSE 0 END),
         SUM(CASE WHEN ',' || reasons || ',' LIKE '%,not_solved,%' THEN 1 ELSE 0 END),
         SUM(CASE WHEN ',' || reasons || ',' LIKE '%,technical,%' THEN 1 ELSE 0 END)
  FROM fb_ratings
  GROUP BY ente_id, (contact_at / 3600000) * 3600000, office_id, channel, COALESCE(operator_id, '');
)sql";

// The additive columns of a daily cell, in the order cellValues() gives them.
const std::vector<std::string>& valueColumns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> v = {"contacts",     "served", "abandoned", "no_show",
                                  "fcr_eligible", "fcr_yes", "wait_n",   "wait_sum",
                                  "service_n",    "service_sum"};
    for (size_t i = 0; i < kBuckets; ++i) v.push_back("w" + std::to_string(i));
    for (size_t i = 0; i < kBuckets; ++i) v.push_back("s" + std::to_string(i));
    for (int i = 0; i < 24; ++i) v.push_back("h" + std::to_string(i));
    for (const char* x : {"positive", "neutral", "negative"}) v.emplace_back(x);
    for (const auto& r : reasons()) v.push_back("r_" + r);
    return v;
  }();
  return cols;
}

std::vector<int64_t> cellValues(const ContactCounts& k, const Counts& r) {
  std::vector<int64_t> v = {k.contacts, k.served,  k.abandoned, k.noShow,    k.fcrEligible,
                            k.fcrYes,   k.waitN,   k.waitSumMs, k.serviceN, k.serviceSumMs};
  v.insert(v.end(), k.wait.begin(), k.wait.end());
  v.insert(v.end(), k.service.begin(), k.service.end());
  v.insert(v.end(), k.byHour.begin(), k.byHour.end());
  v.push_back(r.positive);
  v.push_back(r.neutral);
  v.push_back(r.negative);
  v.insert(v.end(), r.reasons.begin(), r.reasons.end());
  return v;
}

void readValues(const sql::Row& row, size_t at, ContactCounts& k, Counts& r) {
  auto next = [&]() { return row.i64(at++); };
  for (int64_t* x : {&k.contacts, &k.served, &k.abandoned, &k.noShow, &k.fcrEligible, &k.fcrYes,
                     &k.waitN, &k.waitSumMs, &k.serviceN, &k.serviceSumMs}) {
    *x = next();
  }
  for (auto& x : k.wait) x = next();
  for (auto& x : k.service) x = next();
  for (auto& x : k.byHour) x = next();
  r.positive = next();
  r.neutral = next();
  r.negative = next();
  for (auto& x : r.reasons) x = next();
}

std::string dailyTable(const char* name, const char* dimension) {
  std::string q = std::string("CREATE TABLE ") + name +
                  " (\n  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,\n"
                  "  day TEXT NOT NULL,\n  office_id TEXT NOT NULL,\n  " + dimension +
                  " TEXT NOT NULL,\n  channel TEXT NOT NULL,\n";
  for (const auto& col : valueColumns()) q += "  " + col + " BIGINT NOT NULL DEFAULT 0,\n";
  q += std::string("  PRIMARY KEY (ente_id, day, office_id, ") + dimension + ", channel)\n);\n";
  return q;
}

std::string dailySql() {
  return dailyTable("fb_daily", "service_id") + dailyTable("fb_daily_operator", "operator_id") +
         "ALTER TABLE fb_ratings ADD COLUMN in_daily INTEGER NOT NULL DEFAULT 0;\n";
}

std::string upsertSql(const char* table, const char* dimension) {
  const auto& cols = valueColumns();
  std::string q = std::string("INSERT INTO ") + table + "(ente_id, day, office_id, " + dimension +
                  ", channel";
  for (const auto& col : cols) q += ", " + col;
  q += ") VALUES (?, ?, ?, ?, ?";
  for (size_t i = 0; i < cols.size(); ++i) q += ", ?";
  q += std::string(") ON CONFLICT (ente_id, day, office_id, ") + dimension +
       ", channel) DO UPDATE SET ";
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) q += ", ";
    q += cols[i] + " = " + table + "." + cols[i] + " + excluded." + cols[i];
  }
  return q;
}

}  // namespace

std::vector<Migration> migrations() {
  return {{1200, "feedback: one rating per contact, every channel",
           R"sql(
CREATE TABLE fb_ratings (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  office_id TEXT NOT NULL,
  service_id TEXT,
  operator_id TEXT,
  score TEXT NOT NULL,
  reasons TEXT NOT NULL,
  comment TEXT NOT NULL,
  contact_at BIGINT NOT NULL,
  rated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX fb_ratings_contact ON fb_ratings(channel, contact_id);
CREATE INDEX fb_ratings_ente_time ON fb_ratings(ente_id, contact_at);
)sql",
           ""},
          {1201, "feedback: hourly satisfaction roll-up; visits rated before feedback existed",
           kHourly, kHourly},
          {1202, "feedback: daily roll-ups of contacts and ratings by local day", dailySql(),
           dailySql()}};
}

namespace {

const sql::Columns<Rating> kCols{
    sql::col<&Rating::id>("id"),
    sql::col<&Rating::enteId>("ente_id"),
    {"channel", [](Rating& x, sql::RowReader& r) { x.channel = *parseChannel(r.str()); }},
    sql::col<&Rating::contactId>("contact_id"),
    sql::col<&Rating::officeId>("office_id"),
    sql::col<&Rating::serviceId>("service_id"),
    sql::col<&Rating::operatorId>("operator_id"),
    {"score", [](Rating& x, sql::RowReader& r) { x.score = *parseScore(r.str()); }},
    {"reasons", [](Rating& x, sql::RowReader& r) { x.reasons = splitReasons(r.str()); }},
    sql::col<&Rating::comment>("comment"),
    sql::col<&Rating::contactAt>("contact_at"),
    sql::col<&Rating::ratedAt>("rated_at"),
};

}  // namespace

Status insertRating(sql::Connection& c, const Rating& r, const date::time_zone* tz) {
  auto n = c.exec(
      "INSERT INTO fb_ratings(id, ente_id, channel, contact_id, office_id, service_id, "
      "operator_id, score, reasons, comment, contact_at, rated_at, in_daily) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
      {r.id, r.enteId, name(r.channel), r.contactId, r.officeId, sql::optText(r.serviceId),
       sql::optText(r.operatorId), name(r.score), joinReasons(r.reasons), r.comment, r.contactAt,
       r.ratedAt});
  if (!n.ok()) {
    if (n.error().code == Errc::kConflict) {
      return makeError(Errc::kConflict, "hai già espresso il tuo giudizio");
    }
    return n.error();
  }
  // The roll-up, in the same transaction: one upsert of the contact's hour.
  auto k = Counts::of(r.score, r.reasons);
  std::vector<sql::Value> p = {r.enteId,  hourStart(r.contactAt), r.officeId, name(r.channel),
                               r.operatorId.value_or(""), k.positive, k.neutral, k.negative};
  for (auto x : k.reasons) p.emplace_back(x);
  SP_TRY(c.exec(
      "INSERT INTO fb_hourly_ratings(ente_id, hour_start, office_id, channel, operator_id, "
      "positive, neutral, negative, r_waiting_time, r_courtesy, r_competence, r_clarity, "
      "r_not_solved, r_technical) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (ente_id, hour_start, office_id, channel, operator_id) DO UPDATE SET "
      "positive = fb_hourly_ratings.positive + excluded.positive, "
      "neutral = fb_hourly_ratings.neutral + excluded.neutral, "
      "negative = fb_hourly_ratings.negative + excluded.negative, "
      "r_waiting_time = fb_hourly_ratings.r_waiting_time + excluded.r_waiting_time, "
      "r_courtesy = fb_hourly_ratings.r_courtesy + excluded.r_courtesy, "
      "r_competence = fb_hourly_ratings.r_competence + excluded.r_competence, "
      "r_clarity = fb_hourly_ratings.r_clarity + excluded.r_clarity, "
      "r_not_solved = fb_hourly_ratings.r_not_solved + excluded.r_not_solved, "
      "r_technical = fb_hourly_ratings.r_technical + excluded.r_technical",
      p));
  // And the day's cells (by service, by operator).
  Cell day;
  day.day = localSlot(r.contactAt, tz).day;
  day.officeId = r.officeId;
  day.serviceId = r.serviceId.value_or("");
  day.operatorId = r.operatorId.value_or("");
  day.channel = name(r.channel);
  day.ratings = k;
  return bumpDaily(c, r.enteId, day);
}

Result<std::vector<HourRow>> hours(sql::Connection& c, const std::string& enteId, int64_t start,
                                   int64_t end, const std::optional<std::string>& officeId) {
  std::string q =
      "SELECT hour_start, office_id, channel, operator_id, positive, neutral, negative, "
      "r_waiting_time, r_courtesy, r_competence, r_clarity, r_not_solved, r_technical "
      "FROM fb_hourly_ratings WHERE ente_id = ? AND hour_start >= ? AND hour_start < ?";
  std::vector<sql::Value> p = {enteId, start, end};
  if (officeId) {
    q += " AND office_id = ?";
    p.emplace_back(*officeId);
  }
  q += " ORDER BY hour_start, office_id, channel, operator_id";
  SP_ASSIGN(auto rows, c.query(q, p));
  std::vector<HourRow> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    HourRow h;
    h.hourStart = row.i64(0);
    h.officeId = row.str(1);
    h.channel = parseChannel(row.str(2)).value_or(Channel::kVisit);
    h.operatorId = row.str(3);
    h.counts.positive = row.i64(4);
    h.counts.neutral = row.i64(5);
    h.counts.negative = row.i64(6);
    for (size_t i = 0; i < h.counts.reasons.size(); ++i) h.counts.reasons[i] = row.i64(7 + i);
    out.push_back(std::move(h));
  }
  return out;
}

Status bumpDaily(sql::Connection& c, const std::string& enteId, const Cell& add) {
  static const std::string byService = upsertSql("fb_daily", "service_id");
  static const std::string byOperator = upsertSql("fb_daily_operator", "operator_id");
  auto values = cellValues(add.contacts, add.ratings);
  std::vector<sql::Value> p = {enteId, add.day, add.officeId, add.serviceId, add.channel};
  for (auto v : values) p.emplace_back(v);
  SP_TRY(c.exec(byService, p));
  if (add.operatorId.empty()) return okStatus();
  p[3] = add.operatorId;
  SP_TRY(c.exec(byOperator, p));
  return okStatus();
}

Result<std::vector<Cell>> dailyCells(sql::Connection& c, const std::string& enteId,
                                     const std::string& from, const std::string& to,
                                     const DailyFilter& f, bool perOperator) {
  const char* dimension = perOperator ? "operator_id" : "service_id";
  std::string q = std::string("SELECT day, office_id, ") + dimension + ", channel";
  for (const auto& col : valueColumns()) q += ", " + col;
  q += std::string(" FROM ") + (perOperator ? "fb_daily_operator" : "fb_daily") +
       " WHERE ente_id = ? AND day >= ? AND day <= ?";
  std::vector<sql::Value> p = {enteId, from, to};
  if (f.officeId) {
    q += " AND office_id = ?";
    p.emplace_back(*f.officeId);
  }
  if (f.channel) {
    q += " AND channel = ?";
    p.emplace_back(*f.channel);
  }
  if (f.serviceId && !perOperator) {
    q += " AND service_id = ?";
    p.emplace_back(*f.serviceId);
  }
  if (f.operatorId && perOperator) {
    q += " AND operator_id = ?";
    p.emplace_back(*f.operatorId);
  }
  SP_ASSIGN(auto rows, c.query(q, p));
  std::vector<Cell> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    Cell x;
    x.day = row.str(0);
    x.officeId = row.str(1);
    (perOperator ? x.operatorId : x.serviceId) = row.str(2);
    x.channel = row.str(3);
    readValues(row, 4, x.contacts, x.ratings);
    out.push_back(std::move(x));
  }
  return out;
}

Result<int64_t> backfillDailyRatings(sql::Connection& c) {
  SP_ASSIGN(auto rows,
            c.query("SELECT ente_id, contact_at, office_id, COALESCE(service_id, ''), channel, "
                    "COALESCE(operator_id, ''), score, reasons FROM fb_ratings WHERE in_daily = 0",
                    {}));
  std::map<std::string, const date::time_zone*> zones;
  for (const auto& row : rows) {
    auto enteId = row.str(0);
    auto z = zones.find(enteId);
    if (z == zones.end()) {
      SP_ASSIGN(auto ente, directory::lookup::enteById(c, enteId));
      const date::time_zone* tz = nullptr;
      try {
        tz = date::locate_zone(ente.timezone.empty() ? "Europe/Rome" : ente.timezone);
      } catch (const std::exception&) {
        tz = date::locate_zone("Europe/Rome");
      }
      z = zones.emplace(enteId, tz).first;
    }
    Cell x;
    x.day = localSlot(row.i64(1), z->second).day;
    x.officeId = row.str(2);
    x.serviceId = row.str(3);
    x.channel = row.str(4);
    x.operatorId = row.str(5);
    x.ratings = Counts::of(parseScore(row.str(6)).value_or(Score::kNeutral),
                           splitReasons(row.str(7)));
    SP_TRY(bumpDaily(c, enteId, x));
  }
  if (!rows.empty()) SP_TRY(c.exec("UPDATE fb_ratings SET in_daily = 1 WHERE in_daily = 0", {}));
  return static_cast<int64_t>(rows.size());
}

Result<std::optional<Rating>> ratingOf(sql::Connection& c, Channel channel,
                                       const std::string& contactId) {
  SP_ASSIGN(auto rows, c.query(kCols.select("FROM fb_ratings ") +
                                   "WHERE channel = ? AND contact_id = ?",
                               {name(channel), contactId}));
  if (rows.empty()) return std::optional<Rating>();
  return std::optional<Rating>(kCols.read(rows[0]));
}

Result<int64_t> forgetComments(sql::Connection& c, int64_t before) {
  return c.exec("UPDATE fb_ratings SET comment = '' WHERE rated_at < ? AND comment <> ''",
                {before});
}

}  // namespace sportello::feedback::store
