// The ratings' SQL (migrations 1200+). Every function runs on the caller's connection (inside
// its transaction, for writes); private to src/feedback (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include "feedback/types.h"
#include "platform/database.h"

namespace sportello::feedback::store {

std::vector<Migration> migrations();

// kConflict "hai già espresso il tuo giudizio" when the contact already has its rating (the
// unique index (channel, contact_id) decides, so two racing requests store one).
Status insertRating(sql::Connection& c, const Rating& r);
// The contact's rating, if any.
Result<std::optional<Rating>> ratingOf(sql::Connection& c, Channel channel,
                                       const std::string& contactId);
// Retention: comments of ratings older than `before` are blanked (the faces and reasons stay:
// they are the figures). Returns how many.
Result<int64_t> forgetComments(sql::Connection& c, int64_t before);

}  // namespace sportello::feedback::store
