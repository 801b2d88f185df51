// The one line as a capability: desks and one call-next across channels. Its one topic family is
// the supervisors' (`ente:{slug}:supervision`, desks opened and closed); a call emits on
// reception's, the queue's and the cases' topics.
#pragma once

#include "line/service.h"
#include "platform/capability.h"

namespace sportello::line {

class LineCapability : public Capability {
 public:
  explicit LineCapability(Wiring& w);
  std::string_view name() const override { return "line"; }
  void addRoutes(http::Router& r) override;
  std::vector<TopicFamily> topics() override;

  LineService service;

 private:
  const Capabilities& built_;
};

CapabilityEntry capability();

}  // namespace sportello::line
