// The rules of a virtual visit, without I/O: which state changes are allowed to whom, the
// satisfaction vote, the wait estimate, and TURN REST credentials. Unit-tested in
// tests/unit/reception.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/utf8.h"

namespace sportello::reception {

// waiting → admitted → ended; waiting → left | rejected. A transfer puts a waiting or admitted
// visit back to waiting in another office's list.
enum class VisitState { kWaiting, kAdmitted, kEnded, kLeft, kRejected };
enum class Mode { kChat, kVideo };
enum class VisitChannel { kWeb, kWidget, kKiosk, kAppointment };
enum class CallState { kNone, kProposed, kActive };
enum class Outcome { kResolved, kNeedsCallback, kTransferred, kAbandoned };

const char* name(VisitState s);
const char* name(Mode m);
const char* name(VisitChannel c);
const char* name(CallState c);
const char* name(Outcome o);
std::optional<VisitState> parseVisitState(std::string_view s);
std::optional<Mode> parseMode(std::string_view s);
std::optional<VisitChannel> parseVisitChannel(std::string_view s);
std::optional<CallState> parseCallState(std::string_view s);
std::optional<Outcome> parseOutcome(std::string_view s);

// The directory channel whose reception hours apply to a mode ("chat" / "video").
const char* scheduleChannel(Mode m);

// What may be done to a visit in a given state. kConflict with an Italian message otherwise.
enum class Action { kLeave, kAdmit, kReject, kTransfer, kEnd, kSetOutcome, kMessage, kCall, kRate };
Status allowed(Action a, VisitState s);

// "Mettiamoci la faccia": three faces, reasons only after a neutral or negative vote.
enum class Score { kPositive, kNeutral, kNegative };
std::optional<Score> parseScore(std::string_view s);
const char* name(Score s);
const std::vector<std::string>& ratingReasons();
Status validateRating(Score score, const std::vector<std::string>& reasons,
                      const std::string& comment);

// Average handling time used before any visit of the office has ended.
inline constexpr int64_t kDefaultHandleMs = 5 * 60 * 1000;
// Estimated wait for the citizen at `position` (1 = next): position × average handling time
// spread over the operators on duty (at least one).
int64_t estimatedWaitMs(int64_t position, int64_t avgHandleMs, int64_t operatorsAvailable);

// Liveness (docs/OPERATIONS.md, "Liveness"): a remote entry is there only while its page is
// connected, an operator only while their console is. How long ago a party was last seen live
// decides what it is; `seenAt` 0 means "never followed live" (an API client): it counts as
// connected, so a presence set through the API alone is kept.
struct LivenessRules {
  int64_t graceMs = 60'000;       // disconnected after this long without a live page
  int64_t keepPlaceMs = 600'000;  // gone after this long
  // "Ci sei ancora?": a waiting citizen whose page is connected but who has given no sign of
  // being there (the knock, an answer, a conversation) for askAfterMs is asked; no answer within
  // answerMs counts as a page gone since the question (disconnected, then gone keepPlaceMs
  // after it was asked). askAfterMs 0: never asked.
  int64_t askAfterMs = 0;
  int64_t answerMs = 180'000;
};
enum class Liveness { kConnected, kDisconnected, kGone };
Liveness livenessOf(int64_t seenAtMs, int64_t nowMs, const LivenessRules& r);
// What an open question does to the citizen's liveness: connected while none is open or while
// it can still be answered, then as a page last seen when it was asked.
Liveness questionLiveness(std::optional<int64_t> askedAtMs, int64_t nowMs, const LivenessRules& r);
// The worse of two (a page connected but a question unanswered is not there).
Liveness worse(Liveness a, Liveness b);
// Whether to ask a waiting, connected citizen now: idle (no sign since hereAtMs) long enough
// and not asked already.
bool askDue(VisitState state, bool markedAway, Liveness citizen, int64_t hereAtMs,
            std::optional<int64_t> askedAtMs, int64_t nowMs, const LivenessRules& r);

// What the periodic sweep does to a visit that is waiting or admitted, from the liveness of its
// citizen and (admitted) of its operator. Coming back is not the sweep's: the reconnection
// itself clears `markedAway` and gives the entry back its place.
struct LiveFacts {
  VisitState state = VisitState::kWaiting;
  CallState call = CallState::kNone;
  bool markedAway = false;  // already shown as disconnected
  Liveness citizen = Liveness::kConnected;
  Liveness op = Liveness::kConnected;  // the admitting operator (connected when none)
  bool askDue = false;                 // see askDue(): ask "ci sei ancora?" now
};
struct LiveSteps {
  bool markAway = false;         // show as disconnected; waiting: skipped by admit-next
  bool endCall = false;          // audio/video with a party gone: ended
  bool leaveLine = false;        // waiting, citizen gone: leaves the line (ended_by "system")
  bool endConversation = false;  // admitted, citizen gone: ended as abandoned
  bool backToLine = false;       // admitted, operator gone: waits again with its first arrival
  bool ask = false;              // waiting, connected, idle long: ask "ci sei ancora?"
  bool any() const {
    return markAway || endCall || leaveLine || endConversation || backToLine || ask;
  }
};
LiveSteps livenessSteps(const LiveFacts& f);

// TURN REST API (draft-uberti-behave-turn-rest, coturn use-auth-secret): the username is
// "<expiry unix seconds>:<name>" and the password base64(HMAC-SHA1(secret, username)).
struct TurnCredential {
  std::string username, credential;
};
TurnCredential turnCredential(std::string_view secret, std::string_view name,
                              int64_t expiresUnix);

}  // namespace sportello::reception
