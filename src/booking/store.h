// Booking's SQL (migration 700): working plans, per-slot counters and bookings. Every function
// runs on the caller's connection (inside its transaction, for writes).
//
// Capacity guard: a row per (plan, slot start) counts the places taken. take() increments it
// with one conditional UPDATE (… WHERE booked < capacity) inside the booking's write
// transaction, so on SQLite (one writer) and on PostgreSQL (the UPDATE takes the row lock and
// re-checks the condition on the latest committed row) exactly `capacity` writers win.
#pragma once

#include "booking/types.h"
#include "platform/database.h"

namespace sportello::booking::store {

std::vector<Migration> migrations();

Status upsertPlan(sql::Connection& c, const StoredPlan& p);
Result<StoredPlan> plan(sql::Connection& c, const std::string& id);
// The plan of an office for a service (nullopt = the office's own plan).
Result<StoredPlan> planFor(sql::Connection& c, const std::string& officeId,
                           const std::optional<std::string>& serviceId);
Result<std::vector<StoredPlan>> plans(sql::Connection& c, const std::string& enteId);
Status deletePlan(sql::Connection& c, const std::string& enteId, const std::string& id);

// Places taken per slot start (ms) of a plan in [fromMs, toMs).
Result<std::vector<std::pair<int64_t, int>>> bookedBetween(sql::Connection& c,
                                                           const std::string& planId,
                                                           int64_t fromMs, int64_t toMs);
// Takes one place of the slot if fewer than `capacity` are taken; false when full.
Result<bool> take(sql::Connection& c, const std::string& planId, int64_t startMs, int capacity);
// Gives one place back.
Status release(sql::Connection& c, const std::string& planId, int64_t startMs);

Status insertBooking(sql::Connection& c, const Booking& b);
Status updateBooking(sql::Connection& c, const Booking& b);
Result<Booking> bookingByCode(sql::Connection& c, const std::string& enteId,
                              const std::string& code);
// Active bookings (booked, starting after nowMs) of an email address at an office.
Result<int64_t> activeFor(sql::Connection& c, const std::string& officeId,
                          const std::string& emailLower, int64_t nowMs);
// The bookings of an office starting in [fromMs, toMs), by start.
Result<std::vector<Booking>> agenda(sql::Connection& c, const std::string& officeId, int64_t fromMs,
                                    int64_t toMs);

}  // namespace sportello::booking::store
