#include "feedback/views.h"

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
