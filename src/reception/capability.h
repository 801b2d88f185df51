// Reception as a capability: knocks, visits, kiosks, signalling; office:{id}:queue|staff,
// visit:{id}.
#pragma once

#include "platform/capability.h"
#include "reception/service.h"

namespace sportello::reception {

class ReceptionCapability : public Capability {
 public:
  explicit ReceptionCapability(Wiring& w);
  std::string_view name() const override { return "reception"; }
  void addRoutes(http::Router& r) override;
  std::vector<TopicFamily> topics() override;
  std::vector<Page> pages() const override;
  asio::awaitable<void> purge(int retentionDays) override;
  asio::awaitable<void> seenLive(const std::vector<std::string>& identities) override;
  asio::awaitable<void> sweepGone(int64_t upMs) override;

  ReceptionService service;

 private:
  const Capabilities& built_;
  LivenessRules citizen_, operator_;
};

CapabilityEntry capability();

}  // namespace sportello::reception
