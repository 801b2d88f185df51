#include "feedback/store.h"

#include "platform/sql/columns.h"

namespace sportello::feedback::store {

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
           ""}};
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
  return okStatus();
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
