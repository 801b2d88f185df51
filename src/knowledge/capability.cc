#include "knowledge/capability.h"

#include "knowledge/routes.h"
#include "knowledge/store.h"
#include "staff/capability.h"

namespace sportello::knowledge {

KnowledgeCapability::KnowledgeCapability(Wiring& w)
    : service(w.db, w.clock,
              KnowledgeOptions{static_cast<int>(w.cfg.limits.kbFeedbackPerAddressPerHour)}),
      built_(w.built) {}

void KnowledgeCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service);
}

// A page whose file the web build has not made answers 503 "interfaccia web non compilata"
// (app.cc, registerPages): nothing fails at start.
std::vector<Page> KnowledgeCapability::pages() const {
  return {{"/{slug}/servizi", "/servizi.html"}, {"/{slug}/servizi/{article}", "/scheda.html"}};
}

CapabilityEntry capability() {
  return {"knowledge", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<KnowledgeCapability>(w);
          }};
}

}  // namespace sportello::knowledge
