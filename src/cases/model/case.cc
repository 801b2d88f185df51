#include "cases/model/case.h"

#include <algorithm>
#include <cctype>

#include "core/enum_names.h"

namespace sportello::cases {

namespace {

using S = CaseState;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

}  // namespace

const std::vector<CaseState>& allCaseStates() {
  static const std::vector<CaseState> all = {S::kNew,           S::kInProgress, S::kWaitingCitizen,
                                             S::kWaitingOffice, S::kResolved,   S::kClosed};
  return all;
}

namespace {
constexpr auto kCaseStates = enumNames<CaseState>({{S::kNew, "new"},
                                                   {S::kInProgress, "in_progress"},
                                                   {S::kWaitingCitizen, "waiting_citizen"},
                                                   {S::kWaitingOffice, "waiting_office"},
                                                   {S::kResolved, "resolved"},
                                                   {S::kClosed, "closed"}});
static_assert(kCaseStates.distinct());
constexpr auto kPriorities = enumNames<Priority>({{Priority::kLow, "low"},
                                                  {Priority::kNormal, "normal"},
                                                  {Priority::kHigh, "high"},
                                                  {Priority::kUrgent, "urgent"}},
                                                 "normal");
static_assert(kPriorities.distinct());
constexpr auto kChannels = enumNames<Channel>({{Channel::kPhone, "phone"},
                                               {Channel::kVisit, "visit"},
                                               {Channel::kMessage, "message"},
                                               {Channel::kWalkIn, "walk_in"},
                                               {Channel::kEmail, "email"}});
static_assert(kChannels.distinct());
}  // namespace

const char* caseStateName(CaseState s) {
  return kCaseStates.name(s);
}

std::optional<CaseState> parseCaseState(std::string_view s) {
  return kCaseStates.parse(s);
}

const char* caseStateLabel(CaseState s, std::string_view lang) {
  bool en = lang == "en";
  switch (s) {
    case S::kNew:
      return en ? "received" : "ricevuta";
    case S::kInProgress:
      return en ? "in progress" : "in lavorazione";
    case S::kWaitingCitizen:
      return en ? "waiting for your reply" : "in attesa di una tua risposta";
    case S::kWaitingOffice:
      return en ? "waiting for another office" : "in attesa di un altro ufficio";
    case S::kResolved:
      return en ? "resolved" : "risolta";
    case S::kClosed:
      return en ? "closed" : "chiusa";
  }
  return "";
}

const std::vector<CaseState>& allowedNext(CaseState from) {
  static const std::vector<CaseState> fromNew = {S::kInProgress, S::kWaitingCitizen,
                                                 S::kWaitingOffice, S::kResolved};
  static const std::vector<CaseState> fromProgress = {S::kWaitingCitizen, S::kWaitingOffice,
                                                      S::kResolved};
  static const std::vector<CaseState> fromWaitCitizen = {S::kInProgress, S::kWaitingOffice,
                                                         S::kResolved};
  static const std::vector<CaseState> fromWaitOffice = {S::kInProgress, S::kWaitingCitizen,
                                                        S::kResolved};
  static const std::vector<CaseState> fromResolved = {S::kClosed, S::kInProgress};
  static const std::vector<CaseState> fromClosed = {S::kInProgress};
  switch (from) {
    case S::kNew:
      return fromNew;
    case S::kInProgress:
      return fromProgress;
    case S::kWaitingCitizen:
      return fromWaitCitizen;
    case S::kWaitingOffice:
      return fromWaitOffice;
    case S::kResolved:
      return fromResolved;
    case S::kClosed:
      return fromClosed;
  }
  return fromClosed;
}

bool transitionAllowed(CaseState from, CaseState to) {
  const auto& next = allowedNext(from);
  return std::find(next.begin(), next.end(), to) != next.end();
}

Status checkTransition(CaseState from, CaseState to) {
  if (transitionAllowed(from, to)) return okStatus();
  Error e(
      Errc::kConflict,
      std::string("passaggio non ammesso: da ") + caseStateName(from) + " a " + caseStateName(to),
      "state");
  e.reason = "transition";
  return e;
}

bool isReopen(CaseState from, CaseState to) {
  return (from == S::kResolved || from == S::kClosed) && to == S::kInProgress;
}

bool isOpen(CaseState s) {
  return s != S::kResolved && s != S::kClosed;
}

const char* priorityName(Priority p) {
  return kPriorities.name(p);
}

std::optional<Priority> parsePriority(std::string_view s) {
  return kPriorities.parse(s);
}

const char* channelName(Channel c) {
  return kChannels.name(c);
}

std::optional<Channel> parseChannel(std::string_view s) {
  return kChannels.parse(s);
}

int64_t defaultDueAt(Priority p, int64_t createdAtMs) {
  switch (p) {
    case Priority::kUrgent:
      return createdAtMs + 1 * kDayMs;
    case Priority::kHigh:
      return createdAtMs + 5 * kDayMs;
    case Priority::kNormal:
      return createdAtMs + 30 * kDayMs;
    case Priority::kLow:
      return createdAtMs + 60 * kDayMs;
  }
  return createdAtMs + 30 * kDayMs;
}

bool isOverdue(CaseState s, int64_t dueAtMs, int64_t nowMs) {
  return isOpen(s) && nowMs > dueAtMs;
}

Result<std::string> formatTrackingCode(std::string_view eight) {
  if (eight.size() != 8 || eight.find_first_not_of(kCodeAlphabet) != std::string_view::npos) {
    return makeError(Errc::kInvalid, "codice: 8 caratteri dell'alfabeto dei codici", "code");
  }
  std::string out = "PR-";
  out.append(eight.substr(0, 4));
  out.push_back('-');
  out.append(eight.substr(4));
  return out;
}

std::optional<std::string> normalizeTrackingCode(std::string_view typed) {
  std::string chars;
  for (char ch : typed) {
    if (ch == '-' || ch == ' ') continue;
    chars.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  if (chars.size() == 10 && chars.compare(0, 2, "PR") == 0) chars.erase(0, 2);
  auto f = formatTrackingCode(chars);
  if (!f.ok()) return std::nullopt;
  return f.value();
}

Result<std::string> formatCaseSecret(std::string_view chars) {
  if (chars.size() != kSecretChars ||
      chars.find_first_not_of(kCodeAlphabet) != std::string_view::npos) {
    return makeError(Errc::kInvalid, "codice segreto: 28 caratteri dell'alfabeto dei codici",
                     "secret");
  }
  std::string out;
  for (size_t i = 0; i < chars.size(); i += 4) {
    if (i > 0) out.push_back('-');
    out.append(chars.substr(i, 4));
  }
  return out;
}

std::optional<std::string> normalizeCaseSecret(std::string_view typed) {
  std::string chars;
  for (char ch : typed) {
    if (ch == '-' || ch == ' ' || ch == '.') continue;
    chars.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  if (chars.size() != kSecretChars || chars.find_first_not_of(kCodeAlphabet) != std::string::npos) {
    return std::nullopt;
  }
  return chars;
}

bool firstContactResolved(const FcrFacts& f) {
  return f.resolvedAtCreation && f.transfers == 0 && f.escalations == 0 && f.callbacks == 0 &&
         f.reopens == 0;
}

std::optional<double> fcrRate(int64_t fcr, int64_t cases) {
  if (cases <= 0) return std::nullopt;
  return static_cast<double>(std::clamp<int64_t>(fcr, 0, cases)) / static_cast<double>(cases);
}

Result<size_t> nextEscalation(const std::vector<EscalationLevel>& chain,
                              std::optional<size_t> current, std::string_view currentOffice) {
  if (chain.empty()) {
    Error e(Errc::kConflict, "l'ente non ha una catena di escalation");
    e.reason = "no_chain";
    return e;
  }
  // Where the case stands: its escalation level, or higher when its own office is a step.
  std::optional<size_t> at = current;
  if (!currentOffice.empty()) {
    for (size_t i = 0; i < chain.size(); ++i) {
      if (chain[i].officeId == currentOffice && (!at || i > *at)) at = i;
    }
  }
  for (size_t next = at ? *at + 1 : 0; next < chain.size(); ++next) {
    if (chain[next].officeId != currentOffice) return next;
  }
  Error e(Errc::kConflict,
          "la pratica è già all'ultimo livello di escalation: non c'è un ufficio superiore a cui "
          "inoltrarla");
  e.reason = "top";
  return e;
}

Result<std::string> sniffAttachment(std::string_view b) {
  if (b.empty()) return makeError(Errc::kInvalid, "il file è vuoto", "file");
  if (b.size() > kMaxAttachmentBytes) {
    return makeError(Errc::kPayloadTooLarge, "il file supera 5 MiB", "file");
  }
  if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return std::string("application/pdf");
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    return std::string("image/png");
  }
  if (b.size() >= 3 && b.substr(0, 3) == std::string_view("\xff\xd8\xff", 3)) {
    return std::string("image/jpeg");
  }
  return makeError(Errc::kInvalid, "tipo di file non ammesso: solo PDF, PNG o JPEG", "file");
}

std::string safeFilename(std::string_view name, std::string_view contentType) {
  std::string ext = contentType == "application/pdf" ? ".pdf"
                    : contentType == "image/png"     ? ".png"
                                                     : ".jpg";
  std::string base;
  // Drop any directory part and the extension the citizen gave.
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  if (auto dot = name.find_last_of('.'); dot != std::string_view::npos) name = name.substr(0, dot);
  for (char ch : name) {
    unsigned char u = static_cast<unsigned char>(ch);
    base.push_back(std::isalnum(u) || ch == '-' || ch == '_' ? ch : '_');
    if (base.size() >= 80 - ext.size()) break;
  }
  if (base.empty() || base.find_first_not_of('_') == std::string::npos) base = "documento";
  return base + ext;
}

}  // namespace sportello::cases
