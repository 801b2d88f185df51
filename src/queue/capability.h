// The hall queue as a capability: tickets, counters, boards; site:{id}:board|staff, ticket:{id}.
#pragma once

#include "platform/capability.h"
#include "queue/service.h"

namespace sportello::queue {

class QueueCapability : public Capability {
 public:
  explicit QueueCapability(Wiring& w);
  std::string_view name() const override { return "queue"; }
  void addRoutes(http::Router& r) override;
  std::vector<TopicFamily> topics() override;
  std::vector<Page> pages() const override;
  asio::awaitable<void> purge(int retentionDays) override;
  asio::awaitable<void> closeDays() override;

  QueueService service;

 private:
  const Capabilities& built_;
};

CapabilityEntry capability();

}  // namespace sportello::queue
