#include "feedback/views.h"

#include <cmath>
#include <cstdio>

namespace sportello::feedback {

Json toJson(const RatingStatus& s) {
  return Json{{"channel", name(s.channel)},
              {"rateable", s.rateable},
              {"rated", s.rated},
              {"reasons", reasons()}};
}

namespace {

Json countsJson(const Counts& c) {
  auto share = [&](int64_t n) { return c.total() ? Json(double(n) / double(c.total())) : Json(); };
  Json reasonsJson = Json::object();
  for (size_t i = 0; i < c.reasons.size(); ++i) reasonsJson[reasons()[i]] = c.reasons[i];
  return Json{{"ratings", c.total()},
              {"positive", c.positive},
              {"neutral", c.neutral},
              {"negative", c.negative},
              {"positive_share", share(c.positive)},
              {"neutral_share", share(c.neutral)},
              {"negative_share", share(c.negative)},
              {"reasons", reasonsJson}};
}

Json keyed(const std::vector<std::pair<std::string, Counts>>& v, const char* key) {
  Json out = Json::array();
  for (const auto& [k, c] : v) {
    Json j = countsJson(c);
    j[key] = k;
    out.push_back(std::move(j));
  }
  return out;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

Json toJson(const SatisfactionReport& r) {
  Json rows = Json::array();
  for (const auto& x : r.rows) {
    Json j = countsJson(x.counts);
    j["day"] = x.day;
    j["office"] = {{"id", x.officeId}, {"name", x.officeName}};
    j["channel"] = name(x.channel);
    rows.push_back(std::move(j));
  }
  return Json{{"from", r.from},
              {"to", r.to},
              {"timezone", r.timezone},
              {"total", countsJson(r.total)},
              {"by_channel", keyed(r.byChannel, "channel")},
              {"by_office", keyed(r.byOffice, "office")},
              {"by_operator", keyed(r.byOperator, "operator_id")},
              {"rows", rows}};
}

std::string toCsv(const SatisfactionReport& r) {
  std::string out = "day,office,channel,ratings,positive,neutral,negative";
  for (const auto& reason : reasons()) out += "," + reason;
  out += "\r\n";
  for (const auto& x : r.rows) {
    out += x.day + "," + csvField(x.officeName) + "," + name(x.channel) + "," +
           std::to_string(x.counts.total()) + "," + std::to_string(x.counts.positive) + "," +
           std::to_string(x.counts.neutral) + "," + std::to_string(x.counts.negative);
    for (auto n : x.counts.reasons) out += "," + std::to_string(n);
    out += "\r\n";
  }
  return out;
}

}  // namespace sportello::feedback

namespace sportello::feedback {

namespace {

Json secondsOrNull(std::optional<double> s) {
  if (!s) return nullptr;
  return std::round(*s);
}

Json durationJson(const Histogram& h, int64_t n, int64_t sumMs) {
  return Json{{"count", n},
              {"mean_s", n ? Json(std::round(double(sumMs) / double(n) / 1000.0)) : Json()},
              {"median_s", secondsOrNull(quantileS(h, 0.5))},
              {"p90_s", secondsOrNull(quantileS(h, 0.9))}};
}

std::optional<double> fcrRate(const ContactCounts& c) {
  if (c.fcrEligible == 0) return std::nullopt;
  return double(c.fcrYes) / double(c.fcrEligible);
}

Json groupJson(const FigureGroup& g, const char* keyName) {
  const auto& c = g.contacts;
  auto rate = fcrRate(c);
  Json j{{"contacts", c.contacts},
         {"served", c.served},
         {"abandoned", c.abandoned},
         {"no_show", c.noShow},
         {"fcr",
          {{"eligible", c.fcrEligible},
           {"resolved", c.fcrYes},
           {"rate", rate ? Json(*rate) : Json()},
           {"target", kFcrTarget},
           {"met", rate ? Json(*rate >= kFcrTarget) : Json()}}},
         {"wait", durationJson(c.wait, c.waitN, c.waitSumMs)},
         {"service_time", durationJson(c.service, c.serviceN, c.serviceSumMs)},
         {"satisfaction", countsJson(g.ratings)}};
  if (keyName) j[keyName] = g.key;
  if (!g.name.empty()) j["name"] = g.name;
  return j;
}

Json groupsJson(const std::vector<FigureGroup>& v, const char* keyName) {
  Json out = Json::array();
  for (const auto& g : v) out.push_back(groupJson(g, keyName));
  return out;
}

std::string num(std::optional<double> v, int decimals = 0) {
  if (!v) return "";
  if (decimals == 0) return std::to_string(std::llround(*v));  // as the JSON rounds (half up)
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

void csvGroup(std::string& out, const char* breakdown, const FigureGroup& g) {
  const auto& c = g.contacts;
  out += std::string(breakdown) + "," + csvField(g.key) + "," + csvField(g.name) + "," +
         std::to_string(c.contacts) + "," + std::to_string(c.served) + "," +
         std::to_string(c.abandoned) + "," + std::to_string(c.noShow) + "," +
         std::to_string(c.fcrEligible) + "," + std::to_string(c.fcrYes) + "," +
         num(fcrRate(c), 3) + "," + num(quantileS(c.wait, 0.5)) + "," +
         num(quantileS(c.wait, 0.9)) + "," + num(quantileS(c.service, 0.5)) + "," +
         num(quantileS(c.service, 0.9)) + "," + std::to_string(g.ratings.total()) + "," +
         std::to_string(g.ratings.positive) + "," + std::to_string(g.ratings.neutral) + "," +
         std::to_string(g.ratings.negative);
  for (auto n : g.ratings.reasons) out += "," + std::to_string(n);
  out += "\r\n";
}

}  // namespace

Json toJson(const FiguresReport& r) {
  Json hours = Json::array();
  for (const auto& g : r.byHour) {
    hours.push_back({{"hour", std::stoi(g.key)}, {"contacts", g.contacts.contacts}});
  }
  return Json{{"from", r.from},
              {"to", r.to},
              {"timezone", r.timezone},
              {"filter", r.filter},
              {"fcr_target", kFcrTarget},
              {"total", groupJson(r.total, nullptr)},
              {"by_day", groupsJson(r.byDay, "day")},
              {"by_hour", hours},
              {"by_office", groupsJson(r.byOffice, "office")},
              {"by_service", groupsJson(r.byService, "service")},
              {"by_channel", groupsJson(r.byChannel, "channel")},
              {"by_operator", r.operatorsAvailable ? groupsJson(r.byOperator, "operator") : Json()}};
}

std::string toCsv(const FiguresReport& r) {
  std::string out =
      "breakdown,key,name,contacts,served,abandoned,no_show,fcr_eligible,fcr_resolved,fcr_rate,"
      "wait_median_s,wait_p90_s,service_median_s,service_p90_s,ratings,positive,neutral,negative";
  for (const auto& reason : reasons()) out += "," + reason;
  out += "\r\n";
  csvGroup(out, "total", r.total);
  for (const auto& g : r.byDay) csvGroup(out, "day", g);
  for (const auto& g : r.byHour) csvGroup(out, "hour", g);
  for (const auto& g : r.byOffice) csvGroup(out, "office", g);
  for (const auto& g : r.byService) csvGroup(out, "service", g);
  for (const auto& g : r.byChannel) csvGroup(out, "channel", g);
  if (r.operatorsAvailable) {
    for (const auto& g : r.byOperator) csvGroup(out, "operator", g);
  }
  return out;
}

namespace {

// A count published only from kOpenDataMinCount up (fewer could point at a person).
std::optional<int64_t> shown(int64_t n) {
  if (n < kOpenDataMinCount) return std::nullopt;
  return n;
}

struct OpenFigures {
  std::optional<int64_t> contacts, waitCount, ratings;
  std::optional<double> waitMedian, waitP90, positive, neutral, negative;
};

OpenFigures openFigures(const OpenDataRow& row) {
  OpenFigures f;
  f.contacts = shown(row.contacts.contacts);
  f.waitCount = shown(row.contacts.waitN);
  if (f.waitCount) {
    f.waitMedian = quantileS(row.contacts.wait, 0.5);
    f.waitP90 = quantileS(row.contacts.wait, 0.9);
  }
  f.ratings = shown(row.ratings.total());
  if (f.ratings) {
    double n = double(row.ratings.total());
    f.positive = double(row.ratings.positive) / n;
    f.neutral = double(row.ratings.neutral) / n;
    f.negative = double(row.ratings.negative) / n;
  }
  return f;
}

template <class T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json();
}

std::string datasetUrl(const OpenDataset& d) {
  return d.origin + "/api/v1/enti/" + d.enteSlug + "/opendata/figures?year=" + d.year;
}

}  // namespace

Json metadataJson(const OpenDataset& d) {
  std::string url = datasetUrl(d);
  return Json{
      {"@type", "dcatapit:Dataset"},
      {"identifier", d.enteSlug + ":sportello-figures:" + d.year},
      {"title", "Sportello: soddisfazione e tempi di attesa per ufficio, " + d.year},
      {"title_en", "Front office: satisfaction and waiting times per office, " + d.year},
      {"description",
       "Per ogni mese e ufficio: contatti, attesa mediana e 90° percentile (secondi), giudizi "
       "e quote di giudizi positivi, neutri e negativi. Dati aggregati e anonimi; i valori "
       "calcolati su meno di " +
           std::to_string(kOpenDataMinCount) + " casi non sono pubblicati."},
      {"publisher", {{"name", d.enteName}, {"identifier", d.enteSlug}}},
      {"rightsHolder", {{"name", d.enteName}, {"identifier", d.enteSlug}}},
      {"license", {{"name", "CC-BY 4.0"}, {"uri", "https://creativecommons.org/licenses/by/4.0/"}}},
      {"modified", d.modified},
      {"accrualPeriodicity", "http://publications.europa.eu/resource/authority/frequency/MONTHLY"},
      {"theme", "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
      {"language", "http://publications.europa.eu/resource/authority/language/ITA"},
      {"keyword", Json::array({"URP", "soddisfazione", "tempi di attesa", "sportello"})},
      {"temporal", {{"startDate", d.year + "-01-01"}, {"endDate", d.year + "-12-31"}}},
      {"suppression",
       {{"min_count", kOpenDataMinCount},
        {"rule", "contacts, wait and ratings figures from fewer than " +
                     std::to_string(kOpenDataMinCount) + " cases are null / empty"}}},
      {"distribution",
       Json::array({{{"format", "CSV"}, {"mediaType", "text/csv"}, {"accessURL", url + "&format=csv"},
                     {"license", "https://creativecommons.org/licenses/by/4.0/"}},
                    {{"format", "JSON"}, {"mediaType", "application/json"},
                     {"accessURL", url + "&format=json"},
                     {"license", "https://creativecommons.org/licenses/by/4.0/"}}})}};
}

Json toJson(const OpenDataset& d) {
  Json rows = Json::array();
  for (const auto& row : d.rows) {
    auto f = openFigures(row);
    rows.push_back({{"month", row.month},
                    {"office_id", row.officeId},
                    {"office", row.officeName},
                    {"contacts", opt(f.contacts)},
                    {"wait_count", opt(f.waitCount)},
                    {"wait_median_s", f.waitMedian ? Json(std::round(*f.waitMedian)) : Json()},
                    {"wait_p90_s", f.waitP90 ? Json(std::round(*f.waitP90)) : Json()},
                    {"ratings", opt(f.ratings)},
                    {"positive_share", opt(f.positive)},
                    {"neutral_share", opt(f.neutral)},
                    {"negative_share", opt(f.negative)}});
  }
  return Json{{"metadata", metadataJson(d)}, {"year", d.year}, {"rows", rows}};
}

std::string toCsv(const OpenDataset& d) {
  std::string out =
      "month,office_id,office,contacts,wait_count,wait_median_s,wait_p90_s,ratings,"
      "positive_share,neutral_share,negative_share\r\n";
  auto i = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
  for (const auto& row : d.rows) {
    auto f = openFigures(row);
    out += row.month + "," + csvField(row.officeId) + "," + csvField(row.officeName) + "," +
           i(f.contacts) + "," + i(f.waitCount) + "," + num(f.waitMedian) + "," + num(f.waitP90) +
           "," + i(f.ratings) + "," + num(f.positive, 3) + "," + num(f.neutral, 3) + "," +
           num(f.negative, 3) + "\r\n";
  }
  return out;
}

}  // namespace sportello::feedback
