// Appointment records: an office's working plan for one service (or for the office as a whole,
// e.g. the mayor's reception hours), the per-slot counters that guard capacity, and bookings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_fields.h"

namespace sportello::booking {

// At most this many active bookings (booked, not yet started) per email address and office:
// enough for a family, too few to hoard a calendar.
inline constexpr int kMaxActivePerEmailPerOffice = 3;

// How a plan is stored: the numeric window and capacity in columns, the weekly periods, breaks
// and dated exceptions as JSON (the same shape the admin API takes).
struct StoredPlan {
  std::string id, enteId, officeId;
  std::optional<std::string> serviceId;  // nullopt: the office's own plan (no service)
  int slotMinutes = 30;
  int capacity = 1;
  int minNoticeMinutes = 24 * 60;
  int maxDaysAhead = 60;
  bool video = false;  // video appointments offered
  Json spec;           // {"periods": [...], "breaks": [...], "exceptions": [...]}
  int64_t updatedAt = 0;
};

enum class BookingState { kBooked, kCancelled, kArrived, kNoShow, kDone };
const char* bookingStateName(BookingState s);
std::optional<BookingState> parseBookingState(std::string_view s);

struct Booking {
  std::string id, enteId, officeId, planId;
  std::optional<std::string> serviceId;
  std::string code;                  // public, short and readable
  std::string secretHash;            // sha256 of the citizen's secret; never rendered
  int64_t startUtc = 0, endUtc = 0;  // ms
  std::string day, start;            // local "YYYY-MM-DD", "HH:MM"
  std::string firstName, lastName, email;
  std::optional<std::string> phone, notes;
  std::string mode = "in_person";  // in_person | video
  BookingState state = BookingState::kBooked;
  std::string lang = "it";
  int64_t createdAt = 0, updatedAt = 0;
  std::optional<std::string> ticketId;     // the queue ticket issued at check-in
  std::optional<std::string> reminderKey;  // the dedup key of its pending reminder email
  // The operator who will receive the citizen (optional, set from the console's agenda), and
  // the reception visit of a video appointment once the citizen has joined.
  std::optional<std::string> operatorId, operatorName, visitId;
};

}  // namespace sportello::booking
