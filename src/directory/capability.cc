#include "directory/capability.h"

#include "directory/routes.h"
#include "directory/store.h"
#include "staff/capability.h"

namespace sportello::directory {

DirectoryCapability::DirectoryCapability(Wiring& w)
    : service(w.db, w.clock), built_(w.built), defaultEnte_(w.cfg.defaultEnte) {}

void DirectoryCapability::addRoutes(http::Router& r) {
  registerRoutes(r, service, built_.get<staff::StaffCapability>().service, defaultEnte_);
}

// A page of an ente's embedding origin follows only that ente's topics.
Status embeddable(const WsAuth& auth, const std::string& slug) {
  if (auth.crossOrigin &&
      std::find(auth.embedEnti.begin(), auth.embedEnti.end(), slug) == auth.embedEnti.end()) {
    return makeError(Errc::kForbidden, "origine non ammessa per questo ente");
  }
  return okStatus();
}

std::vector<TopicFamily> DirectoryCapability::topics() {
  return {{std::string(kDirectoryTopic), "public",
           [](const WsAuth& auth, const Topic& t,
              const std::string&) -> asio::awaitable<Result<std::string>> {
             SP_CO_TRY(embeddable(auth, t.param("slug")));
             co_return std::string();
           }}};
}

std::vector<Page> DirectoryCapability::pages() const {
  return {{"/", "/home.html"}, {"/{slug}", "/offices.html"}, {"/{slug}/admin", "/admin.html"}};
}

// Directory events drop that ente's cached view.
void DirectoryCapability::committed(const std::vector<Event>& events) {
  for (const auto& e : events) {
    Topic t(e.topic);
    if (t.match(kDirectoryTopic)) service.invalidate(t.param("slug"));
  }
}

CapabilityEntry capability() {
  return {"directory", &store::migrations, [](Wiring& w) -> std::unique_ptr<Capability> {
            return std::make_unique<DirectoryCapability>(w);
          }};
}

}  // namespace sportello::directory
