// Cases (pratiche): the rules of a tracked request, without I/O. States and the allowed
// transitions, levels, priorities and due dates, the public tracking code, first-contact
// resolution, the escalation chain and the attachment types a citizen may upload.
//
// Life of a case:
//   new → in_progress → waiting_citizen / waiting_office → resolved → closed
//   reopen: resolved / closed → in_progress
// A transition not in the table (including to the same state) is refused with kConflict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sportello::cases {

enum class CaseState { kNew, kInProgress, kWaitingCitizen, kWaitingOffice, kResolved, kClosed };
const char* caseStateName(CaseState s);  // "new", "in_progress", …
std::optional<CaseState> parseCaseState(std::string_view s);
// Italian label for citizens and emails ("in lavorazione", …); English with lang "en".
const char* caseStateLabel(CaseState s, std::string_view lang = "it");
const std::vector<CaseState>& allCaseStates();

// The states reachable from `from` in one step.
const std::vector<CaseState>& allowedNext(CaseState from);
bool transitionAllowed(CaseState from, CaseState to);
// okStatus, or kConflict naming both states (reason "transition").
Status checkTransition(CaseState from, CaseState to);
// resolved / closed → in_progress.
bool isReopen(CaseState from, CaseState to);
// Not resolved nor closed: still someone's work.
bool isOpen(CaseState s);

// 1: first level (front office, contact centre); 2: second level (specialists, back office).
constexpr int kMinLevel = 1;
constexpr int kMaxLevel = 2;

enum class Priority { kLow, kNormal, kHigh, kUrgent };
const char* priorityName(Priority p);
std::optional<Priority> parsePriority(std::string_view s);

// How the contact reached the Comune.
enum class Channel { kPhone, kVisit, kMessage, kWalkIn, kEmail };
const char* channelName(Channel c);
std::optional<Channel> parseChannel(std::string_view s);

// The default due date: urgent 1 day, high 5, normal 30 (the general term of L. 241/1990),
// low 60 days after creation.
int64_t defaultDueAt(Priority p, int64_t createdAtMs);
// An open case past its due date.
bool isOverdue(CaseState s, int64_t dueAtMs, int64_t nowMs);

// Public tracking code "PR-XXXX-XXXX": 8 characters of the unambiguous alphabet of
// core/token.h (no 0/O, 1/I/L) — readable over the phone. It only names the case; reading it
// also needs the case's secret (≥ 128 bit), so the pair is unguessable.
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
// Formats 8 alphabet characters as "PR-ABCD-EFGH"; kInvalid otherwise.
Result<std::string> formatTrackingCode(std::string_view eight);
// Accepts what a person types (lower case, spaces, missing dashes or prefix) and returns the
// canonical form, or nullopt when it cannot be a tracking code.
std::optional<std::string> normalizeTrackingCode(std::string_view typed);

// The case's secret as a person can write it down and type it back ("codice segreto"): 28
// characters of kCodeAlphabet (31^28 ≈ 2^138 > 2^128), shown in seven groups of four
// ("ABCD-EFGH-…"), read back whatever the case, spaces or dashes. The same for every case, so
// the pair (tracking code, secret) is what a citizen keeps — after an offline message, a phone
// call (the operator dictates it) or from the email.
constexpr size_t kSecretChars = 28;
// Groups 28 alphabet characters as "ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2-3456"; kInvalid otherwise.
Result<std::string> formatCaseSecret(std::string_view chars);
// What a person typed → the 28 canonical characters (the form that is hashed), or nullopt when
// it cannot be such a secret (e.g. an older 43-character base64url secret: compared as is).
std::optional<std::string> normalizeCaseSecret(std::string_view typed);

// First-contact resolution: the case was resolved at the contact that opened it, with no
// transfer, escalation or callback. Anything of those afterwards (or a reopen) takes it back.
struct FcrFacts {
  bool resolvedAtCreation = false;
  int transfers = 0, escalations = 0, callbacks = 0, reopens = 0;
};
bool firstContactResolved(const FcrFacts& f);
// Rate in [0, 1] of first-contact resolutions among `cases`; nullopt with no cases.
std::optional<double> fcrRate(int64_t fcr, int64_t cases);
constexpr double kFcrTarget = 0.80;  // seed 001: Milano's 020202 answers ~80% at first contact

// The escalation chain of an ente: ordered levels (0 = first). An escalation always moves the
// case to another office, up the chain: the next level after the case's current one (its
// escalation level, or — when its office is itself a step of the chain — the highest step of
// that office, whichever is higher), skipping steps held by the case's own office. kConflict
// with reason "no_chain" (no chain) or "top" (nowhere left to go).
struct EscalationLevel {
  std::string name, officeId;
};
Result<size_t> nextEscalation(const std::vector<EscalationLevel>& chain,
                              std::optional<size_t> current, std::string_view currentOffice = {});

// Attachments: pdf, png or jpeg only, recognised by their first bytes (never by the name or the
// declared type), at most 5 MiB. Returns the content type, or an error naming "file".
constexpr size_t kMaxAttachmentBytes = 5u * 1024u * 1024u;
Result<std::string> sniffAttachment(std::string_view bytes);
// A safe file name for Content-Disposition: letters, digits, '.', '-', '_' (others → '_'),
// at most 80 characters, extension matching the type.
std::string safeFilename(std::string_view name, std::string_view contentType);

}  // namespace sportello::cases
