// What feedback answers (docs/ARCHITECTURE.md, "Callers and views"): whether a contact may be
// rated now and whether it has been.
#pragma once

#include "core/json_fields.h"
#include "feedback/model/rating.h"
#include "feedback/model/rollup.h"

namespace sportello::feedback {

struct RatingStatus {
  Channel channel = Channel::kVisit;
  bool rateable = false;  // the contact is over (done, ended, resolved) and not rated yet
  bool rated = false;
};
Json toJson(const RatingStatus& s);

// Satisfaction over a period (GET /api/v1/enti/{slug}/reports/satisfaction): per local day,
// office and channel, and the totals by channel, office and operator. Shares are computed by
// toJson (null without ratings).
struct SatisfactionRow {
  std::string day;  // "YYYY-MM-DD", the ente's local day
  std::string officeId, officeName;
  Channel channel = Channel::kVisit;
  Counts counts;
};
struct SatisfactionReport {
  std::string from, to, timezone;
  std::vector<SatisfactionRow> rows;  // by day, office name, channel
  Counts total;
  std::vector<std::pair<std::string, Counts>> byChannel, byOffice, byOperator;  // key: name / id
};
Json toJson(const SatisfactionReport& r);
// The same figures as CSV (one line per row; RFC 4180 quoting), for the export.
std::string toCsv(const SatisfactionReport& r);

}  // namespace sportello::feedback
