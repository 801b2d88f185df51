#include "reception/model/visit.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>

#include "core/enum_names.h"
#include "feedback/model/rating.h"

namespace sportello::reception {

namespace {

constexpr auto kStates = enumNames<VisitState>({{VisitState::kWaiting, "waiting"},
                                                {VisitState::kAdmitted, "admitted"},
                                                {VisitState::kEnded, "ended"},
                                                {VisitState::kLeft, "left"},
                                                {VisitState::kRejected, "rejected"}});
constexpr auto kModes = enumNames<Mode>({{Mode::kChat, "chat"}, {Mode::kVideo, "video"}});
constexpr auto kChannels = enumNames<VisitChannel>({{VisitChannel::kWeb, "web"},
                                                    {VisitChannel::kWidget, "widget"},
                                                    {VisitChannel::kKiosk, "kiosk"},
                                                    {VisitChannel::kAppointment, "appointment"}});
constexpr auto kCalls = enumNames<CallState>({{CallState::kNone, "none"},
                                              {CallState::kProposed, "proposed"},
                                              {CallState::kActive, "active"}});
constexpr auto kOutcomes = enumNames<Outcome>({{Outcome::kResolved, "resolved"},
                                               {Outcome::kNeedsCallback, "needs_callback"},
                                               {Outcome::kTransferred, "transferred"},
                                               {Outcome::kAbandoned, "abandoned"}});
constexpr auto kScores = enumNames<Score>(
    {{Score::kPositive, "positive"}, {Score::kNeutral, "neutral"}, {Score::kNegative, "negative"}});
static_assert(kStates.distinct() && kModes.distinct() && kChannels.distinct() &&
              kCalls.distinct() && kOutcomes.distinct() && kScores.distinct());

}  // namespace

const char* name(VisitState s) {
  return kStates.name(s);
}
const char* name(Mode m) {
  return kModes.name(m);
}
const char* name(VisitChannel c) {
  return kChannels.name(c);
}
const char* name(CallState c) {
  return kCalls.name(c);
}
const char* name(Outcome o) {
  return kOutcomes.name(o);
}
const char* name(Score s) {
  return kScores.name(s);
}

std::optional<VisitState> parseVisitState(std::string_view s) {
  return kStates.parse(s);
}
std::optional<Mode> parseMode(std::string_view s) {
  return kModes.parse(s);
}
std::optional<VisitChannel> parseVisitChannel(std::string_view s) {
  return kChannels.parse(s);
}
std::optional<CallState> parseCallState(std::string_view s) {
  return kCalls.parse(s);
}
std::optional<Outcome> parseOutcome(std::string_view s) {
  return kOutcomes.parse(s);
}
std::optional<Score> parseScore(std::string_view s) {
  return kScores.parse(s);
}

const char* scheduleChannel(Mode m) { return m == Mode::kChat ? "chat" : "video"; }

Status allowed(Action a, VisitState s) {
  using S = VisitState;
  bool ok = false;
  const char* why = "operazione non ammessa in questo stato della visita";
  switch (a) {
    case Action::kLeave:
      ok = s == S::kWaiting;
      why = "puoi lasciare la coda solo mentre sei in attesa";
      break;
    case Action::kAdmit:
      ok = s == S::kWaiting;
      why = s == S::kAdmitted ? "la visita è già stata accolta da un altro operatore"
                              : "la visita non è più in attesa";
      break;
    case Action::kReject:
      ok = s == S::kWaiting;
      why = "si può rifiutare solo una visita in attesa";
      break;
    case Action::kTransfer:
      ok = s == S::kWaiting || s == S::kAdmitted;
      why = "la visita è già conclusa";
      break;
    case Action::kEnd:
      ok = s == S::kAdmitted;
      why = "la visita non è in corso";
      break;
    case Action::kSetOutcome:
      ok = s == S::kEnded;
      why = "l'esito si registra a visita conclusa";
      break;
    case Action::kMessage:
    case Action::kCall:
      ok = s == S::kAdmitted;
      why = "la conversazione non è in corso";
      break;
    case Action::kRate:
      ok = s == S::kEnded;
      why = "si può esprimere un giudizio a visita conclusa";
      break;
  }
  if (ok) return okStatus();
  return makeError(Errc::kConflict, why);
}

// The one rating model (feedback/model/rating.h) judges a visit like any other contact.
const std::vector<std::string>& ratingReasons() {
  return feedback::reasons();
}

Status validateRating(Score score, const std::vector<std::string>& reasons,
                      const std::string& comment) {
  return feedback::validate(*feedback::parseScore(name(score)), reasons, comment);
}

int64_t estimatedWaitMs(int64_t position, int64_t avgHandleMs, int64_t operatorsAvailable) {
  if (position <= 0) return 0;
  if (avgHandleMs <= 0) avgHandleMs = kDefaultHandleMs;
  int64_t ops = std::max<int64_t>(1, operatorsAvailable);
  // Everyone ahead must be served first: (position - 1) full turns shared by the operators,
  // rounded up, plus our own wait for the first free operator (half a turn on average).
  int64_t ahead = position - 1;
  return (ahead * avgHandleMs + ops - 1) / ops + avgHandleMs / (2 * ops);
}

TurnCredential turnCredential(std::string_view secret, std::string_view name,
                              int64_t expiresUnix) {
  TurnCredential c;
  c.username = std::to_string(expiresUnix) + ":" + std::string(name);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int macLen = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(c.username.data()), c.username.size(), mac, &macLen);
  std::string b64(4 * ((macLen + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac,
                          static_cast<int>(macLen));
  b64.resize(static_cast<size_t>(n));
  c.credential = std::move(b64);
  return c;
}

Liveness livenessOf(int64_t seenAtMs, int64_t nowMs, const LivenessRules& r) {
  if (seenAtMs <= 0) return Liveness::kConnected;
  int64_t away = nowMs - seenAtMs;
  if (away >= r.keepPlaceMs) return Liveness::kGone;
  if (away >= r.graceMs) return Liveness::kDisconnected;
  return Liveness::kConnected;
}

Liveness questionLiveness(std::optional<int64_t> askedAtMs, int64_t nowMs, const LivenessRules& r) {
  if (!askedAtMs) return Liveness::kConnected;
  return livenessOf(*askedAtMs, nowMs,
                    {r.answerMs, std::max(r.keepPlaceMs, r.answerMs), 0, r.answerMs});
}

Liveness worse(Liveness a, Liveness b) {
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

bool askDue(VisitState state, bool markedAway, Liveness citizen, int64_t hereAtMs,
            std::optional<int64_t> askedAtMs, int64_t nowMs, const LivenessRules& r) {
  return r.askAfterMs > 0 && state == VisitState::kWaiting && !markedAway &&
         citizen == Liveness::kConnected && !askedAtMs && nowMs - hereAtMs >= r.askAfterMs;
}

LiveSteps livenessSteps(const LiveFacts& f) {
  LiveSteps s;
  bool citizenOut = f.citizen != Liveness::kConnected;
  if (f.state == VisitState::kWaiting) {
    s.markAway = citizenOut && !f.markedAway;
    s.leaveLine = f.citizen == Liveness::kGone;
    s.ask = f.askDue && !citizenOut && !f.markedAway;
    return s;
  }
  if (f.state != VisitState::kAdmitted) return s;
  s.endCall = f.call != CallState::kNone && (citizenOut || f.op != Liveness::kConnected);
  s.markAway = citizenOut && !f.markedAway;
  s.endConversation = f.citizen == Liveness::kGone;
  // Nobody serves it any more, but the citizen is still there: back to the line, not lost.
  s.backToLine = !s.endConversation && f.op == Liveness::kGone;
  return s;
}

}  // namespace sportello::reception
