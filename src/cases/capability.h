// Cases as a capability: every contact followed to its end; office:{id}:cases; the tracking page.
#pragma once

#include "cases/service.h"
#include "platform/capability.h"

namespace sportello::cases {

class CaseCapability : public Capability {
 public:
  explicit CaseCapability(Wiring& w);
  std::string_view name() const override { return "cases"; }
  void addRoutes(http::Router& r) override;
  std::vector<TopicFamily> topics() override;
  std::vector<Page> pages() const override;

  CaseService service;

 private:
  const Capabilities& built_;
};

CapabilityEntry capability();

}  // namespace sportello::cases
