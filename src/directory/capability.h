// The directory as a capability: enti, sites, offices, services and hours; ente:{slug}:directory.
#pragma once

#include "directory/service.h"
#include "platform/capability.h"

namespace sportello::directory {

class DirectoryCapability : public Capability {
 public:
  explicit DirectoryCapability(Wiring& w);
  std::string_view name() const override { return "directory"; }
  void addRoutes(http::Router& r) override;
  std::vector<TopicFamily> topics() override;
  std::vector<Page> pages() const override;
  void committed(const std::vector<Event>& events) override;

  DirectoryService service;

 private:
  const Capabilities& built_;
  std::string defaultEnte_;
};

CapabilityEntry capability();

// The topics of ente {slug} (ente:{slug}:…) may be followed from a page of another site only if
// the ente lists that site among its embedding origins (kForbidden otherwise).
Status embeddable(const WsAuth& auth, const std::string& slug);

}  // namespace sportello::directory
