#include "line/capability.h"

#include "line/routes.h"
#include "line/store.h"
#include "staff/capability.h"

namespace sportello::line {

LineCapability::LineCapability(Wiring& w) : service(w.db, w.clock), built_(w.built) {
  // An operator who goes away (logout, console gone, deactivated) closes their desk.
  w.built.get<staff::StaffCapability>().service.addPresenceHook(
      [this](Tx& tx, const staff::Operator& op) { return service.onPresence(tx, op); });
}

void LineCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service);
}

CapabilityEntry capability() {
  return {"line", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<LineCapability>(w);
          }};
}

}  // namespace sportello::line
