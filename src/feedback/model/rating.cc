#include "feedback/model/rating.h"

#include <algorithm>

#include "core/enum_names.h"
#include "core/utf8.h"

namespace sportello::feedback {

namespace {
constexpr auto kChannels = enumNames<Channel>({{Channel::kVisit, "visit"},
                                               {Channel::kTicket, "ticket"},
                                               {Channel::kAppointment, "appointment"},
                                               {Channel::kCase, "case"},
                                               {Channel::kPhone, "phone"}});
constexpr auto kScores = enumNames<Score>(
    {{Score::kPositive, "positive"}, {Score::kNeutral, "neutral"}, {Score::kNegative, "negative"}});
static_assert(kChannels.distinct() && kScores.distinct());

}  // namespace

const char* name(Channel c) {
  return kChannels.name(c);
}
const char* name(Score s) {
  return kScores.name(s);
}
std::optional<Channel> parseChannel(std::string_view s) {
  return kChannels.parse(s);
}
std::optional<Score> parseScore(std::string_view s) {
  return kScores.parse(s);
}

const std::vector<Channel>& allChannels() {
  static const std::vector<Channel> all = {Channel::kVisit, Channel::kTicket, Channel::kAppointment,
                                           Channel::kCase, Channel::kPhone};
  return all;
}

const std::vector<std::string>& reasons() {
  static const std::vector<std::string> r = {"waiting_time", "courtesy",   "competence",
                                             "clarity",      "not_solved", "technical"};
  return r;
}

Status validate(Score score, const std::vector<std::string>& given, const std::string& comment) {
  if (score == Score::kPositive && !given.empty()) {
    return makeError(Errc::kInvalid, "i motivi si indicano solo con un giudizio non positivo",
                     "reasons");
  }
  const auto& all = reasons();
  for (const auto& r : given) {
    if (std::find(all.begin(), all.end(), r) == all.end()) {
      return makeError(Errc::kInvalid, "motivo sconosciuto: " + r, "reasons");
    }
    if (std::count(given.begin(), given.end(), r) > 1) {
      return makeError(Errc::kInvalid, "motivo ripetuto: " + r, "reasons");
    }
  }
  auto len = utf8Length(comment);
  if (!len || *len > kMaxCommentChars) {
    return makeError(Errc::kInvalid, "commento: al massimo 500 caratteri", "comment");
  }
  return okStatus();
}

std::string joinReasons(const std::vector<std::string>& r) {
  std::string out;
  for (const auto& x : r) {
    if (!out.empty()) out += ',';
    out += x;
  }
  return out;
}

std::vector<std::string> splitReasons(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto p = s.find(',');
    out.emplace_back(s.substr(0, p));
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + 1);
  }
  return out;
}

}  // namespace sportello::feedback
