// Staff as a capability: operators, sessions, presence; ente:{slug}:staff; login and console.
#pragma once

#include "platform/capability.h"
#include "staff/service.h"

namespace sportello::staff {

class StaffCapability : public Capability {
 public:
  explicit StaffCapability(Wiring& w);
  std::string_view name() const override { return "staff"; }
  void addRoutes(http::Router& r) override;
  std::vector<TopicFamily> topics() override;
  std::vector<Page> pages() const override;
  asio::awaitable<void> seenLive(const std::vector<std::string>& identities) override;
  asio::awaitable<void> sweepGone(int64_t upMs) override;

  StaffService service;

 private:
  const Capabilities& built_;
  int64_t graceMs_;
};

CapabilityEntry capability();

}  // namespace sportello::staff
