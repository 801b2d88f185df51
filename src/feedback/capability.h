// Feedback as a capability: one rating per contact on every channel (docs/API.md, "Ratings").
#pragma once

#include "feedback/service.h"
#include "platform/capability.h"

namespace sportello::feedback {

class FeedbackCapability : public Capability {
 public:
  explicit FeedbackCapability(Wiring& w);
  std::string_view name() const override { return "feedback"; }
  void addRoutes(http::Router& r) override;
  std::vector<Page> pages() const override;
  asio::awaitable<void> purge(int retentionDays) override;

  FeedbackService service;

};

CapabilityEntry capability();

}  // namespace sportello::feedback
