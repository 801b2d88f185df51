#include "platform/capability.h"

namespace sportello {

std::vector<std::string> identitiesWith(const std::vector<std::string>& identities,
                                        std::string_view prefix) {
  std::vector<std::string> ids;
  for (const auto& id : identities) {
    if (id.size() > prefix.size() && id.compare(0, prefix.size(), prefix) == 0) {
      ids.push_back(id.substr(prefix.size()));
    }
  }
  return ids;
}

std::vector<TopicFamily> Capabilities::topics() const {
  std::vector<TopicFamily> all;
  for (const auto& c : list_) {
    auto fs = c->topics();
    all.insert(all.end(), std::make_move_iterator(fs.begin()), std::make_move_iterator(fs.end()));
  }
  return all;
}

asio::awaitable<Result<std::string>> Capabilities::authorise(
    const std::vector<TopicFamily>& families, const WsAuth& auth, const std::string& topic,
    const std::string& token) {
  Topic t(topic);
  for (const auto& f : families) {
    if (t.match(f.pattern)) co_return co_await f.authorise(auth, t, token);
  }
  co_return makeError(Errc::kNotFound, "topic sconosciuto");
}

asio::awaitable<Result<SignalRoute>> Capabilities::route(const std::vector<TopicFamily>& families,
                                                         const std::string& topic,
                                                         const std::string& identity,
                                                         const Json& data) {
  Topic t(topic);
  for (const auto& f : families) {
    if (!t.match(f.pattern)) continue;
    if (!f.signals) break;
    co_return co_await f.signals(t, identity, data);
  }
  co_return makeError(Errc::kForbidden, "segnalazione ammessa solo nelle visite");
}

}  // namespace sportello
