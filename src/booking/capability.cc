#include "booking/capability.h"

#include "booking/routes.h"
#include "booking/store.h"
#include "staff/capability.h"

namespace sportello::booking {

BookingCapability::BookingCapability(Wiring& w)
    : service(w.db, w.clock, w.built.get<staff::StaffCapability>().service,
              BookingOptions{w.cfg.bookingReminderHours, w.cfg.publicOrigin,
                             w.cfg.bookingsPerAddressPerHour}),
      built_(w.built) {}

void BookingCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service);
}

std::vector<Page> BookingCapability::pages() const {
  return {{"/{slug}/prenota", "/booking.html"},
          {"/{slug}/prenotazione/{code}", "/booking-manage.html"}};
}

CapabilityEntry capability() {
  return {"booking", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<BookingCapability>(w);
          }};
}

}  // namespace sportello::booking
