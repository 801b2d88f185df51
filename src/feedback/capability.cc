#include "feedback/capability.h"

#include "feedback/routes.h"
#include "feedback/store.h"
#include "reception/capability.h"
#include "staff/capability.h"

namespace sportello::feedback {

FeedbackCapability::FeedbackCapability(Wiring& w)
    : service(w.db, w.clock, w.built.get<staff::StaffCapability>().service,
              w.built.get<reception::ReceptionCapability>().service) {
  // A visit rated on its page: its row here, in reception's transaction.
  w.built.get<reception::ReceptionCapability>().service.setRatingHook(
      [this](Tx& tx, const reception::Visit& v) { return service.recordVisit(tx, v); });
}

void FeedbackCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service);
}

asio::awaitable<void> FeedbackCapability::purge(int retentionDays) {
  auto n = co_await service.purge(retentionDays);
  if (n.ok() && *n > 0) spdlog::info("retention: comments of {} ratings removed", *n);
}

CapabilityEntry capability() {
  return {"feedback", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<FeedbackCapability>(w);
          }};
}

}  // namespace sportello::feedback
