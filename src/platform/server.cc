#include "platform/server.h"

#include <sodium.h>
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

#include "platform/compress.h"
#include "platform/i18n.h"

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

std::string_view sv(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

// A dynamic answer (JSON, a calendar, CSV) of kCompressMinBytes or more leaves gzipped when the
// client accepts it. Static files come precompressed (staticAnswer) and already say so.
void compressAnswer(http::Response& res, std::string_view acceptEncoding) {
  if (res.body().size() < kCompressMinBytes || res.count(bhttp::field::content_encoding) ||
      res.count(bhttp::field::etag)) {
    return;  // small, already encoded, or a file with its own (identity) ETag
  }
  if (!compressibleType(sv(res[bhttp::field::content_type]))) return;
  res.set(bhttp::field::vary, "Accept-Encoding");
  if (chooseEncoding(acceptEncoding, false, true) != Encoding::kGzip) return;
  std::string z = gzipBody(res.body());
  if (z.empty() || z.size() >= res.body().size()) return;
  res.set(bhttp::field::content_encoding, "gzip");
  res.body() = std::move(z);
  res.prepare_payload();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// WebSocket session

struct SignalWait {
  explicit SignalWait(const asio::any_io_executor& ex) : timer(ex) {}
  uint64_t id = 0;  // set by WsHub::publishSignal
  asio::steady_timer timer;
  bool delivered = false;
};

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, WsHub& hub, const ServerOptions& opts, WsAuth auth,
            i18n::Lang lang)
      : ws_(std::move(socket)), hub_(hub), opts_(opts), auth_(std::move(auth)), lang_(lang) {}

  asio::awaitable<void> run(http::RawRequest req) {
    auto self = shared_from_this();
    // A peer that vanished without closing (network lost, laptop lid shut) is noticed within
    // a minute: Beast pings after 30 s of silence and drops the connection 30 s later. The
    // pages ping every 25 s. Liveness (who is still there) depends on it.
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = std::chrono::seconds(60);
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(opts_.maxWsMessageBytes);
    beast::error_code ec;
    co_await ws_.async_accept(req, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      fail(ec, "ws accept");
      co_return;
    }
    hub_.metrics().wsOpened();
    hub_.join(self);
    reauthTimer_.emplace(ws_.get_executor());
    asio::co_spawn(ws_.get_executor(), reauthLoop(), asio::detached);
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
    if (reauthTimer_) reauthTimer_->cancel();
    hub_.leave(this);
    hub_.metrics().wsClosed();
  }

  // Any thread: the hub took this session off `topics` because a right they depended on
  // ended; authorise each again (see platform/rights.h).
  void reauthorize(std::vector<std::string> topics) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), topics = std::move(topics)] {
      if (self->closed_) return;
      asio::co_spawn(self->ws_.get_executor(), self->reauth(topics, /*suspended=*/true),
                     asio::detached);
    });
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
    std::string token;     // the credential it was authorised with (kept to authorise again)
    int64_t last = 0;
    bool catchingUp = false;
    std::vector<std::shared_ptr<const WireEvent>> pending;
  };

  asio::awaitable<void> onMessage(const std::string& text) {
    auto parsed = parseStrictJson(text);
    Json msg = parsed.ok() ? std::move(parsed.value()) : Json();
    if (!parsed.ok() || !msg.is_object() || !msg.contains("op") || !msg["op"].is_string()) {
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
    // `since` N: replay every event after N (0: from the topic's first event, so a ticket or
    // a visit created at seq 0 misses nothing). No `since`: only what comes from now on.
    int64_t since = 0;
    bool fromNow = !msg.contains("since");
    if (!fromNow) {
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
    auto identity = co_await authorizeAndFollow(topic, token, since);
    if (!identity.ok()) {
      sendError(errcName(identity.error().code), identity.error().message, topic);
      co_return;
    }
    co_await catchUp(topic, /*initial=*/true, fromNow);
  }

  // Authorises `topic` and registers it with the hub — unless a right ended meanwhile, in
  // which case the answer may predate it: ask again. On success subs_[topic] is ready (with
  // `since` when it is new) and buffering live events until catchUp runs.
  asio::awaitable<Result<std::string>> authorizeAndFollow(const std::string& topic,
                                                          const std::string& token,
                                                          std::optional<int64_t> since) {
    auto self = shared_from_this();
    for (int attempt = 0; attempt < 8; ++attempt) {
      uint64_t generation = hub_.generation();
      std::string identity;
      if (hub_.authorizer()) {
        auto allowed = co_await hub_.authorizer()(auth_, topic, token);
        if (!allowed.ok()) co_return allowed.error();
        identity = std::move(allowed.value());
      }
      if (closed_) co_return makeError(Errc::kUnavailable, "connessione chiusa");
      // Authorising again a subscription the client dropped meanwhile: leave it dropped.
      if (!since && !subs_.count(topic)) co_return makeError(Errc::kNotFound, "non più seguito");
      if (!hub_.subscribe(topic, self, identity, generation)) continue;
      // No suspension between the hub registration and this: no live event can come first.
      auto& sub = subs_[topic];
      if (since) {
        sub.last = *since;
        sub.pending.clear();
      }
      sub.identity = identity;
      sub.token = token;
      sub.catchingUp = true;
      co_return identity;
    }
    co_return makeError(Errc::kUnavailable, "autorizzazione non riuscita: riprova");
  }

  // Authorises `topics` again. `suspended`: the hub already stopped delivering them (a right
  // ended); those that pass are followed again and catch up from where they were.
  asio::awaitable<void> reauth(std::vector<std::string> topics, bool suspended) {
    auto self = shared_from_this();
    for (const auto& topic : topics) {
      auto it = subs_.find(topic);
      if (it == subs_.end() || closed_) continue;
      std::string token = it->second.token;
      Result<std::string> r = makeError(Errc::kForbidden, "");
      if (suspended) {
        r = co_await authorizeAndFollow(topic, token, std::nullopt);
      } else if (hub_.authorizer()) {
        r = co_await hub_.authorizer()(auth_, topic, token);
      } else {
        r = std::string();
      }
      it = subs_.find(topic);
      if (it == subs_.end() || closed_) continue;
      if (!r.ok()) {
        subs_.erase(it);
        hub_.unsubscribe(topic, this);
        Json m = {{"op", "revoked"},
                  {"topic", topic},
                  {"code", errcName(r.error().code)},
                  {"message",
                   i18n::translate("accesso a questi aggiornamenti terminato: " + r.error().message,
                                   lang_)}};
        send(std::make_shared<const std::string>(m.dump()));
        continue;
      }
      if (suspended) co_await catchUp(topic, /*initial=*/false, /*fromNow=*/false);
    }
  }

  // Every wsReauthInterval (with jitter, so sessions do not all ask at once): authorise every
  // subscription that depends on a right again.
  asio::awaitable<void> reauthLoop() {
    auto self = shared_from_this();
    auto base = std::chrono::duration_cast<std::chrono::milliseconds>(opts_.wsReauthInterval);
    if (base.count() <= 0) co_return;
    for (;;) {
      auto jitter = std::chrono::milliseconds(
          randombytes_uniform(static_cast<uint32_t>(std::max<int64_t>(1, base.count() / 10))));
      reauthTimer_->expires_after(base + jitter);
      beast::error_code ec;
      co_await reauthTimer_->async_wait(asio::redirect_error(use_awaitable, ec));
      if (ec || closed_) co_return;
      std::vector<std::string> topics;
      for (const auto& [t, sub] : subs_) {
        if (!sub.identity.empty()) topics.push_back(t);
      }
      co_await reauth(std::move(topics), /*suspended=*/false);
    }
  }

  // A peer-to-peer message (WebRTC signalling): the sender is the identity this connection
  // subscribed to the topic with, never something in the payload; the policy says whether it
  // may be sent and to whom; nothing is stored. The recipient's sessions on this node get it
  // at once; with a signalling bus the other nodes get it too (WsHub::setSignalBus).
  asio::awaitable<void> onSignal(const std::string& topic, const Json& msg) {
    auto self = shared_from_this();
    for (int attempt = 0; attempt < 8; ++attempt) {
      // Read before anything is checked: a right that ends from here on makes relay() refuse.
      uint64_t generation = hub_.generation();
      auto it = subs_.find(topic);
      // The hub no longer counting this session among the topic's followers means a right it
      // depended on ended and is being checked again: nothing is relayed meanwhile.
      if (it == subs_.end() || it->second.identity.empty() || !hub_.follows(topic, this)) {
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
      auto here = hub_.relay(topic, route->to, WsHub::renderSignal(topic, route->from, msg["data"]),
                             generation);
      if (!here) continue;  // a right ended while the policy was asked: ask again
      if (!route->confirm) {
        // A hint: other tabs or nodes may hold the recipient, nobody waits for them.
        if (hub_.signalBus()) hub_.publishSignal(topic, identity, route->to, msg["data"], nullptr);
        co_return;
      }
      if (!hub_.signalBus()) {
        if (*here == 0) {
          hub_.metrics().signalUnavailable();
          sendError("unavailable", "l'altra parte non è collegata", topic);
        }
        co_return;
      }
      if (*here > 0) {
        // Another tab of the recipient may be on another node.
        hub_.publishSignal(topic, identity, route->to, msg["data"], nullptr);
        co_return;
      }
      auto wait = std::make_shared<SignalWait>(ws_.get_executor());
      hub_.publishSignal(topic, identity, route->to, msg["data"], wait);
      asio::co_spawn(ws_.get_executor(), awaitDelivery(topic, std::move(wait)), asio::detached);
      co_return;
    }
    sendError("unavailable", "segnalazione non inoltrata: riprova", topic);
  }

  // A signal this node could not deliver went to the other nodes: the sender hears
  // `unavailable` unless one of them delivers it within the hub's signalAckTimeout.
  asio::awaitable<void> awaitDelivery(std::string topic, std::shared_ptr<SignalWait> wait) {
    auto self = shared_from_this();
    if (!wait->delivered) {
      wait->timer.expires_after(hub_.signalAckTimeout());
      beast::error_code ec;
      co_await wait->timer.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    hub_.forgetSignalWait(wait->id);
    if (!wait->delivered) {
      hub_.metrics().signalUnavailable();
      sendError("unavailable", "l'altra parte non è collegata", topic);
    }
  }

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
      auto job = [topic, from](sql::Connection& c) {
        return eventlog::replay(c, topic, from, kReplayPage);
      };
      auto r = co_await hub_.db().read<eventlog::Replay>(std::move(job));
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
        if (e.seq <= sub.last) continue;  // another catch-up of this topic sent it already
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
    Json e = {
        {"op", "error"}, {"code", std::move(code)}, {"message", i18n::translate(message, lang_)}};
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
  i18n::Lang lang_;  // of the upgrade request: the language of the error frames
  bool closed_ = false;
  std::optional<asio::steady_timer> reauthTimer_;
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

bool WsHub::subscribe(const std::string& topic, const std::shared_ptr<WsSession>& s,
                      std::string identity, std::optional<uint64_t> generation) {
  std::lock_guard lk(mu_);
  if (generation && *generation != generation_) return false;
  topics_[topic][s.get()] = Follower{s, std::move(identity)};
  topicsOf_[s.get()].insert(topic);
  return true;
}

bool WsHub::follows(const std::string& topic, WsSession* s) const {
  std::lock_guard lk(mu_);
  auto it = topics_.find(topic);
  return it != topics_.end() && it->second.count(s) > 0;
}

uint64_t WsHub::generation() const {
  std::lock_guard lk(mu_);
  return generation_;
}

std::vector<std::pair<std::weak_ptr<WsSession>, std::vector<std::string>>> WsHub::revokeLocked(
    const Event& e) {
  ++generation_;
  std::unordered_map<WsSession*, std::pair<std::weak_ptr<WsSession>, std::vector<std::string>>> hit;
  Json d = Json::parse(e.data, nullptr, false);
  auto drop = [&](const std::string& topic, WsSession* s, const std::weak_ptr<WsSession>& w) {
    auto& h = hit[s];
    h.first = w;
    h.second.push_back(topic);
    if (auto mine = topicsOf_.find(s); mine != topicsOf_.end()) mine->second.erase(topic);
  };
  if (e.type == "rights.staff" && d.is_object() && d.contains("operator_id") &&
      d["operator_id"].is_string()) {
    std::string identity = "staff:" + d["operator_id"].get<std::string>();
    for (auto it = topics_.begin(); it != topics_.end();) {
      for (auto f = it->second.begin(); f != it->second.end();) {
        if (f->second.identity == identity) {
          drop(it->first, f->first, f->second.session);
          f = it->second.erase(f);
        } else {
          ++f;
        }
      }
      it = it->second.empty() ? topics_.erase(it) : std::next(it);
    }
  } else if (e.type == "rights.topic" && d.is_object() && d.contains("topic") &&
             d["topic"].is_string()) {
    auto it = topics_.find(d["topic"].get<std::string>());
    if (it != topics_.end()) {
      for (auto& [ptr, f] : it->second) drop(it->first, ptr, f.session);
      topics_.erase(it);
    }
  }
  std::vector<std::pair<std::weak_ptr<WsSession>, std::vector<std::string>>> out;
  for (auto& [_, h] : hit) out.push_back(std::move(h));
  return out;
}

std::optional<size_t> WsHub::relay(const std::string& topic, const std::string& identity,
                                   std::shared_ptr<const std::string> message,
                                   uint64_t generation) {
  std::vector<std::weak_ptr<WsSession>> targets;
  {
    std::lock_guard lk(mu_);
    if (generation != generation_) return std::nullopt;
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

std::shared_ptr<const std::string> WsHub::renderSignal(const std::string& topic,
                                                       const std::string& from, const Json& data) {
  Json out = {{"op", "signal"}, {"topic", topic}, {"from", from}, {"data", data}};
  return std::make_shared<const std::string>(out.dump());
}

// ---------------------------------------------------------------------------------------------
// Signalling between nodes. On the bus, a signal is
//   {"signal":ID,"node":N,"ack":B,"topic":T,"sender":S,"to":R,"data":D}
// (N the publishing node, S and R identities) and a node that delivered a signal with "ack"
// answers {"delivered":ID,"node":N}. The receiving node trusts none of it blindly: it asks its
// own signal policy again, as the sender's node did, and delivers only if the sender may still
// send on T and the policy still routes it to R; then only to the sessions following T as R.

void WsHub::setSignalBus(SignalBus* bus, asio::any_io_executor executor,
                         std::chrono::milliseconds ackTimeout) {
  bus_ = bus;
  signalExecutor_ = std::move(executor);
  ackTimeout_ = ackTimeout;
}

void WsHub::publishSignal(const std::string& topic, const std::string& sender,
                          const std::string& to, const Json& data,
                          const std::shared_ptr<SignalWait>& wait) {
  if (!bus_) return;
  uint64_t id = nextSignalId_++;
  if (wait) {
    wait->id = id;
    std::lock_guard lk(signalMu_);
    waits_[id] = wait;
  }
  Json m = {{"signal", id},   {"node", db_.nodeId()}, {"ack", wait != nullptr},
            {"topic", topic}, {"sender", sender},     {"to", to},
            {"data", data}};
  metrics_.signalPublished();
  bus_->publish(m.dump());
}

void WsHub::forgetSignalWait(uint64_t id) {
  std::lock_guard lk(signalMu_);
  waits_.erase(id);
}

void WsHub::receiveSignal(std::string message) {
  Json m = Json::parse(message, nullptr, false);
  if (!m.is_object() || !m.contains("node") || !m["node"].is_string()) return;
  if (m.contains("delivered")) {
    if (!m["delivered"].is_number_unsigned() || m["node"].get<std::string>() != db_.nodeId()) {
      return;
    }
    std::shared_ptr<SignalWait> wait;
    {
      std::lock_guard lk(signalMu_);
      auto it = waits_.find(m["delivered"].get<uint64_t>());
      if (it == waits_.end()) return;
      wait = it->second.lock();
      waits_.erase(it);
    }
    if (!wait) return;
    asio::post(wait->timer.get_executor(), [wait] {
      wait->delivered = true;
      wait->timer.cancel();
    });
    return;
  }
  auto text = [&](const char* k) { return m.contains(k) && m[k].is_string(); };
  if (!m.contains("signal") || !m["signal"].is_number_unsigned() || !text("topic") ||
      !text("sender") || !text("to") || !m.contains("data") || !m["data"].is_object() ||
      !m.contains("ack") || !m["ack"].is_boolean()) {
    spdlog::warn("signal bus: malformed message dropped");
    return;
  }
  InboundSignal s;
  s.node = m["node"].get<std::string>();
  s.id = m["signal"].get<uint64_t>();
  s.ack = m["ack"].get<bool>();
  s.topic = m["topic"].get<std::string>();
  s.sender = m["sender"].get<std::string>();
  s.to = m["to"].get<std::string>();
  s.data = std::move(m["data"]);
  {
    // Most signals are for another node's sessions: nothing to ask the database for.
    std::lock_guard lk(mu_);
    auto it = topics_.find(s.topic);
    if (it == topics_.end()) return;
    bool here = false;
    for (const auto& [_, f] : it->second) here = here || f.identity == s.to;
    if (!here) return;
  }
  std::string topic = s.topic;
  bool start = false;
  {
    std::lock_guard lk(signalMu_);
    auto [it, added] = inbound_.try_emplace(topic);
    start = added;
    it->second.push_back(std::move(s));
  }
  if (start) asio::co_spawn(signalExecutor_, drainSignals(std::move(topic)), asio::detached);
}

// One topic's signals from other nodes, one after the other: a sender's candidates reach the
// recipient in the order they were sent.
asio::awaitable<void> WsHub::drainSignals(std::string topic) {
  for (;;) {
    InboundSignal s;
    {
      std::lock_guard lk(signalMu_);
      auto it = inbound_.find(topic);
      if (it->second.empty()) {
        inbound_.erase(it);
        co_return;
      }
      s = std::move(it->second.front());
      it->second.pop_front();
    }
    co_await deliverRemote(std::move(s));
  }
}

asio::awaitable<void> WsHub::deliverRemote(InboundSignal s) {
  if (!signalPolicy_) co_return;
  for (int attempt = 0; attempt < 8; ++attempt) {
    uint64_t generation = this->generation();
    auto route = co_await signalPolicy_(s.topic, s.sender, s.data);
    // The sender is no longer a party, or the recipient is not (a transfer, an end).
    if (!route.ok() || route->to != s.to) co_return;
    auto n = relay(s.topic, s.to, renderSignal(s.topic, route->from, s.data), generation);
    if (!n) continue;  // a right ended meanwhile: ask again
    if (*n > 0) metrics_.signalReceived();
    if (*n > 0 && s.ack) bus_->publish(Json({{"delivered", s.id}, {"node", s.node}}).dump());
    co_return;
  }
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
    if (e.topic == kRightsTopic) {
      // In commit order with the other events: nothing published after the right ended
      // reaches a subscription that depended on it.
      std::vector<std::pair<std::weak_ptr<WsSession>, std::vector<std::string>>> hit;
      {
        std::lock_guard lk(mu_);
        hit = revokeLocked(e);
      }
      for (auto& [w, topics] : hit) {
        if (auto s = w.lock()) s->reauthorize(std::move(topics));
      }
      continue;
    }
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

std::vector<std::string> WsHub::liveIdentities() const {
  std::unordered_set<std::string> seen;
  std::lock_guard lk(mu_);
  for (const auto& [topic, followers] : topics_) {
    for (const auto& [ptr, f] : followers) {
      if (!f.identity.empty() && !f.session.expired()) seen.insert(f.identity);
    }
  }
  return {seen.begin(), seen.end()};
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
    // Read until the header block is complete and check its raw bytes (http::scanHeader)
    // before Beast parses it: a request it would read leniently is answered 400 instead.
    std::optional<http::Response> refuse;
    std::optional<i18n::Lang> lineLang;  // ?lang= of the request line, for a refusal
    for (;;) {
      std::string_view have{static_cast<const char*>(buffer.data().data()), buffer.size()};
      auto scan = http::scanHeader(have, opts_.maxHeaderBytes);
      // The request line's ?lang=, in case the request is refused before Beast has read its
      // header (looked for only when refused here, or when the line says "lang=").
      if (scan.state == http::HeaderScan::State::kBad ||
          scan.state == http::HeaderScan::State::kTooLarge ||
          (scan.state == http::HeaderScan::State::kComplete &&
           have.substr(0, have.find('\n')).find("lang=") != std::string_view::npos)) {
        if (auto query = http::requestLineQuery(have)) lineLang = i18n::queryLang(*query);
      }
      if (scan.state == http::HeaderScan::State::kComplete) {
        // Empty lines before the request line are ignored (RFC 9112 §2.2).
        size_t blank = 0;
        while (blank + 1 < have.size() && have[blank] == '\r' && have[blank + 1] == '\n')
          blank += 2;
        buffer.consume(blank);
        break;
      }
      if (scan.state == http::HeaderScan::State::kBad) {
        refuse = http::error(Errc::kInvalid, "richiesta HTTP non valida: " + scan.why);
        break;
      }
      if (scan.state == http::HeaderScan::State::kTooLarge) {
        refuse = http::error(Errc::kInvalid, "intestazioni troppo grandi");
        refuse->result(bhttp::status::request_header_fields_too_large);
        break;
      }
      size_t n = co_await conn->stream.async_read_some(buffer.prepare(4096),
                                                       asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      buffer.commit(n);
    }
    if (!refuse && !ec) {
      co_await bhttp::async_read(conn->stream, buffer, parser,
                                 asio::redirect_error(use_awaitable, ec));
    }
    if (!refuse && ec == bhttp::error::body_limit) {
      refuse = http::error(Errc::kPayloadTooLarge, "richiesta troppo grande");
    } else if (!refuse && ec == bhttp::error::header_limit) {
      refuse = http::error(Errc::kInvalid, "intestazioni troppo grandi");
      refuse->result(bhttp::status::request_header_fields_too_large);
    } else if (!refuse && ec &&
               ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
               ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      // Malformed framing Beast refused (two Content-Lengths, Content-Length with chunked,
      // a bad chunk, a bad version…): say so, then close.
      refuse = http::error(Errc::kInvalid, "richiesta HTTP non valida: " + ec.message());
    } else if (!refuse && !ec) {
      const auto& h = parser.get();
      size_t hosts = h.count(bhttp::field::host);
      if (hosts > 1 || (hosts == 0 && h.version() >= 11)) {
        refuse =
            http::error(Errc::kInvalid, hosts > 1 ? "richiesta HTTP non valida: Host ripetuto"
                                                  : "richiesta HTTP non valida: Host mancante");
      }
    }
    if (refuse) {
      http::Response& res = *refuse;
      res.keep_alive(false);
      // In the request's language when its header was read; before that only a well-formed
      // request line's ?lang= can be known, and without one the answer says it in both.
      if (parser.is_header_done()) {
        i18n::localizeError(res, i18n::requestLang(parser.get()));
      } else if (lineLang) {
        i18n::localizeError(res, *lineLang);
      } else {
        i18n::localizeErrorBilingual(res);
      }
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
      i18n::Lang lang = i18n::requestLang(req);
      OriginCheck oc{true, true, {}};
      if (!origin.empty() && originPolicy_) oc = originPolicy_(origin, host);
      if (!oc.allowed) {
        http::Response res = http::error(Errc::kForbidden, "origine non ammessa");
        res.keep_alive(false);
        i18n::localizeError(res, lang);
        co_await bhttp::async_write(conn->stream, res, asio::redirect_error(use_awaitable, ec));
        break;
      }
      // A query string may only say the language (?lang=en, see platform/i18n.h).
      std::string_view wsTarget{req.target().data(), req.target().size()};
      if (wsTarget.substr(0, wsTarget.find('?')) != "/api/v1/ws") {
        http::Response res = http::error(Errc::kNotFound, "endpoint WebSocket sconosciuto");
        res.keep_alive(false);
        i18n::localizeError(res, lang);
        co_await bhttp::async_write(conn->stream, res, asio::redirect_error(use_awaitable, ec));
        break;
      }
      WsAuth auth;
      auth.origin = std::string(origin);
      http::Request view{req, "/api/v1/ws", "", {}, remote};
      if (oc.firstParty) {
        auth.sessionToken = std::string(view.cookie(kSessionCookie));
      } else {
        auth.crossOrigin = true;
        auth.embedEnti = std::move(oc.enti);
      }
      conn->stream.expires_never();
      conn->upgraded = true;
      auto ws = std::make_shared<WsSession>(conn->stream.release_socket(), hub_, opts_,
                                            std::move(auth), lang);
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
    // Every error answer leaves in the request's language (the one place: platform/i18n.h).
    i18n::localizeError(res, i18n::requestLang(req));
    compressAnswer(res, sv(req[bhttp::field::accept_encoding]));
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

  // State-changing requests from a browser must come from an allowed origin; an ente's
  // embedding origin only for that ente's citizen side, and never with our cookies.
  bool unsafe = req.method() != bhttp::verb::get && req.method() != bhttp::verb::head &&
                req.method() != bhttp::verb::options;
  bool crossOrigin = false;
  if (auto o = req.find(bhttp::field::origin); o != req.end() && originPolicy_) {
    std::string_view origin{o->value().data(), o->value().size()};
    std::string_view host{req[bhttp::field::host].data(), req[bhttp::field::host].size()};
    OriginCheck oc = originPolicy_(origin, host);
    if (!oc.firstParty) {
      crossOrigin = true;
      if (unsafe && !oc.allowed) {
        co_return http::error(Errc::kForbidden, "origine della richiesta non ammessa");
      }
      // /api/v1/enti/{slug}/…: only the enti that list this origin.
      constexpr std::string_view kEnti = "/api/v1/enti/";
      if (unsafe && path.rfind(kEnti, 0) == 0) {
        std::string_view rest = std::string_view(path).substr(kEnti.size());
        std::string_view slug = rest.substr(0, rest.find('/'));
        if (std::find(oc.enti.begin(), oc.enti.end(), slug) == oc.enti.end()) {
          co_return http::error(Errc::kForbidden,
                                "origine della richiesta non ammessa per questo ente");
        }
      }
    }
  }

  if (!isApi && (req.method() == bhttp::verb::get || req.method() == bhttp::verb::head)) {
    if (const StaticFile* f = files_.find(path)) {
      co_return staticAnswer(*f, sv(req[bhttp::field::accept_encoding]),
                             sv(req[bhttp::field::if_none_match]));
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
  r.crossOrigin = crossOrigin;
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
