// Reception use cases: knock, waiting room, admit, chat, calls (signalling policy and TURN
// credentials), transfer, end, rating; callback requests; kiosks. Every change is written in
// one transaction together with its events, so what is announced is already durable:
//   office:{officeId}:queue  public, knock numbers only (the waiting-room protocol)
//   office:{officeId}:staff  staff of the office: knocks and visit changes
//   visit:{visitId}          the two parties (and the office's staff): state, chat, calls
// Thread-safe; all methods run on the caller's executor and wait on the database workers.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "directory/service.h"
#include "platform/caller.h"
#include "platform/database.h"
#include "platform/server.h"
#include "platform/topic.h"
#include "reception/types.h"
#include "reception/views.h"
#include "staff/service.h"

namespace sportello::reception {

namespace asio = boost::asio;

// Topic patterns (platform/topic.h): the names below and the families of capability.cc.
inline constexpr std::string_view kQueueTopic = "office:{id}:queue";
inline constexpr std::string_view kStaffTopic = "office:{id}:staff";
inline constexpr std::string_view kVisitTopic = "visit:{id}";
std::string queueTopic(const std::string& officeId);
std::string staffTopic(const std::string& officeId);
std::string visitTopic(const std::string& visitId);

struct KnockInput {
  std::string name, topic;
  Mode mode = Mode::kChat;
  VisitChannel channel = VisitChannel::kWeb;
};

struct CallbackInput {
  std::string name, contact, message;
};

// Who acts on a visit: its citizen (by visit token) or a staff member of its office.
struct Actor {
  bool citizen = false;
  staff::StaffContext staff;  // when !citizen
  Visit visit;                // as read when authorising
  std::string remote;         // the client's address (per-address limits)
  bool isAdmittedOperator() const {
    return !citizen && visit.operatorId && *visit.operatorId == staff.op.id;
  }
};

struct TurnOptions {
  std::vector<std::string> urls;
  std::string secret;
  int ttlSeconds = 600;
  std::string policy = "all";
};

class ReceptionService {
 public:
  ReceptionService(Database& db, const Clock& clock, staff::StaffService& staff,
                   TurnOptions turn, int knocksPerAddressPerHour);

  // Citizen
  asio::awaitable<Result<ReceptionStatus>> receptionStatus(std::string slug, std::string office);
  // The widget's button: `offices` (ids or slugs, at most 10) open now or not, and whether
  // `origin` (the embedding page's Origin header, may be empty) may frame the panel.
  asio::awaitable<Result<WidgetStatus>> widgetStatus(std::string slug,
                                                     std::vector<std::string> offices,
                                                     std::string origin);
  asio::awaitable<Result<Knocked>> knock(std::string slug, std::string office, KnockInput in,
                                         std::string remote, std::string kioskId = {});
  asio::awaitable<Result<CallbackReceipt>> createCallback(std::string slug, std::string office,
                                                          CallbackInput in, std::string remote);

  // Authorisation of a request on a visit: the X-Visit-Token header, else a staff session of
  // the visit's office (supervisors and admins: any office of their ente).
  asio::awaitable<Result<Actor>> actor(const Caller& caller, std::string visitId);

  // The visit's view after each use case below (as it is once the change is committed).
  asio::awaitable<Result<VisitView>> view(const Actor& a);
  asio::awaitable<Result<VisitView>> leave(const Actor& a);
  // "Sì, ci sono": the citizen answers "ci sei ancora?" (and is back in line if not answering
  // had set them aside).
  asio::awaitable<Result<VisitView>> here(const Actor& a);
  asio::awaitable<Result<MessagePage>> messages(const Actor& a, int64_t after);
  asio::awaitable<Result<Message>> sendMessage(const Actor& a, std::string body,
                                               std::string clientId);
  asio::awaitable<Status> markRead(const Actor& a, int64_t seq);
  asio::awaitable<Result<VisitView>> startCall(const Actor& a);
  asio::awaitable<Status> proposeCall(const Actor& a);
  asio::awaitable<Result<VisitView>> endCall(const Actor& a);
  asio::awaitable<Result<IceConfig>> iceServers(const Actor& a);
  // An operator's end records the outcome; "da richiamare" (kNeedsCallback) runs the end hook
  // (cases: the case and its callback, with `followUp`'s phone, time and note) inside the same
  // transaction and adds what it answers to the `visit.ended` event.
  asio::awaitable<Result<VisitView>> end(const Actor& a, std::optional<Outcome> outcome,
                                         std::optional<FollowUp> followUp = std::nullopt);
  asio::awaitable<Status> rate(const Actor& a, Score score, std::vector<std::string> reasons,
                               std::string comment);

  // Staff
  asio::awaitable<Result<VisitView>> admit(const Actor& a);
  asio::awaitable<Result<VisitView>> admitNext(staff::StaffContext ctx, std::string office);
  asio::awaitable<Result<VisitView>> reject(const Actor& a, std::string reason);
  asio::awaitable<Result<VisitView>> transfer(const Actor& a, std::string office);
  asio::awaitable<Result<Console>> console(staff::StaffContext ctx);

  // The workspace (docs/API.md, "Workspace"). Contact settings of the ente (office "") or of an
  // office (id or slug): anyone serving it reads them; supervisors change an office's, admins
  // the ente's. Saving runs the automatic assignment at once.
  asio::awaitable<Result<ContactSettingsView>> contactSettings(staff::StaffContext ctx,
                                                               std::string office);
  // `keepTargetWait`: the request did not name the target wait, the stored one stays.
  asio::awaitable<Result<ContactSettingsView>> setContactSettings(staff::StaffContext ctx,
                                                                  std::string office,
                                                                  ContactSettings in,
                                                                  bool keepTargetWait = false);
  // Internal notes on a visit: staff of its office only (a citizen's token is refused, 403);
  // any state (notes taken after the end go to the case too). Adding announces `visit.note` on
  // the office's staff topic, never on the visit's (its citizen follows that one).
  asio::awaitable<Result<std::vector<VisitNote>>> notes(const Actor& a);
  asio::awaitable<Result<VisitNote>> addNote(const Actor& a, std::string body);
  // Supervisors: the ente's conversations in progress (who serves whom).
  asio::awaitable<Result<std::vector<Visit>>> activeVisits(staff::StaffContext ctx);
  // Supervisors: gives the visit to `operatorId` (themselves: take over). An admitted visit
  // moves under the new operator's cap (any call ends; both parties and the office are told,
  // `visit.reassigned`); a waiting one is admitted for them.
  asio::awaitable<Result<VisitView>> reassign(const Actor& a, std::string operatorId);
  // Every node's sweep: the automatic assignment of every office that has it on.
  asio::awaitable<Result<int64_t>> assignAll();
  asio::awaitable<Result<std::vector<Visit>>> officeVisits(staff::StaffContext ctx,
                                                           std::string office, VisitState state,
                                                           int64_t limit);
  asio::awaitable<Result<std::vector<CallbackRequest>>> listCallbacks(staff::StaffContext ctx,
                                                                      std::string office,
                                                                      std::string state);
  asio::awaitable<Result<CallbackRequest>> callbackDone(staff::StaffContext ctx, std::string id,
                                                        std::string note);

  // Kiosks: administration (caller checked as admin) and the device's own requests.
  asio::awaitable<Result<std::vector<Kiosk>>> listKiosks(std::string enteId);
  asio::awaitable<Result<KioskSecret>> createKiosk(std::string enteId, std::string name,
                                                   std::string office,
                                                   std::optional<std::string> site);
  asio::awaitable<Result<KioskSecret>> newKioskToken(std::string enteId, std::string id);
  asio::awaitable<Status> deactivateKiosk(std::string enteId, std::string id);
  // The registered kiosk whose device token the caller carries (kUnauthorized otherwise).
  asio::awaitable<Result<Kiosk>> kiosk(const Caller& caller);
  asio::awaitable<Result<KioskHome>> kioskHome(Kiosk k);

  // Real time (reception/capability.cc names the families): who may follow office:{id}:queue
  // (staffSide false) / office:{id}:staff and visit:{id}, and where signalling on a visit goes.
  asio::awaitable<Result<std::string>> authorizeOffice(const WsAuth& auth, std::string officeId,
                                                       bool staffSide);
  asio::awaitable<Result<std::string>> authorizeVisit(const WsAuth& auth, std::string visitId,
                                                      std::string token);
  asio::awaitable<Result<SignalRoute>> routeSignal(std::string visitId, std::string identity,
                                                   Json data);

  // Inside the transaction that changes a presence: announce the new number of operators on
  // duty to each of the operator's offices (queue.status).
  Status onPresence(Tx& tx, const staff::Operator& op);

  // Runs inside the transaction that stores an offline message; its answer's fields are added
  // to the citizen's (cases: the tracking code and path of the case it opened). Set once,
  // before serving.
  using CallbackHook = std::function<Result<Json>(Tx&, const CallbackRequest&)>;
  void setCallbackHook(CallbackHook h) { callbackHook_ = std::move(h); }
  // Runs inside the transaction of an operator's end with outcome "da richiamare" (cases: opens
  // the case with its callback); its answer's fields go into the `visit.ended` event. Set
  // once, before serving.
  using EndHook = std::function<Result<Json>(Tx&, const Visit&, const staff::Operator&,
                                             const std::optional<FollowUp>&)>;
  void setEndHook(EndHook h) { endHook_ = std::move(h); }

  // Runs inside the transaction that stores a visit's rating (the visit as rated): feedback
  // keeps the one rating per contact of every channel there. Set once, before serving.
  using RatingHook = std::function<Status(Tx&, const Visit&)>;
  void setRatingHook(RatingHook h) { ratingHook_ = std::move(h); }

  // Limits on offline messages and chat (docs/SECURITY.md, "Limits"). Set once, before serving.
  void setLimits(const Limits& l) { limits_ = l; }

  // Liveness (docs/OPERATIONS.md, "Liveness"): these visits' citizen pages are connected now
  // (a subscription with the visit token, or a node's heartbeat found it live). One shown as
  // disconnected is back: it takes its place again (queue.joined) and admit-next sees it.
  asio::awaitable<Status> seenLive(std::vector<std::string> visitIds);
  // Applies livenessSteps to every waiting or admitted visit whose citizen or operator has not
  // been seen live for a grace: disconnected, call ended, out of the line, conversation ended
  // or back in line. Returns how many visits changed.
  asio::awaitable<Result<int64_t>> sweepGone(LivenessRules citizen, LivenessRules op);

  // Privacy: forget personal data of visits ended more than `days` ago.
  asio::awaitable<Result<int64_t>> purge(int days);

 private:
  // Runs `fn` on the visit as stored, inside a write transaction, then answers its view.
  asio::awaitable<Result<VisitView>> change(const Actor& a, std::function<Status(Tx&, Visit&)> fn);

  Database& db_;
  const Clock& clock_;
  staff::StaffService& staff_;
  TurnOptions turn_;
  int knocksPerHour_;
  Limits limits_;
  CallbackHook callbackHook_;
  RatingHook ratingHook_;
  EndHook endHook_;
};

}  // namespace sportello::reception
