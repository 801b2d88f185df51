#include "cases/capability.h"

#include "cases/routes.h"
#include "cases/store.h"
#include "reception/capability.h"
#include "staff/capability.h"

namespace sportello::cases {

CaseCapability::CaseCapability(Wiring& w)
    : service(w.db, w.clock, w.built.get<staff::StaffCapability>().service, w.cfg.publicOrigin),
      built_(w.built) {
  service.setLimits(w.cfg.limits);
  // A message left outside reception hours becomes a case with a callback.
  w.built.get<reception::ReceptionCapability>().service.setCallbackHook(
      [this](Tx& tx, const reception::CallbackRequest& r) -> Result<Json> {
        SP_ASSIGN(auto opened, service.onCallbackRequest(tx, r));
        return toJson(opened);
      });
  // A visit ended "da richiamare" opens its case with the callback.
  w.built.get<reception::ReceptionCapability>().service.setEndHook(
      [this](Tx& tx, const reception::Visit& v, const staff::Operator& op,
             const std::optional<reception::FollowUp>& u) -> Result<Json> {
        SP_ASSIGN(auto opened, service.onVisitCallback(tx, v, op, u));
        return toJson(opened);
      });
}

void CaseCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service);
}

std::vector<TopicFamily> CaseCapability::topics() {
  return {{std::string(kOfficeCasesTopic), "staff of the office (managers: any office of the ente)",
           [this](const WsAuth& auth, const Topic& t,
                  const std::string&) -> asio::awaitable<Result<std::string>> {
             co_return co_await service.authorizeCases(auth, t.param("id"));
           }}};
}

std::vector<Page> CaseCapability::pages() const {
  return {{"/{slug}/pratica", "/pratica.html"}, {"/{slug}/pratica/{code}", "/pratica.html"}};
}

CapabilityEntry capability() {
  return {"cases", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<CaseCapability>(w);
          }};
}

}  // namespace sportello::cases
