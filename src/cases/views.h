// The typed answers of the case use cases (CaseService returns them, the routes render them
// with toJson; the events on office:{id}:cases carry the same renderings of a case and a
// callback). Plain values: rendering reads nothing but the view; "overdue" and "due_soon"
// depend on the instant `at` the view was read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cases/types.h"
#include "core/json_fields.h"

namespace sportello::cases {

// A new case: what staff see, and the secret shown once (the citizen's mail carries it too).
struct NewCase {
  StoredCase kase;
  int64_t at = 0;
  std::string secret;
  std::string trackingPath;  // "/{slug}/pratica/{code}"
};

// {"cases": [...]}, each as staff see it.
struct CaseList {
  std::vector<StoredCase> cases;
  int64_t at = 0;
};

// One case as staff see it with its whole timeline, its callbacks and its attachments: the
// answer of the case page and of every change made on it.
struct CaseDetail {
  StoredCase kase;
  std::vector<TimelineEntry> timeline;
  std::vector<Callback> callbacks;
  std::vector<Attachment> attachments;
  int64_t at = 0;
};

// One callback as the console shows it.
struct CallbackView {
  Callback callback;
  int64_t at = 0;
};

// {"callbacks": [...]}.
struct CallbackList {
  std::vector<Callback> callbacks;
  int64_t at = 0;
};

// {"canned_answers": [...]}; one saved answer renders as toJson(CannedAnswer).
struct CannedList {
  std::vector<CannedAnswer> answers;
};

// The ente's escalation chain, each level with its office's name.
struct ChainLevel {
  std::string name, officeId, officeName;
};
struct EscalationChainView {
  std::vector<ChainLevel> levels;
};

// First-contact resolution per office since an instant, against the target.
struct FcrStats {
  int64_t since = 0;
  std::vector<OfficeFcr> offices;
};

// The case as its citizen follows it: the public timeline entries and the attachments.
struct Tracking {
  StoredCase kase;
  std::vector<TimelineEntry> timeline;  // visible entries only
  std::vector<Attachment> attachments;
};

// The citizen's file, stored.
struct Uploaded {
  Attachment attachment;
};

// The case an offline message opened: its code and the secret the citizen is shown, and the
// ente's slug of the tracking links.
struct OfflineCase {
  std::string code, secret, enteSlug;
};

// The case and callback opened by a visit ended "da richiamare" (reception's end hook): in
// the visit.ended event, for the operator and the citizen (their code and secret).
struct VisitFollowUp {
  std::string caseId, code, secret, enteSlug, callbackId;
  int64_t callbackDueAt = 0;
};
Json toJson(const VisitFollowUp& v);

// The case as staff see it (no secret hash).
Json toJson(const StoredCase& k, int64_t nowMs);
Json toJson(const TimelineEntry& e);
Json toJson(const Callback& b, int64_t nowMs);
Json toJson(const CannedAnswer& a);
Json toJson(const NewCase& v);
Json toJson(const CaseList& v);
Json toJson(const CaseDetail& v);
Json toJson(const CallbackView& v);
Json toJson(const CallbackList& v);
Json toJson(const CannedList& v);
Json toJson(const EscalationChainView& v);
Json toJson(const FcrStats& v);
Json toJson(const Tracking& v);
Json toJson(const Uploaded& v);
// {"case": {"code", "secret", "tracking_path", "tracking_link"}}: what the citizen is shown with
// their message code (reception's answer to an offline message); the link carries the secret
// in its fragment.
Json toJson(const OfflineCase& v);

}  // namespace sportello::cases
