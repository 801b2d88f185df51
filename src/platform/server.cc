#include "platform/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace sportello {

namespace websocket = beast::websocket;
namespace bhttp = beast::http;
using asio::use_awaitable;

namespace {

// Errors that are part of a normal close; not worth a log line.
bool quietError(const beast::error_code& ec) {
  return ec == asio::error::operation_aborted || ec == websocket::error::closed ||
         ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == beast::error::timeout ||
         ec == asio::error::broken_pipe || ec == asio::error::not_connected;
}

void fail(const beast::error_code& ec, const char* what) {
  if (quietError(ec)) return;
  spdlog::debug("{}: {}", what, ec.message());
}

std::string selfOrigin(std::string_view host, bool tls) {
  return std::string(tls ? "https://" : "http://") + std::string(host);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// WebSocket session

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, WsHub& hub, const ServerOptions& opts, WsAuth auth)
      : ws_(std::move(socket)), hub_(hub), opts_(opts), auth_(std::move(auth)) {}

  asio::awaitable<void> run(http::RawRequest req) {
    auto self = shared_from_this();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(opts_.maxWsMessageBytes);
    beast::error_code ec;
    co_await ws_.async_accept(req, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      fail(ec, "ws accept");
      co_return;
    }
    hub_.metrics().wsOpened();
    hub_.join(self);
    beast::flat_buffer buffer;
    for (;;) {
      co_await ws_.async_read(buffer, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        fail(ec, "ws read");
        break;
      }
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      co_await onMessage(text);
    }
    closed_ = true;
    hub_.leave(this);
    hub_.metrics().wsClosed();
  }

  // Any thread: forward a live event (the hub calls this).
  void deliver(std::shared_ptr<const WireEvent> ev) {
    asio::post(ws_.get_executor(),
               [self = shared_from_this(), ev = std::move(ev)] { self->onEvent(ev); });
  }

  auto executor() { return ws_.get_executor(); }

  // Any thread: send a message outside any topic sequence (signalling).
  void sendRaw(std::shared_ptr<const std::string> msg) {
    asio::post(ws_.get_executor(),
               [self = shared_from_this(), msg = std::move(msg)] { self->send(msg); });
  }

  // Any thread: close with "going away".
  void close() {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closed_) return;
      self->ws_.async_close(websocket::close_code::going_away, [self](beast::error_code) {});
    });
  }

 private:
  struct Sub {
    std::string identity;  // who this connection follows the topic as (see TopicAuthorizer)
    int64_t last = 0;
    bool catchingUp = false;
    std::vector<std::shared_ptr<const WireEvent>> pending;
  };

  asio::awaitable<void> onMessage(const std::string& text) {
    Json msg = Json::parse(text, nullptr, false);
    if (msg.is_discarded() || !msg.is_object() || !msg.contains("op") || !msg["op"].is_string()) {
      sendError("invalid", "messaggio non valido: atteso {\"op\":…}");
      co_return;
    }
    std::string op = msg["op"];
    if (op == "ping") {
      send(std::make_shared<const std::string>(R"({"op":"pong"})"));
      co_return;
    }
    if (op != "subscribe" && op != "unsubscribe" && op != "signal") {
      sendError("invalid", "operazione sconosciuta: " + op);
      co_return;
    }
    if (!msg.contains("topic") || !msg["topic"].is_string() ||
        msg["topic"].get_ref<const std::string&>().size() > 200) {
      sendError("invalid", "topic mancante o non valido");
      co_return;
    }
    std::string topic = msg["topic"];
    if (op == "unsubscribe") {
      subs_.erase(topic);
      hub_.unsubscribe(topic, this);
      co_return;
    }
    if (op == "signal") {
      co_await onSignal(topic, msg);
      co_return;
    }
    std::string token;
    if (msg.contains("token")) {
      if (!msg["token"].is_string() || msg["token"].get_ref<const std::string&>().size() > 200) {
        sendError("invalid", "token non valido", topic);
        co_return;
      }
      token = msg["token"];
    }
    int64_t since = 0;
    if (msg.contains("since")) {
      if (!msg["since"].is_number_integer() || msg["since"].get<int64_t>() < 0) {
        sendError("invalid", "since deve essere un intero ≥ 0", topic);
        co_return;
      }
      since = msg["since"].get<int64_t>();
    }
    if (subs_.size() >= opts_.maxSubscriptions && !subs_.count(topic)) {
      sendError("too_many_requests", "troppe sottoscrizioni", topic);
      co_return;
    }
    std::string identity;
    if (hub_.authorizer()) {
      auto allowed = co_await hub_.authorizer()(auth_, topic, token);
      if (!allowed.ok()) {
        sendError(errcName(allowed.error().code), allowed.error().message, topic);
        co_return;
      }
      identity = std::move(allowed.value());
    }
    auto& sub = subs_[topic];
    sub.last = since;
    sub.identity = identity;
    sub.pending.clear();
    hub_.subscribe(topic, shared_from_this(), std::move(identity));
    co_await catchUp(topic, /*initial=*/true, since == 0);
  }

  // A peer-to-peer message (WebRTC signalling): the sender is the identity this connection
  // subscribed to the topic with, never something in the payload; the policy says whether it
  // may be sent and to whom; nothing is stored.
  asio::awaitable<void> onSignal(const std::string& topic, const Json& msg) {
    auto self = shared_from_this();
    auto it = subs_.find(topic);
    if (it == subs_.end() || it->second.identity.empty()) {
      sendError("forbidden", "segnalazione non ammessa: non sei parte di questa visita", topic);
      co_return;
    }
    if (!hub_.signalPolicy()) {
      sendError("forbidden", "segnalazione non disponibile", topic);
      co_return;
    }
    if (!msg.contains("data") || !msg["data"].is_object()) {
      sendError("invalid", "data mancante o non valido", topic);
      co_return;
    }
    std::string identity = it->second.identity;
    auto route = co_await hub_.signalPolicy()(topic, identity, msg["data"]);
    if (!route.ok()) {
      sendError(errcName(route.error().code), route.error().message, topic);
      co_return;
    }
    Json out = {{"op", "signal"}, {"topic", topic}, {"from", route->from}, {"data", msg["data"]}};
    if (hub_.relay(topic, route->to, std::make_shared<const std::string>(out.dump())) == 0) {
      sendError("unavailable", "l'altra parte non è collegata", topic);
    }
  }

  struct Replay {
    int64_t current = 0;
    int64_t oldest = 0;  // 0 when no event is kept
    std::vector<Event> events;
  };

  static constexpr int64_t kReplayPage = 500;

  // Sends what the client missed after sub.last, then what arrived meanwhile.
  asio::awaitable<void> catchUp(std::string topic, bool initial, bool fromNow) {
    auto self = shared_from_this();
    auto it = subs_.find(topic);
    if (it == subs_.end()) co_return;
    it->second.catchingUp = true;
    bool first = true;
    for (;;) {
      it = subs_.find(topic);
      if (it == subs_.end()) co_return;
      int64_t from = it->second.last;
      // (GCC 12: lambdas must not be temporaries inside a co_await expression;
      // see docs/ARCHITECTURE.md "Coroutine rules".)
      auto job = [topic, from](sql::Connection& c) -> Result<Replay> {
        Replay rp;
        SP_ASSIGN(auto cur, c.query("SELECT seq FROM event_topics WHERE topic = ?", {topic}));
        if (!cur.empty()) rp.current = cur[0].i64(0);
        SP_ASSIGN(auto old, c.query("SELECT MIN(seq) FROM events WHERE topic = ?", {topic}));
        if (!old.empty() && !old[0].isNull(0)) rp.oldest = old[0].i64(0);
        SP_ASSIGN(auto rows, c.query("SELECT seq, type, data, created_at FROM events WHERE topic "
                                     "= ? AND seq > ? ORDER BY seq LIMIT ?",
                                     {topic, from, kReplayPage}));
        for (auto& row : rows) {
          rp.events.push_back(Event{topic, row.i64(0), row.str(1), row.str(2), row.i64(3)});
        }
        return rp;
      };
      auto r = co_await hub_.db().read<Replay>(std::move(job));
      it = subs_.find(topic);
      if (it == subs_.end()) co_return;
      Sub& sub = it->second;
      if (!r.ok()) {
        sendError("unavailable", "impossibile recuperare gli eventi", topic);
        break;
      }
      if (first && initial) {
        Json ack = {{"op", "subscribed"}, {"topic", topic}, {"seq", r->current}};
        send(std::make_shared<const std::string>(ack.dump()));
      }
      first = false;
      if (fromNow) {
        sub.last = r->current;
        break;
      }
      bool gap =
          from > r->current || (from < r->current && (r->oldest == 0 || r->oldest > from + 1));
      if (gap) {
        Json rs = {{"op", "resync"}, {"topic", topic}, {"seq", r->current}};
        send(std::make_shared<const std::string>(rs.dump()));
        sub.last = r->current;
        break;
      }
      for (const auto& e : r->events) {
        send(WsHub::render(e));
        sub.last = e.seq;
      }
      if (static_cast<int64_t>(r->events.size()) < kReplayPage) break;
    }
    it = subs_.find(topic);
    if (it == subs_.end()) co_return;
    auto pending = std::move(it->second.pending);
    it->second.pending.clear();
    it->second.catchingUp = false;
    for (auto& ev : pending) onEvent(ev);
  }

  void onEvent(const std::shared_ptr<const WireEvent>& ev) {
    auto it = subs_.find(ev->event.topic);
    if (it == subs_.end() || closed_) return;
    Sub& sub = it->second;
    if (sub.catchingUp) {
      sub.pending.push_back(ev);
      return;
    }
    if (ev->event.seq <= sub.last) return;  // already sent
    if (ev->event.seq == sub.last + 1) {
      sub.last = ev->event.seq;
      send(ev->wire);
      return;
    }
    // A gap (events committed while we were subscribing): fetch them in order.
    sub.pending.push_back(ev);
    asio::co_spawn(ws_.get_executor(), catchUp(ev->event.topic, false, false), asio::detached);
  }

  void sendError(std::string code, std::string message, std::string topic = {}) {
    Json e = {{"op", "error"}, {"code", std::move(code)}, {"message", std::move(message)}};
    if (!topic.empty()) e["topic"] = std::move(topic);
    send(std::make_shared<const std::string>(e.dump()));
  }

  // On the strand: queue a message; start a write only if none is in flight.
  void send(std::shared_ptr<const std::string> msg) {
    if (closed_) return;
    if (queue_.size() >= opts_.maxWsQueue) {
      spdlog::warn("websocket client too slow, closing");
      closed_ = true;
      beast::get_lowest_layer(ws_).close();
      return;
    }
    queue_.push_back(std::move(msg));
    if (queue_.size() > 1) return;
    writeNext();
  }

  void writeNext() {
    ws_.text(true);
    ws_.async_write(asio::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) {
                        fail(ec, "ws write");
                        self->queue_.clear();
                        return;
                      }
                      self->hub_.metrics().wsMessageSent();
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->writeNext();
                    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  WsHub& hub_;
  const ServerOptions& opts_;
  WsAuth auth_;
  bool closed_ = false;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::unordered_map<std::string, Sub> subs_;
};

// ---------------------------------------------------------------------------------------------
// Hub

std::shared_ptr<const std::string> WsHub::render(const Event& e) {
  // data is already JSON text: splice it in rather than re-parsing.
  std::string s = R"({"op":"event","topic":)";
  s += Json(e.topic).dump();
  s += R"(,"seq":)" + std::to_string(e.seq) + R"(,"type":)" + Json(e.type).dump() + R"(,"data":)" +
       e.data + "}";
  return std::make_shared<const std::string>(std::move(s));
}

void WsHub::join(const std::shared_ptr<WsSession>& s) {
  std::lock_guard lk(mu_);
  sessions_.emplace(s.get(), s);
}

void WsHub::leave(WsSession* s) {
  std::lock_guard lk(mu_);
  sessions_.erase(s);
  // Only the session's own topics: walking every topic made each close O(topics).
  auto mine = topicsOf_.find(s);
  if (mine == topicsOf_.end()) return;
  for (const auto& topic : mine->second) {
    auto it = topics_.find(topic);
    if (it == topics_.end()) continue;
    it->second.erase(s);
    if (it->second.empty()) topics_.erase(it);
  }
  topicsOf_.erase(mine);
}

void WsHub::subscribe(const std::string& topic, const std::shared_ptr<WsSession>& s,
                      std::string identity) {
  std::lock_guard lk(mu_);
  topics_[topic][s.get()] = Follower{s, std::move(identity)};
  topicsOf_[s.get()].insert(topic);
}

size_t WsHub::relay(const std::string& topic, const std::string& identity,
                    std::shared_ptr<const std::string> message) {
  std::vector<std::weak_ptr<WsSession>> targets;
  {
    std::lock_guard lk(mu_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return 0;
    for (auto& [_, f] : it->second) {
      if (f.identity == identity) targets.push_back(f.session);
    }
  }
  size_t n = 0;
  for (auto& w : targets) {
    if (auto s = w.lock()) {
      s->sendRaw(message);
      ++n;
    }
  }
  return n;
}

void WsHub::unsubscribe(const std::string& topic, WsSession* s) {
  std::lock_guard lk(mu_);
  if (auto mine = topicsOf_.find(s); mine != topicsOf_.end()) mine->second.erase(topic);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  it->second.erase(s);
  if (it->second.empty()) topics_.erase(it);
}

void WsHub::publish(const std::vector<Event>& events) {
  metrics_.eventsPublished(events.size());
  std::vector<std::weak_ptr<WsSession>> targets;
  for (const auto& e : events) {
    auto wire = std::make_shared<const WireEvent>(WireEvent{e, render(e)});
    targets.clear();
    {
      std::lock_guard lk(mu_);
      auto it = topics_.find(e.topic);
      if (it == topics_.end()) continue;
      for (auto& [_, f] : it->second) targets.push_back(f.session);
    }
    for (auto& w : targets) {
      if (auto s = w.lock()) s->deliver(wire);
    }
  }
}

void WsHub::closeAll() {
  std::vector<std::weak_ptr<WsSession>> all;
  {
    std::lock_guard lk(mu_);
    for (auto& [_, w] : sessions_) all.push_back(w);
  }
  for (auto& w : all) {
    if (auto s = w.lock()) s->close();
  }
}

size_t WsHub::sessionCount() const {
  std::lock_guard lk(mu_);
  return sessions_.size();
}

// ---------------------------------------------------------------------------------------------
// HTTP

std::string clientAddress(const std::string& peer, std::string_view forwardedFor,
                          const std::vector<std::string>& trustedProxies) {
  if (forwardedFor.empty() ||
      std::find(trustedProxies.begin(), trustedProxies.end(), peer) == trustedProxies.end()) {
    return peer;
  }
  size_t comma = forwardedFor.rfind(',');
  std::string_view last =
      comma == std::string_view::npos ? forwardedFor : forwardedFor.substr(comma + 1);
  while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
  while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
  beast::error_code ec;
  auto addr = asio::ip::make_address(std::string(last), ec);
  return ec ? peer : addr.to_string();
}

struct HttpServer::Conn {
  explicit Conn(tcp::socket&& s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool busy = false;  // on the strand only
  bool upgraded = false;
  uint64_t id = 0;
};

HttpServer::HttpServer(std::vector<asio::io_context*> contexts, ServerOptions opts,
                       const http::Router& router, WsHub& hub, Metrics& metrics,
                       const StaticFiles& files)
    : contexts_(std::move(contexts)),
      ioc_(*contexts_.at(0)),
      opts_(std::move(opts)),
      router_(router),
      hub_(hub),
      metrics_(metrics),
      files_(files),
      acceptor_(asio::make_strand(ioc_)) {}

Result<uint16_t> HttpServer::start() {
  beast::error_code ec;
  auto addr = asio::ip::make_address(opts_.host, ec);
  if (ec) return makeError(Errc::kInvalid, "invalid host address: " + opts_.host);
  tcp::endpoint ep{addr, opts_.port};
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return makeError(Errc::kUnavailable, "cannot listen on " + opts_.host + ":" +
                                             std::to_string(opts_.port) + ": " + ec.message());
  }
  uint16_t port = acceptor_.local_endpoint().port();
  asio::co_spawn(acceptor_.get_executor(), acceptLoop(), asio::detached);
  return port;
}

asio::awaitable<void> HttpServer::acceptLoop() {
  for (;;) {
    beast::error_code ec;
    asio::io_context& target = *contexts_[nextContext_++ % contexts_.size()];
    tcp::socket socket =
        co_await acceptor_.async_accept(target, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
          ec == asio::error::no_memory) {
        // Out of file descriptors: retrying at once would spin. Wait for connections to end.
        spdlog::warn("accept: {} ({} connections open); pausing accepts for 100 ms",
                     ec.message(), metrics_.openConnections());
        asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      fail(ec, "accept");
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Conn>(std::move(socket));
    {
      std::lock_guard lk(mu_);
      conn->id = nextId_++;
      conns_.emplace(conn->id, conn);
    }
    metrics_.connectionOpened();
    auto ex = conn->stream.get_executor();
    asio::co_spawn(ex, runConnection(conn), asio::detached);
  }
}

void HttpServer::connectionDone(uint64_t id) {
  metrics_.connectionClosed();
  std::function<void()> idle;
  {
    std::lock_guard lk(mu_);
    conns_.erase(id);
    if (stopping_ && conns_.empty() && onIdle_) idle = std::exchange(onIdle_, nullptr);
  }
  if (idle) idle();
}

asio::awaitable<void> HttpServer::runConnection(std::shared_ptr<Conn> conn) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  std::string remote;
  {
    auto ep = conn->stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  for (;;) {
    if (stopping_) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opts_.maxHeaderBytes));
    parser.body_limit(opts_.maxBodyBytes);
    conn->stream.expires_after(opts_.readTimeout);
    co_await bhttp::async_read(conn->stream, buffer, parser,
                               asio::redirect_error(use_awaitable, ec));
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
      bool body = ec == bhttp::error::body_limit;
      http::Response res =
          http::error(body ? Errc::kPayloadTooLarge : Errc::kInvalid,
                      body ? "richiesta troppo grande" : "intestazioni troppo grandi");
      if (!body) res.result(bhttp::status::request_header_fields_too_large);
      res.keep_alive(false);
      addSecurityHeaders(res, "");
      metrics_.observeRequest(res.result_int(), 0);
      conn->stream.expires_after(std::chrono::seconds(5));
      co_await bhttp::async_write(conn->stream, res, asio::redirect_error(use_awaitable, ec));
      // Lingering close: the client may still be sending the body. Closing now would reset
      // the connection before it reads our answer, so stop sending and drain (bounded in
      // bytes and time) until it closes its side.
      conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      // On the heap: a buffer in the coroutine frame would cost every connection 16 KiB.
      std::vector<char> sink(16384);
      size_t drained = 0;
      while (!ec && drained < 16 * opts_.maxBodyBytes) {
        size_t n = co_await conn->stream.async_read_some(asio::buffer(sink),
                                                         asio::redirect_error(use_awaitable, ec));
        drained += n;
      }
      break;
    }
    if (ec) {
      fail(ec, "http read");
      break;
    }
    http::RawRequest req = parser.release();
    if (websocket::is_upgrade(req)) {
      std::string_view origin{req[bhttp::field::origin].data(), req[bhttp::field::origin].size()};
      std::string_view host{req[bhttp::field::host].data(), req[bhttp::field::host].size()};
      if (!origin.empty() && originPolicy_ && !originPolicy_(origin, host)) {
        http::Response res = http::error(Errc::kForbidden, "origine non ammessa");
        res.keep_alive(false);
        co_await bhttp::async_write(conn->stream, res, asio::redirect_error(use_awaitable, ec));
        break;
      }
      if (req.target() != "/api/v1/ws") {
        http::Response res = http::error(Errc::kNotFound, "endpoint WebSocket sconosciuto");
        res.keep_alive(false);
        co_await bhttp::async_write(conn->stream, res, asio::redirect_error(use_awaitable, ec));
        break;
      }
      WsAuth auth;
      auth.origin = std::string(origin);
      http::Request view{req, "/api/v1/ws", "", {}, remote};
      auth.sessionToken = std::string(view.cookie("sportello_session"));
      conn->stream.expires_never();
      conn->upgraded = true;
      auto ws =
          std::make_shared<WsSession>(conn->stream.release_socket(), hub_, opts_, std::move(auth));
      connectionDone(conn->id);  // counted as a WebSocket from now on
      // The session runs in its own coroutine so that this one's frame (parser, buffers) is
      // freed now rather than held for the WebSocket's whole life.
      auto ex = ws->executor();
      asio::co_spawn(ex, ws->run(std::move(req)), asio::detached);
      co_return;
    }
    conn->busy = true;
    auto t0 = std::chrono::steady_clock::now();
    http::Response res = co_await handle(req, remote);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    metrics_.observeRequest(res.result_int(), secs);
    res.version(req.version());
    res.keep_alive(req.keep_alive() && !stopping_);
    addSecurityHeaders(res, std::string_view(req.target().data(), req.target().size()));
    if (req.method() == bhttp::verb::head) {
      res.body().clear();
    }
    conn->stream.expires_after(opts_.readTimeout);
    co_await bhttp::async_write(conn->stream, res, asio::redirect_error(use_awaitable, ec));
    conn->busy = false;
    if (ec) {
      fail(ec, "http write");
      break;
    }
    if (!res.keep_alive()) break;
  }
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn->stream.close();
  connectionDone(conn->id);
}

void HttpServer::addSecurityHeaders(http::Response& res, std::string_view target) const {
  res.set(bhttp::field::server, "sportello");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "same-origin");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.set("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()");
  std::string ancestors = "'self'";
  if (frameAncestors_) ancestors = frameAncestors_(target.substr(0, target.find('?')));
  res.set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
          "connect-src 'self'; font-src 'self'; media-src 'self' blob:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors " +
              ancestors);
}

asio::awaitable<http::Response> HttpServer::handle(const http::RawRequest& req,
                                                   const std::string& remote) {
  std::string_view target{req.target().data(), req.target().size()};
  size_t q = target.find('?');
  std::string_view rawPath = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  auto decoded = http::urlDecode(rawPath, false);
  if (!decoded || decoded->empty() || decoded->front() != '/' ||
      decoded->find("..") != std::string::npos || decoded->find('\0') != std::string::npos) {
    co_return http::error(Errc::kInvalid, "percorso non valido");
  }
  std::string path = *decoded;
  bool isApi = path.rfind("/api/", 0) == 0;

  // State-changing requests from a browser must come from an allowed origin.
  bool unsafe = req.method() != bhttp::verb::get && req.method() != bhttp::verb::head &&
                req.method() != bhttp::verb::options;
  if (unsafe && originPolicy_) {
    auto o = req.find(bhttp::field::origin);
    if (o != req.end()) {
      std::string_view origin{o->value().data(), o->value().size()};
      std::string_view host{req[bhttp::field::host].data(), req[bhttp::field::host].size()};
      if (!originPolicy_(origin, host)) {
        co_return http::error(Errc::kForbidden, "origine della richiesta non ammessa");
      }
    }
  }

  if (!isApi && (req.method() == bhttp::verb::get || req.method() == bhttp::verb::head)) {
    if (const StaticFile* f = files_.find(path)) {
      auto inm = req.find(bhttp::field::if_none_match);
      if (inm != req.end() && inm->value() == f->etag) {
        http::Response res{bhttp::status::not_modified, 11};
        res.set(bhttp::field::etag, f->etag);
        res.set(bhttp::field::cache_control, f->cacheControl);
        co_return res;
      }
      http::Response res{bhttp::status::ok, 11};
      res.set(bhttp::field::content_type, f->contentType);
      res.set(bhttp::field::cache_control, f->cacheControl);
      res.set(bhttp::field::etag, f->etag);
      res.body() = f->body;
      res.prepare_payload();
      co_return res;
    }
  }
  auto method = req.method() == bhttp::verb::head ? bhttp::verb::get : req.method();
  auto m = router_.match(method, path);
  if (!m.handler) {
    if (m.methodNotAllowed) {
      http::Response res = http::error(Errc::kInvalid, "metodo non ammesso");
      res.result(bhttp::status::method_not_allowed);
      co_return res;
    }
    co_return http::error(Errc::kNotFound, "risorsa non trovata");
  }
  std::string client = clientAddress(
      remote, std::string_view(req["X-Forwarded-For"].data(), req["X-Forwarded-For"].size()),
      opts_.trustedProxies);
  http::Request r{req, path, query, std::move(m.params), client};
  if (isApi && unsafe && !req.body().empty()) {
    auto ct = r.header("Content-Type");
    if (ct.rfind("application/json", 0) != 0) {
      co_return http::error(Errc::kInvalid, "Content-Type deve essere application/json");
    }
  }
  try {
    auto sp_co_r0 = co_await (*m.handler)(r);
    co_return sp_co_r0;
  } catch (const std::exception& e) {
    // Handlers do not throw by design; if one does, answer 500 and keep the
    // server up.
    spdlog::error("handler {} threw: {}", m.pattern, e.what());
    co_return http::error(Errc::kInternal, "errore interno");
  }
}

namespace {
// Polls (20 ms, at most 2 s) until every WebSocket session has left the hub, then runs `done`.
// A free function, so that its arguments live in the coroutine frame.
asio::awaitable<void> waitForWebSockets(WsHub& hub, std::function<void()> done) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  for (int i = 0; i < 100 && hub.sessionCount() > 0; ++i) {
    t.expires_after(std::chrono::milliseconds(20));
    beast::error_code ec;
    co_await t.async_wait(asio::redirect_error(use_awaitable, ec));
  }
  done();
}
}  // namespace

void HttpServer::shutdown(std::function<void()> onIdle) {
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  hub_.closeAll();
  // WebSockets are not in conns_: once the HTTP connections are done, give the close
  // handshakes (going away) a moment to complete before the caller stops the I/O threads.
  auto afterWebSockets = [this, onIdle = std::move(onIdle)]() mutable {
    asio::co_spawn(ioc_, waitForWebSockets(hub_, std::move(onIdle)), asio::detached);
  };
  std::vector<std::shared_ptr<Conn>> live;
  {
    std::lock_guard lk(mu_);
    onIdle_ = std::move(afterWebSockets);
    for (auto& [_, w] : conns_) {
      if (auto c = w.lock()) live.push_back(c);
    }
    if (live.empty() && onIdle_) {
      auto f = std::exchange(onIdle_, nullptr);
      asio::post(ioc_, f);
    }
  }
  for (auto& c : live) {
    asio::post(c->stream.get_executor(), [c] {
      if (!c->busy && !c->upgraded) {
        beast::error_code ec;
        c->stream.socket().cancel(ec);
      }
    });
  }
}

}  // namespace sportello
