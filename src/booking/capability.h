// Booking as a capability: slots, appointments, reminders; the booking pages.
#pragma once

#include "booking/service.h"
#include "platform/capability.h"

namespace sportello::booking {

class BookingCapability : public Capability {
 public:
  explicit BookingCapability(Wiring& w);
  std::string_view name() const override { return "booking"; }
  void addRoutes(http::Router& r) override;
  std::vector<Page> pages() const override;

  BookingService service;

 private:
  const Capabilities& built_;
};

CapabilityEntry capability();

}  // namespace sportello::booking
