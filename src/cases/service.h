// Cases (pratiche) use cases: open a case from any contact (phone call, visit, walk-in,
// email, offline message), follow it through its states, notes, public replies (email through
// the mail outbox, phone logged, post as a printable letter), transfers, escalation along the
// ente's chain, callbacks; canned answers per office; first-contact-resolution figures; and
// the citizen's tracking by code + secret. Every change is one write transaction with its
// timeline entry, its mails and its events:
//   office:{officeId}:cases   staff of the office: case.created / case.updated /
//                             callback.created / callback.updated
// Staff may act on a case of their ente when they belong to the office handling it or to an
// office that handled it before (supervisors and admins: any office of their ente).
// Thread-safe; all methods run on the caller's executor and wait on the database workers.
#pragma once

#include "cases/types.h"
#include "cases/views.h"
#include "core/clock.h"
#include "core/config.h"
#include "platform/caller.h"
#include "platform/database.h"
#include "platform/server.h"
#include "platform/topic.h"
#include "reception/types.h"
#include "staff/service.h"

namespace sportello::cases {

namespace asio = boost::asio;

inline constexpr std::string_view kOfficeCasesTopic = "office:{id}:cases";  // platform/topic.h
std::string officeCasesTopic(const std::string& officeId);

struct CitizenInput {
  std::string name, email, phone;
};

struct CreateInput {
  std::string office;  // id or slug; from a visit: the visit's office when empty
  std::string subject;
  Channel channel = Channel::kPhone;
  CitizenInput citizen;
  Priority priority = Priority::kNormal;
  std::optional<int64_t> dueAt;
  int level = 1;
  std::string answer;        // the answer given at the contact (logged as a public reply)
  bool resolvedNow = false;  // resolved at this contact → first-contact resolution
  std::optional<std::string> visitId;
  std::optional<int64_t> callbackDueAt;  // default for unresolved contacts with a phone: +1 day
  // An inbound phone call the caller wants answered as soon as a desk is free: a callback due
  // now that waits in the one line by the time of the call (needs the caller's phone).
  bool waitInLine = false;
  std::string lang = "it";
};

struct TransferInput {
  std::optional<std::string> office;
  std::optional<int> level;
  std::string note;
};

struct CallbackInput {
  int64_t dueAt = 0;
  std::optional<std::string> office, operatorId, phone;
  std::string note;
};

// Who acts on a case: a staff member allowed to (see the header comment).
struct CaseActor {
  staff::StaffContext staff;
  StoredCase kase;
};

class CaseService {
 public:
  // publicOrigin: the origin put in the citizen's tracking link ("" = a relative link).
  CaseService(Database& db, const Clock& clock, staff::StaffService& staff,
              std::string publicOrigin);

  // Staff
  asio::awaitable<Result<NewCase>> create(staff::StaffContext ctx, CreateInput in);
  asio::awaitable<Result<CaseActor>> actor(const Caller& caller, std::string caseId);
  asio::awaitable<Result<CaseList>> list(staff::StaffContext ctx, CaseFilter f, std::string office);
  // The case page; every change below answers it too, read after the change committed.
  asio::awaitable<Result<CaseDetail>> view(const CaseActor& a);
  asio::awaitable<Result<CaseDetail>> setState(const CaseActor& a, CaseState to, std::string note);
  asio::awaitable<Result<CaseDetail>> note(const CaseActor& a, std::string body);
  // channel: email | phone | post
  asio::awaitable<Result<CaseDetail>> reply(const CaseActor& a, std::string channel,
                                            std::string body);
  // The printable letter of a public reply (HTML, the Comune's letterhead).
  asio::awaitable<Result<std::string>> letter(const CaseActor& a, std::string replyId);
  asio::awaitable<Result<CaseDetail>> transfer(const CaseActor& a, TransferInput in);
  asio::awaitable<Result<CaseDetail>> escalate(const CaseActor& a, std::string reason);
  asio::awaitable<Result<CaseDetail>> addCallback(const CaseActor& a, CallbackInput in);
  asio::awaitable<Result<CallbackList>> listCallbacks(staff::StaffContext ctx, bool overdueOnly,
                                                      std::string office);
  asio::awaitable<Result<CallbackView>> completeCallback(staff::StaffContext ctx, std::string id,
                                                         std::string outcome);
  asio::awaitable<Result<CannedList>> cannedList(staff::StaffContext ctx, std::string office);
  asio::awaitable<Result<CannedAnswer>> cannedSave(staff::StaffContext ctx, std::string office,
                                                   std::optional<std::string> id, std::string title,
                                                   std::string body);
  asio::awaitable<Status> cannedDelete(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<EscalationChainView>> chain(staff::StaffContext ctx);
  asio::awaitable<Result<EscalationChainView>> setChain(staff::StaffContext ctx,
                                                        std::vector<EscalationLevel> levels);
  asio::awaitable<Result<FcrStats>> stats(staff::StaffContext ctx, int64_t sinceMs);

  // Citizen: the X-Case-Token secret with the case's code, in the ente of `slug`.
  asio::awaitable<Result<Tracking>> track(std::string slug, std::string code, std::string secret);
  // remote: the client's address (per-address limits, docs/SECURITY.md "Limits").
  asio::awaitable<Result<Tracking>> addInfo(std::string slug, std::string code, std::string secret,
                                            std::string body, std::string remote);
  asio::awaitable<Result<Uploaded>> attach(std::string slug, std::string code, std::string secret,
                                           std::string filename, std::string bytes,
                                           std::string remote);
  // Limits on the citizen's writes. Set once, before serving.
  void setLimits(const Limits& l) { limits_ = l; }
  // An attachment for its citizen (slug+code+secret) or for staff (caseId through actor()).
  asio::awaitable<Result<std::pair<Attachment, std::string>>> citizenAttachment(std::string slug,
                                                                                std::string code,
                                                                                std::string secret,
                                                                                std::string id);
  asio::awaitable<Result<std::pair<Attachment, std::string>>> staffAttachment(const CaseActor& a,
                                                                              std::string id);

  // Reception's offline message (callback request) becomes a case, inside its transaction
  // (reception's hook). Returns the case's code and the secret the citizen is shown with their
  // message code (toJson(OfflineCase)), so a citizen who left only a phone number can follow it.
  Result<OfflineCase> onCallbackRequest(Tx& tx, const reception::CallbackRequest& r);
  // Reception's end hook: a visit ended "da richiamare" becomes a case (channel visit, the
  // citizen's name, assigned to the operator) with a callback (the phone, time and note given;
  // default a day later), inside reception's transaction.
  Result<VisitFollowUp> onVisitCallback(Tx& tx, const reception::Visit& v,
                                        const staff::Operator& op,
                                        const std::optional<reception::FollowUp>& u);

  // Real time: office:{id}:cases for staff of the office.
  asio::awaitable<Result<std::string>> authorizeCases(const WsAuth& auth, std::string officeId);

 private:
  // Runs `fn` on the case re-read inside the write transaction, then answers the case page.
  asio::awaitable<Result<CaseDetail>> change(const CaseActor& a,
                                             std::function<Status(Tx&, StoredCase&)> fn);
  asio::awaitable<Result<StoredCase>> citizenCase(std::string slug, std::string code,
                                                  std::string secret);

  Database& db_;
  const Clock& clock_;
  staff::StaffService& staff_;
  std::string publicOrigin_;
  Limits limits_;
};

}  // namespace sportello::cases
