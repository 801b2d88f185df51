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
  // Every contact that ends, whatever its channel: its day's cells of the figures' roll-ups,
  // in the owner's transaction (platform/contact_fact.h).
  w.db.setContactHook([](Tx& tx, const ContactFact& f) { return recordContact(tx, f); });
  // Start-up, before serving: the ratings stored before the daily roll-ups existed.
  auto n = w.db.writeSync<int64_t>(
      [](Tx& tx) -> Result<int64_t> { return store::backfillDailyRatings(tx.conn()); });
  if (!n.ok()) {
    throw std::runtime_error("feedback: daily roll-up backfill: " + n.error().message);
  }
  if (*n > 0) spdlog::info("feedback: {} earlier ratings counted in the daily roll-ups", *n);
}

void FeedbackCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service);
}

std::vector<Page> FeedbackCapability::pages() const {
  // The supervisors' reports; the ente's open data (public).
  return {{"/{slug}/reports", "/reports.html"}, {"/{slug}/opendata", "/opendata.html"}};
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
