// The info point's use cases (issue 18; docs/API.md, "Visitors").
//
// Who may do what (least data: visitor records are personal data):
//  - an admin of the ente configures it: settings (the info point's office, the retention),
//    areas with their offices, turnstiles (registered devices with a device token);
//  - the info point — operators of the ente's info point office, supervisors and admins —
//    registers visitors, confirms pre-registrations, replaces and revokes passes, reads the
//    visitor list and the occupancy (evacuation) list;
//  - a host — an operator of the destination office — pre-registers a visitor and reads the
//    visitors of the offices they serve;
//  - any staff of the ente reads the areas (no personal data); supervisors the entries per hour.
// Every read of the visitor list or of the occupancy list is recorded (who, when, what); admins
// read that record. A turnstile identifies itself with its device token (`Caller::device`) and
// checks passes: one write transaction that decides with model/pass.h and moves the pass with
// a compare-and-set, so two turnstiles checking the same pass at once cannot both let it in.
// Thread-safe; all methods run on the caller's executor and wait on the database workers.
#pragma once

#include "core/clock.h"
#include "platform/caller.h"
#include "platform/database.h"
#include "staff/service.h"
#include "visitors/types.h"
#include "visitors/views.h"

namespace sportello::visitors {

namespace asio = boost::asio;

// The info point's live topic (platform/topic.h): one per ente (its id). Followed by the info
// point (the same rule as the occupancy list); its events carry no personal data, only
// {"id": visitor id or null, "change": "registered" | "expected" | "confirmed" | "reissued" |
// "revoked" | "entered" | "exited" | "flagged" | "erased"}: the page reads the lists again.
inline constexpr std::string_view kVisitorsTopic = "visitors:{ente}";
std::string visitorsTopic(const std::string& enteId);

struct NewVisitor {
  std::string firstName, lastName;
  std::optional<std::string> docType, docNumber;  // only the number's last 4 characters are kept
  std::string office;                              // id or slug of the destination office
  std::optional<std::string> hostOperator;         // an operator id of the ente, or
  std::optional<std::string> hostName;             // a named person
  std::string reason;
  int64_t expectedMinutes = 30;
  std::optional<std::string> expectedAt;  // ISO 8601 (pre-registration)
};

class VisitorService {
 public:
  // publicOrigin: the origin of the links in the QR codes ("" = the request's Host).
  VisitorService(Database& db, const Clock& clock, std::string publicOrigin = {});

  // ---- configuration (ctx required as admin, except the areas' list: any staff) ----
  asio::awaitable<Result<VisitorRights>> rights(staff::StaffContext ctx);
  asio::awaitable<Result<Settings>> saveSettings(staff::StaffContext ctx,
                                                 std::optional<std::string> infoOffice,
                                                 int64_t retentionHours);
  asio::awaitable<Result<std::vector<Area>>> areas(staff::StaffContext ctx);
  asio::awaitable<Result<Area>> createArea(staff::StaffContext ctx, std::string name,
                                           std::vector<std::string> offices);
  asio::awaitable<Result<Area>> updateArea(staff::StaffContext ctx, std::string id,
                                           std::string name, std::vector<std::string> offices);
  asio::awaitable<Status> deleteArea(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<std::vector<Turnstile>>> turnstiles(staff::StaffContext ctx);
  asio::awaitable<Result<TurnstileSecret>> createTurnstile(staff::StaffContext ctx,
                                                           std::string name, std::string area);
  asio::awaitable<Result<TurnstileSecret>> newTurnstileToken(staff::StaffContext ctx,
                                                             std::string id);
  asio::awaitable<Status> deactivateTurnstile(staff::StaffContext ctx, std::string id);

  // ---- info point and hosts ----
  // Registered now with a pass valid for the expected duration (+ grace), within today.
  asio::awaitable<Result<IssuedPass>> registerVisitor(staff::StaffContext ctx, NewVisitor in);
  // Pre-registration by a host (or the info point): no pass until the info point confirms.
  asio::awaitable<Result<Visitor>> expect(staff::StaffContext ctx, NewVisitor in);
  // The info point confirms an expected visitor (optionally adding the document seen).
  asio::awaitable<Result<IssuedPass>> confirm(staff::StaffContext ctx, std::string id,
                                              std::optional<std::string> docType,
                                              std::optional<std::string> docNumber);
  // A new pass token (lost or reprinted badge): the old one stops working.
  asio::awaitable<Result<IssuedPass>> reissue(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<Visitor>> revoke(staff::StaffContext ctx, std::string id);
  // The visitors of a local day ("" = today), as the caller may see them; recorded.
  asio::awaitable<Result<VisitorList>> list(staff::StaffContext ctx, std::string day);
  // Who is inside each area now; info point only; recorded.
  asio::awaitable<Result<Occupancy>> occupancy(staff::StaffContext ctx);
  // Who looked at the lists in the last `days` days (admins).
  asio::awaitable<Result<std::vector<ListView>>> listViews(staff::StaffContext ctx, int64_t days);
  // Entries, exits and refusals per hour of a local day (supervisors; no personal data).
  asio::awaitable<Result<EntriesPerHour>> entriesPerHour(staff::StaffContext ctx,
                                                         std::string day);

  // The live topic `visitors:{ente}` for this operator: "staff:{id}" when they may read the
  // occupancy list (the info point of that ente), kForbidden otherwise.
  asio::awaitable<Result<std::string>> authorizeLive(staff::StaffContext ctx, std::string enteId);

  // The links a pass and a new device token come with: the phone pass page
  // (/{slug}/pass#{token}) and the door tablet's page (/turnstile/{id}#token=…), each with its QR.
  void addPhoneLink(IssuedPass& p, const Caller& caller, const std::string& slug) const;
  void addSetupLink(TurnstileSecret& t, const Caller& caller) const;

  // ---- the visitor's phone (pass token only) ----
  // What the pass page shows: first name, destination, window and state, the QR; kNotFound for
  // an unknown token (erased, replaced, never issued).
  asio::awaitable<Result<PassView>> passView(std::string passToken);

  // ---- turnstiles (device token) ----
  asio::awaitable<Result<TurnstileHome>> home(const Caller& caller);
  // kUnauthorized for a missing, unknown or deactivated device token; otherwise the answer
  // (allowed or denied with its reason), recorded.
  asio::awaitable<Result<CheckAnswer>> check(const Caller& caller, std::string passToken,
                                             Direction direction);

  // ---- upkeep ----
  // Passes still inside after their window: flagged (the occupancy list shows them).
  asio::awaitable<Result<int64_t>> closeDays();
  // Visitors older than their ente's retention (hours) erased; the lists' views log and the
  // checks older than `days` (the installation's retention) deleted.
  asio::awaitable<Result<int64_t>> purge(int days);

 private:
  std::string origin(const Caller& caller) const;

  Database& db_;
  const Clock& clock_;
  std::string publicOrigin_;
};

}  // namespace sportello::visitors
