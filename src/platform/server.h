// The network side, after Boost.Beast's chat-multi example: a listener accepts
// connections, each connection runs as a coroutine on its own strand (HTTP/1.1
// keep-alive), and an upgrade hands the socket to a WebSocket session that
// joins the shared hub.
//
// Real time: clients subscribe to topics with the last sequence number they
// saw; the hub replays what they missed from the event log (or says "resync"
// when it is no longer kept), then forwards live events, each at most once and
// in order.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/clock.h"
#include "platform/database.h"
#include "platform/http.h"
#include "platform/metrics.h"
#include "platform/rights.h"
#include "platform/signal_bus.h"
#include "platform/static_files.h"

namespace sportello {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  size_t maxBodyBytes = 1 << 20;
  size_t maxHeaderBytes = 8 << 10;
  size_t maxWsMessageBytes = 64 << 10;
  std::chrono::seconds readTimeout{30};
  std::string publicOrigin;
  size_t maxWsQueue = 4096;  // messages waiting for a slow WebSocket client before we drop it
  size_t maxSubscriptions = 64;
  // Every live subscription that depends on a right (a staff session, a visit token) is
  // authorised again this often, even when no event said the right ended (a session that
  // expired, a change made by the CLI on another process). At most the staff session lifetime.
  std::chrono::seconds wsReauthInterval{300};
  // Peers whose X-Forwarded-For is believed (the reverse proxy): the client address is then
  // the last address that proxy appended. Empty: the socket's peer address is the client.
  std::vector<std::string> trustedProxies;
};

// The client address of a request: the peer, or the last X-Forwarded-For hop when the peer is
// a trusted proxy.
std::string clientAddress(const std::string& peer, std::string_view forwardedFor,
                          const std::vector<std::string>& trustedProxies);

// Who opened a WebSocket: what topic authorisation needs to know.
struct WsAuth {
  std::string sessionToken;  // staff session cookie, may be empty (always empty cross-origin)
  std::string origin;
  // Opened by a page of another site (an ente's embedding origin): it carries no staff rights,
  // and may follow only the public and citizen topics of the enti that list that origin.
  bool crossOrigin = false;
  std::vector<std::string> embedEnti;  // slugs, when crossOrigin
};

// Decides whether a connection may follow a topic (kForbidden / kNotFound otherwise). `token`
// is the optional credential sent with the subscription (a citizen's visit token). The answer
// is the identity the connection follows the topic with ("" for anyone; e.g. "citizen:ID" or
// "staff:ID"): signalling on that topic is sent as, and relayed to, such identities.
using TopicAuthorizer = std::function<asio::awaitable<Result<std::string>>(
    const WsAuth& auth, const std::string& topic, const std::string& token)>;

// Where a signalling message goes: the identity of the recipient on the same topic, and the
// role the sender is shown as ("citizen" / "operator").
struct SignalRoute {
  std::string to;
  std::string from;
  // False for a hint that may be lost (a typing indicator): nobody to take it is no error,
  // and no node waits for a delivery acknowledgement.
  bool confirm = true;
};
// Decides whether `identity` may send `data` on `topic` (a peer-to-peer message that is
// relayed, never stored): the route, or an error sent back to the sender.
using SignalPolicy = std::function<asio::awaitable<Result<SignalRoute>>(
    const std::string& topic, const std::string& identity, const Json& data)>;
// What an Origin (a browser's page) may do. The server's own origin and the configured public
// origin are first party. An ente's embedding origin (`embed_origins`) is allowed only for that
// ente's citizen side: its requests and WebSockets never carry staff cookies.
struct OriginCheck {
  bool allowed = false;
  bool firstParty = false;
  std::vector<std::string> enti;  // the enti (slugs) whose embed_origins list this origin
};
using OriginPolicy = std::function<OriginCheck(std::string_view origin, std::string_view host)>;

// Rights that end: see platform/rights.h (kRightsTopic, revokeStaff, revokeTopic).

class WsSession;

// A signal relayed to the other nodes whose sender waits to hear that one of them delivered it
// (server.cc). Touched only on the sender's session executor.
struct SignalWait;

struct WireEvent {
  Event event;
  std::shared_ptr<const std::string> wire;  // the JSON message, rendered once for all
};

class WsHub {
 public:
  WsHub(Database& db, Metrics& metrics) : db_(db), metrics_(metrics) {}

  void setAuthorizer(TopicAuthorizer a) { authorizer_ = std::move(a); }
  const TopicAuthorizer& authorizer() const { return authorizer_; }
  void setSignalPolicy(SignalPolicy p) { signalPolicy_ = std::move(p); }
  const SignalPolicy& signalPolicy() const { return signalPolicy_; }
  Database& db() { return db_; }
  Metrics& metrics() { return metrics_; }

  void join(const std::shared_ptr<WsSession>& s);
  void leave(WsSession* s);
  // Registers `s` as following `topic`. With `generation`, only if no right ended since the
  // caller read generation() before authorising (false: authorise again), so that an answer
  // read before a revocation never outlives it.
  bool subscribe(const std::string& topic, const std::shared_ptr<WsSession>& s,
                 std::string identity = {}, std::optional<uint64_t> generation = std::nullopt);
  bool follows(const std::string& topic, WsSession* s) const;
  uint64_t generation() const;
  void unsubscribe(const std::string& topic, WsSession* s);
  // Called after commit with the batch's events, in order.
  void publish(const std::vector<Event>& events);
  // Sends `message` to the sessions following `topic` as `identity` (this node only) and
  // returns how many sessions it was handed to — unless a right ended since the caller read
  // `generation` before asking the signal policy (nullopt: ask it again).
  std::optional<size_t> relay(const std::string& topic, const std::string& identity,
                              std::shared_ptr<const std::string> message, uint64_t generation);

  // Signalling between nodes (docs/ARCHITECTURE.md, "Signalling"). Without a bus (SQLite, one
  // node) a signal reaches the recipient's sessions on this node or nobody. With one, every
  // signal a party sends is also published to the other nodes; each checks it again with the
  // signal policy and hands it to its own sessions of the recipient (receiveSignal, checks run
  // on `executor`, one topic's signals in their order). A signal no session of this node took
  // waits up to `ackTimeout` for another node to say it delivered it; then the sender hears
  // `unavailable`. Call before the server starts; `bus` outlives the hub's use of it.
  void setSignalBus(SignalBus* bus, asio::any_io_executor executor,
                    std::chrono::milliseconds ackTimeout);
  SignalBus* signalBus() const { return bus_; }
  std::chrono::milliseconds signalAckTimeout() const { return ackTimeout_; }
  // Publishes a signal that `sender` may send to `to` (the policy said so on this node). With
  // `wait`, the first node that delivers it answers and `wait` is marked delivered (on its
  // executor); the caller calls forgetSignalWait once it stops waiting.
  void publishSignal(const std::string& topic, const std::string& sender, const std::string& to,
                     const Json& data, const std::shared_ptr<SignalWait>& wait);
  void forgetSignalWait(uint64_t id);
  // The bus's receiver: a message another node published (any thread; never blocks).
  void receiveSignal(std::string message);
  // {"op":"signal","topic":…,"from":…,"data":…}, as the recipient receives it.
  static std::shared_ptr<const std::string> renderSignal(const std::string& topic,
                                                         const std::string& from, const Json& data);
  // Sends a close frame (going away) to every session.
  void closeAll();
  size_t sessionCount() const;
  // The identities ("citizen:ID", "staff:ID", …) that follow at least one topic on this node
  // now: who is connected live (liveness heartbeat).
  std::vector<std::string> liveIdentities() const;

  static std::shared_ptr<const std::string> render(const Event& e);

 private:
  Database& db_;
  Metrics& metrics_;
  TopicAuthorizer authorizer_;
  SignalPolicy signalPolicy_;
  struct Follower {
    std::weak_ptr<WsSession> session;
    std::string identity;
  };
  mutable std::mutex mu_;
  std::unordered_map<WsSession*, std::weak_ptr<WsSession>> sessions_;  // GUARDED_BY(mu_)
  std::unordered_map<std::string, std::unordered_map<WsSession*, Follower>>
      topics_;  // GUARDED_BY(mu_)
  std::unordered_map<WsSession*, std::unordered_set<std::string>> topicsOf_;  // GUARDED_BY(mu_)
  uint64_t generation_ = 0;                                                   // GUARDED_BY(mu_)
  // Signalling between nodes (setSignalBus).
  struct InboundSignal {
    std::string node;  // the node that published it (and waits for the ack)
    uint64_t id = 0;
    bool ack = false;
    std::string topic, sender, to;
    Json data;
  };
  asio::awaitable<void> drainSignals(std::string topic);
  asio::awaitable<void> deliverRemote(InboundSignal s);
  SignalBus* bus_ = nullptr;
  asio::any_io_executor signalExecutor_;
  std::chrono::milliseconds ackTimeout_{2000};
  std::atomic<uint64_t> nextSignalId_{1};
  std::mutex signalMu_;
  // Per topic, the signals from other nodes not yet delivered; a topic is present while its
  // drainSignals runs.
  std::unordered_map<std::string, std::deque<InboundSignal>> inbound_;  // GUARDED_BY(signalMu_)
  std::unordered_map<uint64_t, std::weak_ptr<SignalWait>> waits_;       // GUARDED_BY(signalMu_)

  // Takes the followers a rights event names off their topics (under mu_) and returns them
  // with the topics each must authorise again.
  std::vector<std::pair<std::weak_ptr<WsSession>, std::vector<std::string>>> revokeLocked(
      const Event& e);
};

class HttpServer {
 public:
  // `contexts`: one io_context per I/O thread; the first also runs the acceptor. Each accepted
  // connection lives on one context (round robin), so its handlers never contend for a lock.
  HttpServer(std::vector<asio::io_context*> contexts, ServerOptions opts,
             const http::Router& router, WsHub& hub, Metrics& metrics, const StaticFiles& files);

  // Binds and starts accepting. Returns the bound port (useful with port 0).
  Result<uint16_t> start();
  // Stops accepting, closes idle connections and WebSockets; in-flight requests
  // finish and their connections close after the response. `onIdle` runs when
  // no connection is left.
  void shutdown(std::function<void()> onIdle);
  bool stopping() const { return stopping_; }
  void setOriginPolicy(OriginPolicy p) { originPolicy_ = std::move(p); }

  // Who may frame a page: given the request path, the CSP frame-ancestors sources (default
  // "'self'"). The app allows an ente's embedding origins on that ente's pages.
  void setFrameAncestorsPolicy(std::function<std::string(std::string_view path)> p) {
    frameAncestors_ = std::move(p);
  }

 private:
  struct Conn;
  asio::awaitable<void> acceptLoop();
  asio::awaitable<void> runConnection(std::shared_ptr<Conn> conn);
  asio::awaitable<http::Response> handle(const http::RawRequest& req, const std::string& remote);
  void addSecurityHeaders(http::Response& res, std::string_view target) const;
  void connectionDone(uint64_t id);

  std::vector<asio::io_context*> contexts_;
  asio::io_context& ioc_;
  std::atomic<size_t> nextContext_{0};
  ServerOptions opts_;
  const http::Router& router_;
  WsHub& hub_;
  Metrics& metrics_;
  const StaticFiles& files_;
  OriginPolicy originPolicy_;
  std::function<std::string(std::string_view)> frameAncestors_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  uint64_t nextId_ = 1;                                      // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, std::weak_ptr<Conn>> conns_;  // GUARDED_BY(mu_)
  std::function<void()> onIdle_;                             // GUARDED_BY(mu_)
};

}  // namespace sportello
