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
      built_(w.built),
      citizen_{
          int64_t{w.cfg.remoteGraceSeconds} * 1000, int64_t{w.cfg.remoteKeepPlaceSeconds} * 1000,
          int64_t{w.cfg.remoteIdleAskSeconds} * 1000, int64_t{w.cfg.remoteAnswerSeconds} * 1000},
      operator_{int64_t{w.cfg.operatorGraceSeconds} * 1000,
                std::max(citizen_.keepPlaceMs, int64_t{w.cfg.operatorGraceSeconds} * 1000)} {
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
      {std::string(kQueueTopic), "public (knock numbers and counts only)", office(false)},
      {std::string(kStaffTopic), "staff of the office", office(true)},
      {std::string(kVisitTopic), "the visit's citizen (visit token) and the staff of its office",
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

// Liveness: a citizen's page that follows its visit is there now; what has not been seen for
// the grace is swept (on any node: the sweep is idempotent).
asio::awaitable<void> ReceptionCapability::seenLive(const std::vector<std::string>& identities) {
  auto visits = identitiesWith(identities, "citizen:");
  if (!visits.empty()) (void)co_await service.seenLive(std::move(visits));
}

asio::awaitable<void> ReceptionCapability::sweepGone(int64_t upMs) {
  if (upMs < citizen_.graceMs) co_return;
  auto n = co_await service.sweepGone(citizen_, operator_);
  if (n.ok() && *n > 0) spdlog::info("liveness: {} visits changed (a party is gone)", *n);
  if (!n.ok()) spdlog::warn("liveness sweep: {}", n.error().message);
  // Automatic assignment: whoever waits at an office that assigns, if someone is free now.
  auto given = co_await service.assignAll();
  if (!given.ok()) spdlog::warn("automatic assignment: {}", given.error().message);
}

}  // namespace sportello::reception
