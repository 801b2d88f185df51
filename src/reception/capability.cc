#include "reception/capability.h"

#include <spdlog/spdlog.h>

#include "reception/routes.h"
#include "reception/store.h"
#include "staff/capability.h"

namespace sportello::reception {

namespace {
TurnOptions turnOf(const Config& c) {
  return {c.turnUrls, c.turnSecret, c.turnTtlSeconds, c.iceTransportPolicy};
}
}  // namespace

ReceptionCapability::ReceptionCapability(Wiring& w)
    : service(w.db, w.clock, w.built.get<staff::StaffCapability>().service, turnOf(w.cfg),
              w.cfg.knocksPerAddressPerHour),
      built_(w.built) {
  service.setLimits(w.cfg.limits);
  // The waiting rooms learn how many operators are available when one comes or goes.
  w.built.get<staff::StaffCapability>().service.addPresenceHook(
      [this](Tx& tx, const staff::Operator& op) { return service.onPresence(tx, op); });
}

void ReceptionCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service);
}

std::vector<TopicFamily> ReceptionCapability::topics() {
  auto office = [this](bool staffSide) {
    return [this, staffSide](const WsAuth& auth, const Topic& t,
                             const std::string&) -> asio::awaitable<Result<std::string>> {
      co_return co_await service.authorizeOffice(auth, t.param("id"), staffSide);
    };
  };
  return {
      {"office:{id}:queue", "public (knock numbers and counts only)", office(false)},
      {"office:{id}:staff", "staff of the office", office(true)},
      {"visit:{id}", "the visit's citizen (visit token) and the staff of its office",
       [this](const WsAuth& auth, const Topic& t,
              const std::string& token) -> asio::awaitable<Result<std::string>> {
         co_return co_await service.authorizeVisit(auth, t.param("id"), token);
       },
       [this](const Topic& t, const std::string& identity,
              const Json& data) -> asio::awaitable<Result<SignalRoute>> {
         co_return co_await service.routeSignal(t.param("id"), identity, data);
       }},
  };
}

std::vector<Page> ReceptionCapability::pages() const {
  return {{"/{slug}/visit/{office}", "/visit.html"},
          {"/{slug}/widget/{office}", "/widget.html"},
          {"/kiosk/{id}", "/kiosk.html"}};
}

asio::awaitable<void> ReceptionCapability::purge(int retentionDays) {
  auto n = co_await service.purge(retentionDays);
  if (n.ok() && *n > 0) spdlog::info("retention: personal data of {} visits removed", *n);
}

CapabilityEntry capability() {
  return {"reception", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<ReceptionCapability>(w);
          }};
}

}  // namespace sportello::reception
