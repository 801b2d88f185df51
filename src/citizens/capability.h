// Citizens' optional SPID / CIE sign-in (OpenID Connect) and the personal area (issue 19).
#pragma once

#include "citizens/service.h"
#include "platform/capability.h"

namespace sportello::citizens {

class CitizensCapability : public Capability {
 public:
  explicit CitizensCapability(Wiring& w);
  std::string_view name() const override { return "citizens"; }
  void addRoutes(http::Router& r) override;
  std::vector<Page> pages() const override;
  asio::awaitable<void> purge(int retentionDays) override;

  CitizenService service;
};

CapabilityEntry capability();

}  // namespace sportello::citizens
