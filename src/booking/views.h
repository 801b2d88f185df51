// The typed answers of the booking use cases (BookingService returns them, the routes render
// them with toJson; the staff event "booking.updated" carries the same rendering as the agenda).
// Plain values: rendering reads nothing but the view.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "booking/model/slots.h"
#include "booking/types.h"
#include "core/json_fields.h"
#include "directory/types.h"

namespace sportello::booking {

// Where a booking takes place: what its answers name besides the booking itself.
struct BookingPlace {
  directory::Office office;
  std::optional<directory::Service> service;
  std::optional<directory::Site> site;
};

// A booking as its holder sees it, or (forStaff) as staff see it: also its id, the operator's
// id, the check-in ticket and the video visit.
struct BookingView {
  Booking booking;
  BookingPlace place;
  int64_t at = 0;  // the instant of the answer: "can_change" and "video_open" depend on it
  bool forStaff = false;
};

// 201 of POST …/bookings: {"booking", "secret"}, the secret shown this once.
struct NewBooking {
  BookingView booking;
  std::string secret;
};

// A staff mark (arrived / no_show / done): the booking and the priority ticket of a check-in
// ({"id","code"}, or null when none was issued).
struct MarkedBooking {
  BookingView booking;
  struct Ticket {
    std::string id, code;
  };
  std::optional<Ticket> ticket;
};

// The bookable offices of an ente: each office with a plan, its site and its plans (the
// office's own plan first, then the services' in their order).
struct BookablePlan {
  std::string planId;
  int slotMinutes = 0;
  bool video = false;
  std::optional<directory::Service> service;
};
struct BookableOffice {
  directory::Office office;
  std::optional<directory::Site> site;
  std::vector<BookablePlan> plans;
};
struct Bookable {
  std::string enteSlug, enteName;
  std::optional<std::string> today;  // local "YYYY-MM-DD"; none if the ente's zone is unknown
  std::vector<BookableOffice> offices;
};

// One plan's month: per day the slots, places and free places, and every slot.
struct MonthAvailability {
  BookingPlace place;
  std::string month, timezone;
  int slotMinutes = 0, capacity = 0;
  bool video = false;
  std::vector<DayAvailability> days;
  std::vector<Slot> slots;
};

// The plans of an ente (a JSON array of plans).
struct PlanList {
  std::vector<StoredPlan> plans;
};

// {"deleted": id}.
struct DeletedPlan {
  std::string id;
};

// The day's agenda of an office, as staff see each booking.
struct Agenda {
  directory::Office office;
  std::string date;  // local "YYYY-MM-DD"
  std::vector<BookingView> bookings;
};

// The holder joins a video appointment: the reception visit and its token.
struct VideoJoin {
  std::string visitId, token;
  directory::Office office;
};

Json toJson(const BookingView& v);
Json toJson(const NewBooking& v);
Json toJson(const MarkedBooking& v);
Json toJson(const Bookable& v);
Json toJson(const MonthAvailability& v);
Json toJson(const StoredPlan& p);  // the admin body's shape, with id and updated_at
Json toJson(const PlanList& v);
Json toJson(const DeletedPlan& v);
Json toJson(const Agenda& v);
Json toJson(const VideoJoin& v);

}  // namespace sportello::booking
