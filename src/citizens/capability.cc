#include "citizens/capability.h"

#include <spdlog/spdlog.h>

#include "citizens/routes.h"
#include "citizens/store.h"
#include "staff/capability.h"

namespace sportello::citizens {

CitizensCapability::CitizensCapability(Wiring& w)
    : service(w.db, w.clock, w.built.get<staff::StaffCapability>().service,
              CitizenOptions{.secureCookies = w.cfg.secureCookies(),
                             .publicOrigin = w.cfg.publicOrigin}) {}

void CitizensCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service);
}

std::vector<Page> CitizensCapability::pages() const {
  return {{"/{slug}/area-personale", "/area-personale.html"}};
}

// Ended sessions and abandoned sign-ins go within the hour (they hold no more than the session).
asio::awaitable<void> CitizensCapability::purge(int retentionDays) {
  auto st = co_await service.purge(retentionDays);
  if (!st.ok()) spdlog::warn("citizens purge: {}", st.error().message);
}

CapabilityEntry capability() {
  return {"citizens", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<CitizensCapability>(w);
          }};
}

}  // namespace sportello::citizens
