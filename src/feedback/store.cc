#include "feedback/store.h"

#include "platform/sql/columns.h"

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
           kHourly, kHourly}};
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

Status insertRating(sql::Connection& c, const Rating& r) {
  auto n = c.exec(
      "INSERT INTO fb_ratings(id, ente_id, channel, contact_id, office_id, service_id, "
      "operator_id, score, reasons, comment, contact_at, rated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
  return okStatus();
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
