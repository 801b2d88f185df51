#include "visitors/capability.h"

#include <spdlog/spdlog.h>

#include "staff/capability.h"
#include "visitors/routes.h"
#include "visitors/store.h"

namespace sportello::visitors {

VisitorsCapability::VisitorsCapability(Wiring& w)
    : service(w.db, w.clock, w.cfg.publicOrigin), built_(w.built) {}

void VisitorsCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service);
}

std::vector<TopicFamily> VisitorsCapability::topics() {
  return {{std::string(kVisitorsTopic), "the info point of the ente (as the occupancy list)",
           [this](const WsAuth& auth, const Topic& t,
                  const std::string&) -> asio::awaitable<Result<std::string>> {
             auto ctx = co_await built_.get<staff::StaffCapability>().service.session(
                 auth.sessionToken);
             if (!ctx.ok()) co_return ctx.error();
             co_return co_await service.authorizeLive(std::move(ctx.value()), t.param("ente"));
           },
           {}}};
}

std::vector<Page> VisitorsCapability::pages() const {
  return {{"/{slug}/infopoint", "/infopoint.html"},
          {"/turnstile/{id}", "/turnstile.html"},
          {"/{slug}/pass", "/pass.html"}};
}

asio::awaitable<void> VisitorsCapability::purge(int retentionDays) {
  auto n = co_await service.purge(retentionDays);
  if (!n.ok()) {
    spdlog::warn("retention: visitors: {}", n.error().message);
  } else if (*n > 0) {
    spdlog::info("retention: {} visitors erased", *n);
  }
}

asio::awaitable<void> VisitorsCapability::closeDays() {
  auto n = co_await service.closeDays();
  if (n.ok() && *n > 0) spdlog::info("day closing: {} visitor passes still inside flagged", *n);
}

CapabilityEntry capability() {
  return {"visitors", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<VisitorsCapability>(w);
          }};
}

}  // namespace sportello::visitors
