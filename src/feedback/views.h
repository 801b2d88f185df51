// What feedback answers (docs/ARCHITECTURE.md, "Callers and views"): whether a contact may be
// rated now and whether it has been.
#pragma once

#include "core/json_fields.h"
#include "feedback/model/figures.h"
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

// The contact figures over a period (GET /api/v1/enti/{slug}/reports/figures), read from the
// daily roll-ups: totals, by local day, by local hour of the day, and by office, service,
// channel and operator. toJson derives the medians, p90s, FCR rate and shares.
struct FigureGroup {
  std::string key, name;  // the day / hour / id, and what people read ("" for days and hours)
  ContactCounts contacts;
  Counts ratings;
};
struct FiguresReport {
  std::string from, to, timezone;
  Json filter = Json::object();  // the filters applied, as given
  FigureGroup total;
  std::vector<FigureGroup> byDay, byHour, byOffice, byService, byChannel, byOperator;
  bool operatorsAvailable = true;  // false when filtered by service (see README)
};
Json toJson(const FiguresReport& r);
// One CSV table: a line for the total and for every group ("breakdown" column), same figures
// as the JSON.
std::string toCsv(const FiguresReport& r);

// Open data (public, per ente): month × office, satisfaction and waiting time, counts below
// kOpenDataMinCount suppressed (null / empty), with the dataset's DCAT-AP_IT metadata.
inline constexpr int64_t kOpenDataMinCount = 10;
struct OpenDataRow {
  std::string month, officeId, officeName;
  ContactCounts contacts;
  Counts ratings;
};
struct OpenDataset {
  std::string enteName, enteSlug, year, modified, origin;
  std::vector<OpenDataRow> rows;
};
Json toJson(const OpenDataset& d);
Json metadataJson(const OpenDataset& d);
std::string toCsv(const OpenDataset& d);

}  // namespace sportello::feedback
