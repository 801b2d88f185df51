// Appointments use cases (prenotazioni): the bookable offices and their month of free slots
// (public), booking, reading, cancelling and rescheduling by code + secret (the citizen), the
// working plans (admin), the day's agenda and check-in / no-show / done (staff of the office).
// Each change is one write transaction with its events on `ente:{slug}:staff`
// ("booking.updated", the booking as staff see it) and its emails in the mail outbox.
// Thread-safe; all methods run on the caller's executor and wait on the database workers.
#pragma once

#include "booking/model/slots.h"
#include "booking/types.h"
#include "booking/views.h"
#include "core/clock.h"
#include "directory/types.h"
#include "platform/caller.h"
#include "platform/database.h"
#include "staff/service.h"

namespace sportello::booking {

namespace asio = boost::asio;

struct BookingOptions {
  int reminderHours = 24;    // 0 = no reminder
  std::string publicOrigin;  // for links in emails ("" = relative links)
  // Bookings accepted per client address per hour, per node (0 = no limit): with the per-email
  // limit, what keeps one person from filling a calendar with made-up addresses.
  int perAddressPerHour = 20;
};

struct BookInput {
  std::string office;                  // id or slug
  std::optional<std::string> service;  // id; nullopt = the office's own plan
  std::string date, start;             // local "YYYY-MM-DD", "HH:MM"
  std::string mode = "in_person";
  std::string firstName, lastName, email;
  std::optional<std::string> phone, notes;
  std::string lang = "it";
  std::string remote;  // the client's address (the per-address limit)
};

class BookingService {
 public:
  BookingService(Database& db, const Clock& clock, staff::StaffService& staff,
                 BookingOptions opts = {});

  // Public
  asio::awaitable<Result<Bookable>> bookable(std::string slug);
  asio::awaitable<Result<MonthAvailability>> availability(std::string slug, std::string office,
                                                          std::optional<std::string> service,
                                                          std::string month);
  // The booking and its secret: the secret is shown once; only its hash is kept.
  asio::awaitable<Result<NewBooking>> book(std::string slug, BookInput in);
  // The holder's proof is the booking's secret; without one, a citizen signed in on the ente
  // (`caller`'s session, + CSRF for a change) who made or claimed the booking
  // (citizens/lookup.h): the personal area moves and cancels it.
  asio::awaitable<Result<BookingView>> view(std::string slug, std::string code, std::string secret,
                                            Caller caller = {});
  asio::awaitable<Result<BookingView>> cancel(std::string slug, std::string code,
                                              std::string secret, Caller caller = {});
  asio::awaitable<Result<BookingView>> reschedule(std::string slug, std::string code,
                                                  std::string secret, std::string date,
                                                  std::string start, Caller caller = {});
  asio::awaitable<Result<std::string>> ics(std::string slug, std::string code, std::string secret);

  // Staff
  asio::awaitable<Result<PlanList>> listPlans(staff::StaffContext ctx);
  asio::awaitable<Result<StoredPlan>> putPlan(staff::StaffContext ctx, Json body);
  asio::awaitable<Result<DeletedPlan>> deletePlan(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<Agenda>> agenda(staff::StaffContext ctx, std::string office,
                                         std::string date);
  // state: arrived | no_show | done
  asio::awaitable<Result<MarkedBooking>> mark(staff::StaffContext ctx, std::string code,
                                              BookingState state);
  // "Assegna a me" (toMe) or back to nobody: the operator who will receive the citizen.
  asio::awaitable<Result<BookingView>> assign(staff::StaffContext ctx, std::string code, bool toMe);

  // The holder of a video appointment joins it (from 10 minutes before the start to its end):
  // a reception visit first in the office's line and reserved for the assigned operator, and
  // its token; asking again returns the same live visit with a new token.
  asio::awaitable<Result<VideoJoin>> videoVisit(std::string slug, std::string code,
                                                std::string secret);

  // Building blocks shared with the demo loader and the bench (no I/O of their own).
  static Result<WorkingPlan> workingPlan(const StoredPlan& p, const directory::Ente& e,
                                         const std::vector<directory::EnteHoliday>& holidays);
  // Parses and checks an admin plan body into `p` (office/service resolved by the caller).
  static Status planFromJson(const Json& body, StoredPlan& p);

 private:
  Database& db_;
  const Clock& clock_;
  staff::StaffService& staff_;
  BookingOptions opts_;
};

}  // namespace sportello::booking
