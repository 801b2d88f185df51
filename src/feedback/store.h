// The ratings' SQL (migrations 1200+). Every function runs on the caller's connection (inside
// its transaction, for writes); private to src/feedback (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include "feedback/model/rollup.h"
#include "feedback/types.h"
#include "platform/database.h"

namespace sportello::feedback::store {

std::vector<Migration> migrations();

// kConflict "hai già espresso il tuo giudizio" when the contact already has its rating (the
// unique index (channel, contact_id) decides, so two racing requests store one). The hourly
// roll-up of its contact's hour is updated in the same transaction.
Status insertRating(sql::Connection& c, const Rating& r);
// The contact's rating, if any.
Result<std::optional<Rating>> ratingOf(sql::Connection& c, Channel channel,
                                       const std::string& contactId);
// Retention: comments of ratings older than `before` are blanked (the faces and reasons stay:
// they are the figures). Returns how many.
Result<int64_t> forgetComments(sql::Connection& c, int64_t before);

// One hour of the roll-up fb_hourly_ratings: per office, channel and operator ("" for none).
struct HourRow {
  int64_t hourStart = 0;
  std::string officeId;
  Channel channel = Channel::kVisit;
  std::string operatorId;
  Counts counts;
};
// The ente's hours in [start, end) (one office's when `officeId` is set), oldest first.
Result<std::vector<HourRow>> hours(sql::Connection& c, const std::string& enteId, int64_t start,
                                   int64_t end, const std::optional<std::string>& officeId);

}  // namespace sportello::feedback::store
