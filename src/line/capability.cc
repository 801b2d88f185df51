#include "line/capability.h"

#include "line/routes.h"
#include "line/store.h"
#include "directory/capability.h"
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

std::vector<TopicFamily> LineCapability::topics() {
  return {{std::string(kSupervisionTopic), "supervisors and admins of the ente",
           [this](const WsAuth& auth, const Topic& t,
                  const std::string&) -> asio::awaitable<Result<std::string>> {
             std::string slug = t.param("slug");
             SP_CO_TRY(directory::embeddable(auth, slug));
             auto& staff = built_.get<staff::StaffCapability>().service;
             auto ctx = co_await staff.session(auth.sessionToken);
             if (!ctx.ok()) co_return ctx.error();
             if (ctx->enteSlug != slug || ctx->op.role == staff::Role::kOperator) {
               co_return makeError(Errc::kForbidden, "riservato ai responsabili");
             }
             co_return "staff:" + ctx->op.id;
           }}};
}

CapabilityEntry capability() {
  return {"line", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<LineCapability>(w);
          }};
}

}  // namespace sportello::line
