// The ratings' SQL (migrations 1200+). Every function runs on the caller's connection (inside
// its transaction, for writes); private to src/feedback (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include "feedback/model/figures.h"
#include "feedback/model/rollup.h"
#include "feedback/types.h"
#include "platform/database.h"

namespace sportello::feedback::store {

std::vector<Migration> migrations();

// kConflict "hai già espresso il tuo giudizio" when the contact already has its rating (the
// unique index (channel, contact_id) decides, so two racing requests store one). The hourly
// roll-up of its contact's hour and the daily cells of its contact's local day in `tz` are
// updated in the same transaction.
Status insertRating(sql::Connection& c, const Rating& r, const date::time_zone* tz);
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

// --- The daily roll-ups (migration 1202): contacts and ratings by the ente's local day ---
// fb_daily keys a cell by (ente, local day, office, service "" for none, channel);
// fb_daily_operator by (ente, local day, office, operator, channel) — the per-operator view, kept
// apart so neither table multiplies the other's dimensions (docs/PERFORMANCE.md, "Feedback").
// Both hold the same additive columns: ContactCounts and the ratings' Counts.
struct Cell {
  std::string day, officeId, serviceId, operatorId;  // serviceId / operatorId per table
  std::string channel;
  ContactCounts contacts;
  Counts ratings;
};
// Adds `add` to its cells of both tables (one upsert each), in the caller's transaction.
// `service` / `operator` "" when none: a contact without an operator counts in fb_daily only.
Status bumpDaily(sql::Connection& c, const std::string& enteId, const Cell& add);

struct DailyFilter {
  std::optional<std::string> officeId, serviceId, channel, operatorId;
};
// The cells of ente `enteId` for local days from..to (inclusive, "YYYY-MM-DD"): from
// fb_daily_operator when `perOperator` (serviceId must be unset), fb_daily otherwise.
Result<std::vector<Cell>> dailyCells(sql::Connection& c, const std::string& enteId,
                                     const std::string& from, const std::string& to,
                                     const DailyFilter& f, bool perOperator);

// After migration 1202: the ratings stored before it (fb_ratings.in_daily = 0; insertRating
// writes 1 with its own daily cells), summed into the daily tables — their local day needs the
// ente's time zone, which SQL does not know. Idempotent; in a write transaction. Returns how
// many ratings it counted.
Result<int64_t> backfillDailyRatings(sql::Connection& c);

}  // namespace sportello::feedback::store
