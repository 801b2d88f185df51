// The info point as a capability (issue 18): visitors, passes, areas, turnstiles; the pages
// /{slug}/infopoint (staff) and /turnstile/{id} (a registered door tablet). Day closing flags the
// passes still inside after their window; the retention purge erases visitor data.
#pragma once

#include "platform/capability.h"
#include "visitors/service.h"

namespace sportello::visitors {

class VisitorsCapability : public Capability {
 public:
  explicit VisitorsCapability(Wiring& w);
  std::string_view name() const override { return "visitors"; }
  void addRoutes(http::Router& r) override;
  std::vector<TopicFamily> topics() override;
  std::vector<Page> pages() const override;
  asio::awaitable<void> purge(int retentionDays) override;
  asio::awaitable<void> closeDays() override;

  VisitorService service;

 private:
  const Capabilities& built_;
};

CapabilityEntry capability();

}  // namespace sportello::visitors
