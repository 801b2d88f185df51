#include "queue/capability.h"

#include <spdlog/spdlog.h>

#include "queue/routes.h"
#include "queue/store.h"
#include "staff/capability.h"

namespace sportello::queue {

QueueCapability::QueueCapability(Wiring& w)
    : service(w.db, w.clock, w.built.get<staff::StaffCapability>().service), built_(w.built) {
  service.setPublicOrigin(w.cfg.publicOrigin);
  service.setPhoneTicketsPerHour(w.cfg.limits.phoneTicketsPerAddressPerHour);
}

void QueueCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service);
}

std::vector<TopicFamily> QueueCapability::topics() {
  auto site = [this](bool staffSide) {
    return [this, staffSide](const WsAuth& auth, const Topic& t,
                             const std::string&) -> asio::awaitable<Result<std::string>> {
      co_return co_await service.authorizeSite(auth, t.param("id"), staffSide);
    };
  };
  return {
      {std::string(kBoardTopic), "public (codes and counters only)", site(false)},
      {std::string(kSiteStaffTopic), "staff of the site's ente", site(true)},
      {std::string(kTicketTopic), "the ticket's holder (ticket token) and the staff of its ente",
       [this](const WsAuth& auth, const Topic& t,
              const std::string& token) -> asio::awaitable<Result<std::string>> {
         co_return co_await service.authorizeTicket(auth, t.param("id"), token);
       }},
  };
}

std::vector<Page> QueueCapability::pages() const {
  return {{"/ticket-machine/{site}", "/ticket-machine.html"},
          {"/board/{site}", "/board.html"},
          {"/{slug}/ticket/{site}", "/phone-ticket.html"}};
}

asio::awaitable<void> QueueCapability::purge(int retentionDays) {
  auto n = co_await service.purge(retentionDays);
  if (n.ok() && *n > 0) spdlog::info("retention: client keys of {} queue tickets removed", *n);
}

asio::awaitable<void> QueueCapability::closeDays() {
  auto n = co_await service.closeDays();
  if (n.ok() && *n > 0) spdlog::info("day closed: {} tickets of an earlier day expired", *n);
}

CapabilityEntry capability() {
  return {"queue", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<QueueCapability>(w);
          }};
}

}  // namespace sportello::queue
