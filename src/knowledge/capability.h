// The knowledge base as a capability (issue 17): articles, search, suggestions; the public
// service pages /{slug}/servizi and /{slug}/servizi/{article}.
#pragma once

#include "knowledge/service.h"
#include "platform/capability.h"

namespace sportello::knowledge {

class KnowledgeCapability : public Capability {
 public:
  explicit KnowledgeCapability(Wiring& w);
  std::string_view name() const override { return "knowledge"; }
  void addRoutes(http::Router& r) override;
  std::vector<Page> pages() const override;

  KnowledgeService service;

 private:
  const Capabilities& built_;
};

CapabilityEntry capability();

}  // namespace sportello::knowledge
