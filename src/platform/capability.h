// A capability (directory, staff, reception, cases, queue, booking, the one line, …) plugs into
// the app as one object: its migrations, its routes, its topic families with their authoriser,
// its pages, and the upkeep it needs (retention purge, day closing, caches after a commit). The
// app keeps one ordered list of them (src/app/app.cc, `capabilities()`) and loops over it;
// docs/ARCHITECTURE.md ("Capabilities") tells how to add one.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "platform/database.h"
#include "platform/http.h"
#include "platform/server.h"
#include "platform/topic.h"

namespace sportello {

// Decides whether a connection may follow a topic of the family (see TopicAuthorizer in
// platform/server.h): the identity it follows it with, or kForbidden / kNotFound / ….
using TopicCheck = std::function<asio::awaitable<Result<std::string>>(
    const WsAuth& auth, const Topic& topic, const std::string& token)>;
using TopicSignals = std::function<asio::awaitable<Result<SignalRoute>>(
    const Topic& topic, const std::string& identity, const Json& data)>;

struct TopicFamily {
  std::string pattern;   // "visit:{id}"
  std::string audience;  // for people: who may follow it ("public", "the visit's citizen …")
  TopicCheck authorise;
  TopicSignals signals;  // peer-to-peer signalling on this family's topics; empty: none
};

// The ids of the identities with this prefix ("citizen:" → the visit ids).
std::vector<std::string> identitiesWith(const std::vector<std::string>& identities,
                                        std::string_view prefix);

// A page of the web interface: a URL pattern served with one built HTML file of web/dist.
struct Page {
  std::string path;  // "/{slug}/visit/{office}"
  std::string file;  // "/visit.html"
};

class Capability {
 public:
  virtual ~Capability() = default;
  virtual std::string_view name() const = 0;
  virtual void addRoutes(http::Router&) {}
  virtual std::vector<TopicFamily> topics() { return {}; }
  virtual std::vector<Page> pages() const { return {}; }
  // Privacy, once an hour: forget the personal data older than the retention period.
  virtual asio::awaitable<void> purge(int /*retentionDays*/) { co_return; }
  // Every 30 s and at start (a node that was down at midnight catches up): close what belongs
  // to a day that ended. Idempotent, on any node.
  virtual asio::awaitable<void> closeDays() { co_return; }
  // After every commit of this node, with the events it carried (caches to drop).
  virtual void committed(const std::vector<Event>&) {}
  // Liveness (docs/OPERATIONS.md): these followers are connected now — the identities the topic
  // authorisers answered ("citizen:{visit}", "staff:{operator}"); each takes its own.
  virtual asio::awaitable<void> seenLive(const std::vector<std::string>& /*identities*/) {
    co_return;
  }
  // Every 15 s, after seenLive: the parties not seen for a grace are gone. `upMs` is how long this
  // node has run (right after a start a sweep waits one grace, for the pages a restart
  // disconnected).
  virtual asio::awaitable<void> sweepGone(int64_t /*upMs*/) { co_return; }
};

class Capabilities;

// What a capability is built with: the shared platform and the capabilities built before it
// (a capability names another's public header, e.g. staff/capability.h, never its store).
struct Wiring {
  Database& db;
  const Clock& clock;
  const Config& cfg;
  asio::thread_pool& cpu;
  const Capabilities& built;
};

// One entry of the app's list: the migrations can be read without building anything (the CLI
// migrates a database without serving it).
struct CapabilityEntry {
  std::string_view name;
  std::vector<Migration> (*migrations)();
  std::unique_ptr<Capability> (*make)(Wiring&);
};

// The built capabilities, in the app's order.
class Capabilities {
 public:
  void add(std::unique_ptr<Capability> c) { list_.push_back(std::move(c)); }
  template <class T>
  T& get() const {
    for (const auto& c : list_) {
      if (auto* p = dynamic_cast<T*>(c.get())) return *p;
    }
    throw std::logic_error("capability built after the one that needs it");
  }
  auto begin() const { return list_.begin(); }
  auto end() const { return list_.end(); }

  // Every family of every capability, in order.
  std::vector<TopicFamily> topics() const;
  // The authoriser of a topic: the first family whose pattern it matches; kNotFound if none.
  static asio::awaitable<Result<std::string>> authorise(const std::vector<TopicFamily>& families,
                                                        const WsAuth& auth,
                                                        const std::string& topic,
                                                        const std::string& token);
  static asio::awaitable<Result<SignalRoute>> route(const std::vector<TopicFamily>& families,
                                                    const std::string& topic,
                                                    const std::string& identity, const Json& data);

 private:
  std::vector<std::unique_ptr<Capability>> list_;
};

}  // namespace sportello
