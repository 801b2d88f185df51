#include "staff/capability.h"

#include "directory/capability.h"
#include "staff/routes.h"
#include "staff/store.h"

namespace sportello::staff {

StaffCapability::StaffCapability(Wiring& w)
    : service(w.db, w.clock, w.cpu, w.cfg.secureCookies()), built_(w.built) {
  service.setLimits(w.cfg.limits);
}

void StaffCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<directory::DirectoryCapability>().service);
}

std::vector<TopicFamily> StaffCapability::topics() {
  return {{"ente:{slug}:staff", "staff sessions of the ente",
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
