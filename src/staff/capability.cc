#include "staff/capability.h"

#include <spdlog/spdlog.h>

#include "directory/capability.h"
#include "staff/routes.h"
#include "staff/store.h"

namespace sportello::staff {

StaffCapability::StaffCapability(Wiring& w)
    : service(w.db, w.clock, w.cpu, w.cfg.secureCookies()),
      built_(w.built),
      graceMs_(int64_t{w.cfg.operatorGraceSeconds} * 1000) {
  service.setLimits(w.cfg.limits);
}

// Liveness: a console that follows its ente's staff topic is there now (a presence the sweep
// took away comes back); a console gone for the grace makes its operator away.
asio::awaitable<void> StaffCapability::seenLive(const std::vector<std::string>& identities) {
  auto operators = identitiesWith(identities, "staff:");
  if (!operators.empty()) (void)co_await service.seenLive(std::move(operators));
}

asio::awaitable<void> StaffCapability::sweepGone(int64_t upMs) {
  if (upMs < graceMs_) co_return;
  auto m = co_await service.sweepGone(graceMs_);
  if (m.ok() && *m > 0) spdlog::info("liveness: {} operators away (console gone)", *m);
}

void StaffCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<directory::DirectoryCapability>().service);
}

std::vector<TopicFamily> StaffCapability::topics() {
  return {{std::string(kEnteStaffTopic), "staff sessions of the ente",
           [this](const WsAuth& auth, const Topic& t,
                  const std::string&) -> asio::awaitable<Result<std::string>> {
             std::string slug = t.param("slug");
             SP_CO_TRY(directory::embeddable(auth, slug));
             auto ctx = co_await service.session(auth.sessionToken);
             if (!ctx.ok()) co_return ctx.error();
             if (ctx->enteSlug != slug) co_return makeError(Errc::kForbidden, "non autorizzato");
             co_return "staff:" + ctx->op.id;
           }}};
}

std::vector<Page> StaffCapability::pages() const {
  return {{"/{slug}/login", "/login.html"}, {"/{slug}/console", "/console.html"}};
}

CapabilityEntry capability() {
  return {"staff", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<StaffCapability>(w);
          }};
}

}  // namespace sportello::staff
