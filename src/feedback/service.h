// Feedback's use cases: one rating per contact on every channel, each guarded by what the
// contact's holder has (docs/API.md, "Ratings"):
//  - visit: the X-Visit-Token; the rating goes through reception's own use case (the visit page
//    shows it) and lands here through reception's rating hook, in the same transaction;
//  - ticket: the X-Ticket-Token of the phone ticket page / the paper ticket's QR, once done;
//  - appointment: the booking code + X-Booking-Token of the manage link, once done;
//  - case: the tracking code + X-Case-Token, once resolved or closed;
//  - phone: a phone case, recorded by a staff member who serves its office (CSRF too).
// The owning capability is read through its lookup.h inside the write transaction, so the
// check and the insert see the same contact. A contact of another ente is not found.
#pragma once

#include "core/clock.h"
#include "feedback/types.h"
#include "feedback/views.h"
#include "platform/caller.h"
#include "platform/contact_fact.h"
#include "platform/database.h"
#include "reception/service.h"
#include "staff/service.h"

namespace sportello::feedback {

struct RatingInput {
  Score score = Score::kPositive;
  std::vector<std::string> reasons;
  std::string comment;
};

// The satisfaction report read on `c` (no rights checked: FeedbackService::satisfaction does
// that; bench/feedback_bench.cc times this very read).
Result<SatisfactionReport> satisfactionReport(sql::Connection& c, const std::string& slug,
                                              const std::string& from, const std::string& to,
                                              const std::optional<std::string>& officeId);

// A figures report's period and filters (all optional but the period).
struct FiguresQuery {
  std::string from, to;
  std::optional<std::string> officeId, serviceId, channel, operatorId;
};
// The figures report read on `c` (no rights checked; bench/feedback_bench.cc times this read).
// kInvalid for a bad period, an unknown office / service / channel / operator, or service and
// operator together (the roll-ups keep them apart).
Result<FiguresReport> figuresReport(sql::Connection& c, const std::string& slug,
                                    const FiguresQuery& q);

// The contact figures' roll-up of one contact that ended, in its owner's transaction (the hook
// reception, queue, booking and cases call). Counted on the local day and hour of its arrival.
Status recordContact(Tx& tx, const ContactFact& f);

class FeedbackService {
 public:
  FeedbackService(Database& db, const Clock& clock, staff::StaffService& staff,
                  reception::ReceptionService& reception);

  // The holder header each channel's routes read (X-Visit-Token, …); "" for phone (staff).
  static const char* holderHeader(Channel ch);

  // Whether the contact `ref` of ente `slug` may be rated (and was). kNotFound for an unknown
  // contact, a wrong token or another ente's contact.
  asio::awaitable<Result<RatingStatus>> status(Caller caller, std::string slug, Channel ch,
                                               std::string ref);
  // Stores the rating. kInvalid (bad input), kNotFound (as above), kConflict (not over yet, or
  // already rated), kForbidden (phone: not staff of the office).
  asio::awaitable<Result<RatingStatus>> rate(Caller caller, std::string slug, Channel ch,
                                             std::string ref, RatingInput in);

  // Reception's rating hook: the rated visit's row, inside reception's transaction.
  Status recordVisit(Tx& tx, const reception::Visit& v);

  // Satisfaction of ente `slug` over its local days `from`..`to` (supervisors and admins; one
  // office with `officeId`), read from the hourly roll-up. kInvalid for a bad period or office.
  asio::awaitable<Result<SatisfactionReport>> satisfaction(Caller caller, std::string slug,
                                                           std::string from, std::string to,
                                                           std::optional<std::string> officeId);

  // Figures over ente `slug`'s local days (supervisors and admins), from the daily roll-ups.
  asio::awaitable<Result<FiguresReport>> figures(Caller caller, std::string slug, FiguresQuery q);

  // Open data (public): the year's monthly figures per office, small counts suppressed.
  // kInvalid for a year that is not "YYYY".
  asio::awaitable<Result<OpenDataset>> openData(std::string slug, std::string year,
                                                std::string origin);

  // Privacy: blank the comments of ratings older than `days` days.
  asio::awaitable<Result<int64_t>> purge(int days);

 private:
  Database& db_;
  const Clock& clock_;
  staff::StaffService& staff_;
  reception::ReceptionService& reception_;
};

}  // namespace sportello::feedback
