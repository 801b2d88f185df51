// Load generator for the virtual reception (docs/API.md, "Virtual reception"): one process,
// one io_context per thread, many connections. It measures what the waiting room costs the
// server and how fast the two real-time paths are while it is full:
//   - RSS per connection: the server's VmRSS before and after N citizens connect and subscribe;
//   - admit → "your turn": from the moment an operator's admit request is written to the moment
//     that citizen's WebSocket receives visit.admitted, while N citizens wait and follow the
//     office queue (so every admission is also a queue.left broadcast to all of them);
//   - chat: L admitted citizens each POST one message a second; from the moment the POST is
//     written to the moment the operator's WebSocket receives the `message` event.
// Scenario `directory` needs no reception endpoints: N connections follow the public topic
// ente:{slug}:directory and an admin edits an office description R times (fan-out to N).
//
// Citizen sockets are bound to 127.0.0.2, .3, … (--per-source each, default 5000) before
// connecting, so the ephemeral ports of one source address are never exhausted (and the
// kernel's search for a free port stays short: 18,500 connections from one source address took
// 17.8 s to open, from four 4.3 s). Every process needs one file
// descriptor per connection: raise `ulimit -n` (bench/reception_run.sh does).
//
//   reception_load --port P --server-pid PID [--scenario reception|directory] [--citizens N]
//                  [--operator user:password]… [--admissions A] [--chat L] …   (see --help)
// Prints one JSON line (prefix "RESULT ") and a human summary.
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <queue>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using Json = nlohmann::json;

namespace {

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
double msOf(int64_t ns) { return static_cast<double>(ns) / 1e6; }

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
  std::string scenario = "reception";
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string ente = "esempio";
  std::vector<std::string> offices{"urp"};
  std::string mode = "chat";
  int citizens = 1000;
  int perSource = 5000;
  int threads = 2;
  int httpConns = 64;
  int knockRotate = 25;  // knocks per source address (server default: 30 per address per hour)
  int openers = 256;  // concurrent WebSocket handshakes (directory scenario)
  std::vector<std::string> operators;  // user:password
  std::string opPrefix;                // or generated: prefix001…
  int opCount = 0;
  std::string opPassword;
  std::string admitMode = "id";  // id | next | desk (the one line's call-next of a remote desk)
  int admissions = 200;
  double admitRate = 10;  // admissions per second, all operators together
  bool unsubscribeQueue = true;
  std::string connectOrder = "interleaved";  // interleaved | after
  std::string queueSince = "knock";          // knock | now
  int chatLive = 2000;
  int chatSeconds = 20;
  double chatRate = 1.0;  // messages per second per live citizen
  int chatHttpConns = 500;
  int rounds = 20;  // directory scenario
  std::string admin = "admin:admin-demo-2026";
  int serverPid = 0;
  int phaseTimeout = 600;
  double settle = 2.0;
  std::string label;
};

// ---------------------------------------------------------------------------------------------
// Statistics

// Log-bucketed histogram (2 % resolution), lock-free: for the millions of fan-out deliveries.
class Histo {
 public:
  void add(int64_t ns) {
    double us = std::max<double>(1.0, static_cast<double>(ns) / 1e3);
    int i = static_cast<int>(std::log(us) / std::log(kBase));
    i = std::clamp(i, 0, kN - 1);
    b_[i].fetch_add(1, std::memory_order_relaxed);
    n_.fetch_add(1, std::memory_order_relaxed);
    int64_t m = max_.load(std::memory_order_relaxed);
    while (ns > m && !max_.compare_exchange_weak(m, ns)) {
    }
  }
  uint64_t count() const { return n_.load(); }
  double maxMs() const { return msOf(max_.load()); }
  double pctMs(double p) const {
    uint64_t n = n_.load();
    if (n == 0) return 0;
    uint64_t want = static_cast<uint64_t>(std::ceil(p * static_cast<double>(n)));
    uint64_t cum = 0;
    for (int i = 0; i < kN; ++i) {
      cum += b_[i].load();
      if (cum >= want) return std::pow(kBase, i + 0.5) / 1e3;
    }
    return maxMs();
  }

 private:
  static constexpr double kBase = 1.02;
  static constexpr int kN = 1200;  // up to ~20 000 s
  std::array<std::atomic<uint64_t>, kN> b_{};
  std::atomic<uint64_t> n_{0};
  std::atomic<int64_t> max_{0};
};

struct Sample {
  std::mutex mu;
  std::vector<double> ms;
  void add(double v) {
    std::lock_guard lk(mu);
    ms.push_back(v);
  }
};

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

Json summary(const std::vector<double>& v) {
  if (v.empty()) return Json{{"n", 0}};
  return Json{{"n", v.size()},
              {"p50_ms", pct(v, 0.5)},
              {"p99_ms", pct(v, 0.99)},
              {"max_ms", pct(v, 1.0)}};
}
Json summary(const Histo& h) {
  return Json{{"n", h.count()},
              {"p50_ms", h.pctMs(0.5)},
              {"p99_ms", h.pctMs(0.99)},
              {"max_ms", h.maxMs()}};
}

long readRssKb(int pid) {
  if (pid <= 0) return 0;
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// Server CPU time (user + system) in seconds.
double readCpuS(int pid) {
  if (pid <= 0) return 0;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t p = s.rfind(')');
  if (p == std::string::npos) return 0;
  std::istringstream in(s.substr(p + 2));
  std::string tok;
  long ut = 0, st = 0;
  for (int field = 3; in >> tok; ++field) {
    if (field == 14) ut = std::stol(tok);
    if (field == 15) {
      st = std::stol(tok);
      break;
    }
  }
  return static_cast<double>(ut + st) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// ---------------------------------------------------------------------------------------------
// Global state shared by the connections (atomics; the vectors are sized before the threads
// touch them).

struct Group {
  std::atomic<int> knocked{0}, knockFailed{0}, subscribed{0}, wsFailed{0}, admitted{0};
  bool followQueue = true;  // the chat group is admitted at once: it follows its visit only
};

struct Citizen;
std::vector<std::pair<std::string, int64_t>> citizenTopics(const Citizen* c);

struct Citizen {
  int idx = 0;
  Group* group = nullptr;
  std::string visitId, token, queueTopic;
  int64_t queueSeq = 0;
  int64_t knockNo = 0;
  std::atomic<int64_t> admitSentNs{0};  // set by the operator side
  std::atomic<int64_t> admittedNs{0};   // set by the citizen's WebSocket
  std::atomic<int> ready{0};            // 1 subscribed to every topic, 2 failed
  std::shared_ptr<websocket::stream<beast::tcp_stream>> ws;  // touched on its context only
};

struct Stats {
  std::atomic<int64_t> wsMessages{0}, queueEvents{0}, queueJoined{0}, queueLeft{0},
      visitEvents{0}, errors{0}, resyncs{0}, closedByServer{0}, citizenEchoes{0},
      queueSubscribers{0}, httpRetries{0};
  std::mutex mu;
  std::vector<std::string> firstErrors;  // GUARDED_BY(mu)
  void error(std::string e) {
    errors++;
    std::lock_guard lk(mu);
    if (firstErrors.size() < 8) firstErrors.push_back(std::move(e));
  }
};

Options g_opt;
Stats g_st;
std::atomic<bool> g_stopping{false};

// queue.left fan-out by knock number (knock numbers are small integers).
constexpr int64_t kMaxKnock = 1 << 20;
std::unique_ptr<std::atomic<int64_t>[]> g_leftSent;  // admit written (ns)
std::unique_ptr<std::atomic<int64_t>[]> g_leftLast;  // last delivery (ns)
std::unique_ptr<std::atomic<int32_t>[]> g_leftCount;
std::unique_ptr<std::atomic<int32_t>[]> g_leftExpected;
Histo g_leftDelivery;  // every queue.left delivery: admit written → received

// directory scenario: the current round's PATCH write time.
std::atomic<int64_t> g_roundSent{0};
std::atomic<int> g_roundCount{0};
std::atomic<int64_t> g_roundLast{0};
Histo g_dirDelivery;

// chat
Sample g_chatLat;      // POST written → operator WebSocket got the message
Sample g_chatPostLat;  // POST written → 201 read
Sample g_chatLag;      // scheduled → written (generator falling behind)
std::atomic<int64_t> g_chatSent{0}, g_chatOk{0}, g_chatFailed{0}, g_chatReceived{0};
std::atomic<int64_t> g_chatLastDone{0};

std::vector<std::unique_ptr<asio::io_context>> g_ctx;
asio::io_context& ctxFor(int i) { return *g_ctx[static_cast<size_t>(i) % g_ctx.size()]; }

std::string hostHeader() { return g_opt.host + ":" + std::to_string(g_opt.port); }
std::string origin() { return "http://" + hostHeader(); }

asio::ip::address citizenSource(int idx) {
  unsigned v = 2u + static_cast<unsigned>(idx / g_opt.perSource);  // 127.0.0.2, .3, …
  return asio::ip::make_address_v4(
      static_cast<asio::ip::address_v4::uint_type>((127u << 24) | ((v >> 8) << 8) | (v & 255u)));
}
// HTTP pool and operators: 127.0.10.x and 127.0.20.x (spread, one per connection).
asio::ip::address poolSource(int base, int w) {
  return asio::ip::make_address_v4(static_cast<asio::ip::address_v4::uint_type>(
      (127u << 24) | (static_cast<unsigned>(base) << 8) | static_cast<unsigned>(1 + w % 250)));
}

// Knocks come from 127.1.x.y, a new address every --knock-rotate knocks: the server accepts
// at most knocks_per_address_per_hour (default 30) from one address.
std::atomic<unsigned> g_knockSrc{0};
asio::ip::address knockSource() {
  unsigned n = g_knockSrc++;
  return asio::ip::make_address_v4(static_cast<asio::ip::address_v4::uint_type>(
      (127u << 24) | (1u << 16) | ((n / 250) << 8) | (1 + n % 250)));
}

using BindNoPort = asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;

awaitable<beast::error_code> connectFrom(tcp::socket& s, asio::ip::address src) {
  beast::error_code ec;
  s.open(tcp::v4(), ec);
  if (ec) co_return ec;
  s.set_option(BindNoPort(true), ec);
  s.bind(tcp::endpoint(src, 0), ec);
  if (ec) co_return ec;
  tcp::endpoint dst(asio::ip::make_address(g_opt.host), g_opt.port);
  co_await s.async_connect(dst, asio::redirect_error(use_awaitable, ec));
  if (!ec) s.set_option(tcp::no_delay(true), ec);
  co_return ec;
}

// ---------------------------------------------------------------------------------------------
// HTTP/1.1 keep-alive client connection (one request at a time).

struct HttpResult {
  int status = 0;
  std::string body;
  std::vector<std::string> setCookies;
  beast::error_code ec;
  Json json() const {
    Json j = Json::parse(body, nullptr, false);
    return j.is_discarded() ? Json() : j;
  }
};

class HttpConn {
 public:
  HttpConn(asio::any_io_executor ex, asio::ip::address src) : ex_(std::move(ex)), src_(src) {}

  // `sentNs` (optional) receives the time right before the request is written.
  awaitable<HttpResult> request(bhttp::verb verb, std::string target, std::string body,
                                std::vector<std::pair<std::string, std::string>> headers,
                                std::atomic<int64_t>* sentNs = nullptr) {
    HttpResult out;
    for (int attempt = 0; attempt < 2; ++attempt) {
      bool fresh = false;
      if (!stream_ || nowNs() - lastUse_ > 20'000'000'000LL) {  // server idle timeout is 30 s
        stream_.emplace(ex_);
        beast::error_code ec = co_await connectFrom(stream_->socket(), src_);
        if (ec) {
          stream_.reset();
          out.ec = ec;
          co_return out;
        }
        fresh = true;
      }
      bhttp::request<bhttp::string_body> req{verb, target, 11};
      req.set(bhttp::field::host, hostHeader());
      req.set(bhttp::field::user_agent, "sportello-reception-load");
      for (auto& [k, v] : headers) req.set(k, v);
      if (!body.empty()) {
        req.set(bhttp::field::content_type, "application/json");
        req.body() = body;
      }
      req.keep_alive(true);
      req.prepare_payload();
      stream_->expires_after(std::chrono::seconds(60));
      if (sentNs) sentNs->store(nowNs());
      beast::error_code ec;
      co_await bhttp::async_write(*stream_, req, asio::redirect_error(use_awaitable, ec));
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(64 << 20);
      if (!ec) {
        co_await bhttp::async_read(*stream_, buf_, parser, asio::redirect_error(use_awaitable, ec));
      }
      if (ec) {
        stream_.reset();
        buf_.clear();
        out.ec = ec;
        if (!fresh) {  // a kept-alive connection the server had closed: retry once
          g_st.httpRetries++;
          continue;
        }
        co_return out;
      }
      auto res = parser.release();
      out.ec = {};
      out.status = res.result_int();
      out.body = std::move(res.body());
      auto range = res.equal_range(bhttp::field::set_cookie);
      for (auto it = range.first; it != range.second; ++it) {
        out.setCookies.emplace_back(it->value());
      }
      lastUse_ = nowNs();
      if (!res.keep_alive()) stream_.reset();
      co_return out;
    }
    co_return out;
  }

 private:
  asio::any_io_executor ex_;
  asio::ip::address src_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buf_;
  int64_t lastUse_ = 0;
};

std::string describe(const HttpResult& r) {
  if (r.ec) return "network: " + r.ec.message();
  return std::to_string(r.status) + " " + r.body.substr(0, 300);
}

// ---------------------------------------------------------------------------------------------
// WebSocket helpers

using WsStream = websocket::stream<beast::tcp_stream>;

awaitable<beast::error_code> wsOpen(WsStream& ws, asio::ip::address src, std::string cookie) {
  beast::error_code ec = co_await connectFrom(beast::get_lowest_layer(ws).socket(), src);
  if (ec) co_return ec;
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  std::string org = origin();
  auto decorate = [org, cookie](websocket::request_type& req) {
    req.set(bhttp::field::origin, org);
    req.set(bhttp::field::user_agent, "sportello-reception-load");
    if (!cookie.empty()) req.set(bhttp::field::cookie, "sportello_session=" + cookie);
  };
  ws.set_option(websocket::stream_base::decorator(decorate));
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(60));
  co_await ws.async_handshake(hostHeader(), "/api/v1/ws", asio::redirect_error(use_awaitable, ec));
  beast::get_lowest_layer(ws).expires_never();
  co_return ec;
}

awaitable<beast::error_code> wsSend(WsStream& ws, const std::string& text) {
  beast::error_code ec;
  ws.text(true);
  co_await ws.async_write(asio::buffer(text), asio::redirect_error(use_awaitable, ec));
  co_return ec;
}

// since < 0: only what comes from now on (no "since" sent; since 0 replays from the start).
std::string subscribeMsg(const std::string& topic, int64_t since, const std::string& token) {
  Json j = {{"op", "subscribe"}, {"topic", topic}};
  if (since >= 0) j["since"] = since;
  if (!token.empty()) j["token"] = token;
  return j.dump();
}

bool has(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}
int64_t intAfter(std::string_view s, std::string_view key) {
  size_t p = s.find(key);
  if (p == std::string_view::npos) return -1;
  p += key.size();
  int64_t v = 0;
  bool any = false;
  while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
    v = v * 10 + (s[p++] - '0');
    any = true;
  }
  return any ? v : -1;
}

// ---------------------------------------------------------------------------------------------
// Citizen: open the WebSocket, subscribe, then read until the end of the run.

awaitable<void> runCitizen(Citizen* c, std::vector<std::pair<std::string, int64_t>> topics,
                           std::string token) {
  auto ex = co_await asio::this_coro::executor;
  c->ws = std::make_shared<WsStream>(ex);
  auto ws = c->ws;
  beast::error_code ec = co_await wsOpen(*ws, citizenSource(c->idx), "");
  if (ec) {
    c->group->wsFailed++;
    c->ready = 2;
    g_st.error("citizen ws open: " + ec.message());
    co_return;
  }
  for (auto& [topic, since] : topics) {
    std::string tok = topic.rfind("visit:", 0) == 0 ? token : std::string();
    ec = co_await wsSend(*ws, subscribeMsg(topic, since, tok));
    if (ec) break;
  }
  size_t acks = 0;
  bool inQueue = false;
  beast::flat_buffer buf;
  while (!ec) {
    co_await ws->async_read(buf, asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    int64_t t = nowNs();
    std::string_view m(static_cast<const char*>(buf.data().data()), buf.size());
    g_st.wsMessages.fetch_add(1, std::memory_order_relaxed);
    bool unsubscribe = false;
    if (has(m, R"("op":"event")")) {
      if (has(m, R"("topic":"office:)")) {
        g_st.queueEvents.fetch_add(1, std::memory_order_relaxed);
        if (has(m, R"("type":"queue.left")")) {
          g_st.queueLeft.fetch_add(1, std::memory_order_relaxed);
          int64_t k = intAfter(m, R"("k":)");
          if (k > 0 && k < kMaxKnock) {
            int64_t sent = g_leftSent[k].load(std::memory_order_relaxed);
            if (sent > 0) g_leftDelivery.add(t - sent);
            g_leftCount[k].fetch_add(1, std::memory_order_relaxed);
            int64_t last = g_leftLast[k].load(std::memory_order_relaxed);
            while (t > last && !g_leftLast[k].compare_exchange_weak(last, t)) {
            }
          }
        } else if (has(m, R"("type":"queue.joined")")) {
          g_st.queueJoined.fetch_add(1, std::memory_order_relaxed);
        }
      } else if (has(m, R"("topic":"visit:)")) {
        g_st.visitEvents.fetch_add(1, std::memory_order_relaxed);
        if (has(m, R"("type":"visit.admitted")")) {
          int64_t zero = 0;
          if (c->admittedNs.compare_exchange_strong(zero, t)) c->group->admitted++;
          unsubscribe = inQueue && g_opt.unsubscribeQueue;
        } else if (has(m, R"("type":"message")")) {
          g_st.citizenEchoes.fetch_add(1, std::memory_order_relaxed);
        }
      } else if (has(m, R"("topic":"ente:)")) {
        int64_t sent = g_roundSent.load();
        if (sent > 0) {
          g_dirDelivery.add(t - sent);
          g_roundCount++;
          int64_t last = g_roundLast.load();
          while (t > last && !g_roundLast.compare_exchange_weak(last, t)) {
          }
        }
      }
    } else if (has(m, R"("op":"subscribed")")) {
      if (has(m, R"("topic":"office:)")) {
        inQueue = true;
        g_st.queueSubscribers++;
      }
      if (++acks == topics.size()) {
        c->group->subscribed++;
        c->ready = 1;
      }
    } else if (has(m, R"("op":"resync")")) {
      g_st.resyncs++;
    } else if (has(m, R"("op":"error")")) {
      g_st.error("citizen ws: " + std::string(m.substr(0, 300)));
    }
    buf.consume(buf.size());
    if (unsubscribe) {
      inQueue = false;
      g_st.queueSubscribers--;
      std::string u = R"({"op":"unsubscribe","topic":)" + Json(c->queueTopic).dump() + "}";
      ec = co_await wsSend(*ws, u);
    }
  }
  if (c->ready == 0) {
    c->ready = 2;
    c->group->wsFailed++;
  }
  if (!g_stopping && ec != asio::error::operation_aborted) {
    g_st.closedByServer++;
    g_st.error("citizen ws closed: " + ec.message());
  }
  if (inQueue) g_st.queueSubscribers--;
}

std::vector<std::pair<std::string, int64_t>> citizenTopics(const Citizen* c) {
  std::vector<std::pair<std::string, int64_t>> t = {{"visit:" + c->visitId, 0}};
  if (c->group->followQueue) {
    t.emplace_back(c->queueTopic, g_opt.queueSince == "knock" ? c->queueSeq : -1);
  }
  return t;
}

void closeCitizen(Citizen* c) {
  asio::post(ctxFor(c->idx), [c] {
    if (c->ws) {
      beast::error_code ec;
      beast::get_lowest_layer(*c->ws).socket().close(ec);
    }
  });
}

// Knocks for each citizen of `list` through `conns` keep-alive connections; after each knock
// the citizen's WebSocket is started on its own context (now, or all at the end).
awaitable<void> knockWorker(int w, std::vector<Citizen*>* list, std::atomic<size_t>* next,
                            std::vector<Citizen*>* knockedOut, std::mutex* outMu) {
  auto ex = co_await asio::this_coro::executor;
  auto http = std::make_unique<HttpConn>(ex, knockSource());
  int used = 0;
  Json body = Json::object();
  body["mode"] = g_opt.mode;
  body["channel"] = "web";
  std::string b = body.dump();
  for (;;) {
    size_t i = (*next)++;
    if (i >= list->size()) break;
    Citizen* c = (*list)[i];
    if (g_opt.knockRotate > 0 && used++ == g_opt.knockRotate) {
      http = std::make_unique<HttpConn>(ex, knockSource());  // a new citizen address
      used = 1;
    }
    const std::string& office = g_opt.offices[static_cast<size_t>(c->idx) % g_opt.offices.size()];
    std::string target = "/api/v1/enti/" + g_opt.ente + "/offices/" + office + "/visits";
    HttpResult r = co_await http->request(bhttp::verb::post, target, b, {});
    Json j = r.json();
    if (r.status != 201 || !j.contains("visit") || !j.contains("token")) {
      c->group->knockFailed++;
      g_st.error("knock: " + describe(r));
      continue;
    }
    const Json& v = j["visit"];
    c->visitId = v.value("id", "");
    c->token = j.value("token", "");
    c->queueTopic = v.value("queue_topic", "");
    c->queueSeq = v.value("queue_seq", int64_t{0});
    c->knockNo = v.value("knock_no", int64_t{0});
    c->group->knocked++;
    if (g_opt.connectOrder == "interleaved") {
      asio::co_spawn(ctxFor(c->idx), runCitizen(c, citizenTopics(c), c->token), asio::detached);
    } else {
      std::lock_guard lk(*outMu);
      knockedOut->push_back(c);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Operators

struct Operator {
  int idx = 0;
  std::string user, password, cookie, csrf, id;
  std::unique_ptr<HttpConn> http;
  std::vector<Citizen*> visits;  // admitted by this operator (chat group)
  std::vector<std::shared_ptr<WsStream>> ws;
  std::vector<std::pair<std::string, std::string>> hdrs() const {
    return {{"Cookie", "sportello_session=" + cookie}, {"X-CSRF-Token", csrf}};
  }
};

awaitable<bool> loginOperator(Operator* op) {
  auto ex = co_await asio::this_coro::executor;
  op->http = std::make_unique<HttpConn>(ex, poolSource(20, op->idx));
  Json body = Json::object();
  body["username"] = op->user;
  body["password"] = op->password;
  HttpResult r = co_await op->http->request(
      bhttp::verb::post, "/api/v1/enti/" + g_opt.ente + "/session", body.dump(), {});
  if (r.status != 200) {
    g_st.error("login " + op->user + ": " + describe(r));
    co_return false;
  }
  for (const auto& sc : r.setCookies) {
    if (sc.rfind("sportello_session=", 0) == 0) {
      op->cookie = sc.substr(18, sc.find(';') - 18);
    }
  }
  Json j = r.json();
  op->csrf = j.value("csrf_token", "");
  if (j.contains("operator")) op->id = j["operator"].value("id", "");
  Json pres = Json::object();
  pres["presence"] = "available";
  HttpResult p = co_await op->http->request(bhttp::verb::put, "/api/v1/session/presence",
                                            pres.dump(), op->hdrs());
  if (p.status != 200) {
    g_st.error("presence " + op->user + ": " + describe(p));
    co_return false;
  }
  if (g_opt.admitMode == "desk") {
    // A remote desk serving the office: its call-next is the one line's (docs/LINE.md).
    Json d = {{"remote", true}, {"offices", Json::array({g_opt.offices[0]})}};
    HttpResult dr =
        co_await op->http->request(bhttp::verb::post, "/api/v1/desks", d.dump(), op->hdrs());
    if (dr.status != 200 && dr.status != 201) {
      g_st.error("desk " + op->user + ": " + describe(dr));
      co_return false;
    }
  }
  co_return !op->cookie.empty();
}

// Admits `list` (or as many admit-next as its size) in order, the i-th no earlier than
// start + offsets[i]. Records the write time in the citizen (and by knock number).
struct AdmitStats {
  std::atomic<int> ok{0}, failed{0};
  Sample answer;  // admit written → HTTP answer read
  Sample lag;     // scheduled → written
};

awaitable<void> admitLoop(Operator* op, std::vector<Citizen*> list, std::vector<int64_t> due,
                          std::unordered_map<std::string, Citizen*>* byId, AdmitStats* st,
                          bool track) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  for (size_t i = 0; i < list.size(); ++i) {
    int64_t wait = due[i] - nowNs();
    if (wait > 0) {
      timer.expires_after(std::chrono::nanoseconds(wait));
      beast::error_code tec;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, tec));
    }
    Citizen* c = list[i];
    std::atomic<int64_t> sent{0};
    HttpResult r;
    if (g_opt.admitMode == "next" || g_opt.admitMode == "desk") {
      bool desk = g_opt.admitMode == "desk";
      std::string target =
          desk ? std::string("/api/v1/desks/mine/next")
               : "/api/v1/enti/" + g_opt.ente + "/offices/" + g_opt.offices[0] + "/admit-next";
      r = co_await op->http->request(bhttp::verb::post, target, desk ? "{}" : "", op->hdrs(),
                                     &sent);
      Json j = r.json();
      c = nullptr;  // whoever the server took
      std::string id;
      if (r.status == 200 && j.is_object()) {
        id = desk ? (j.contains("visit") && j["visit"].is_object() ? j["visit"].value("id", "")
                                                                   : std::string())
                  : j.value("id", "");
      }
      if (!id.empty()) {
        auto it = byId->find(id);
        c = it == byId->end() ? nullptr : it->second;
        if (c) {
          c->admitSentNs = sent.load();
          if (track && c->knockNo > 0 && c->knockNo < kMaxKnock) {
            g_leftSent[c->knockNo] = sent.load();
          }
        }
      }
    } else {
      if (track && c->knockNo > 0 && c->knockNo < kMaxKnock) {
        g_leftExpected[c->knockNo] = static_cast<int32_t>(g_st.queueSubscribers.load());
        r = co_await op->http->request(bhttp::verb::post, "/api/v1/visits/" + c->visitId + "/admit",
                                       "", op->hdrs(), &g_leftSent[c->knockNo]);
        sent = g_leftSent[c->knockNo].load();
      } else {
        r = co_await op->http->request(bhttp::verb::post, "/api/v1/visits/" + c->visitId + "/admit",
                                       "", op->hdrs(), &sent);
      }
      c->admitSentNs = sent.load();
    }
    int64_t t = nowNs();
    st->lag.add(msOf(sent.load() - due[i]));
    if (r.status == 200 && c) {
      st->ok++;
      st->answer.add(msOf(t - sent.load()));
      op->visits.push_back(c);
    } else {
      st->failed++;
      g_st.error("admit by " + op->user + ": " + describe(r));
    }
  }
}

// Operator WebSocket: follows its visits' topics (≤ 60 per connection) and timestamps messages.
awaitable<void> runOperatorWs(Operator* op, std::vector<std::string> topics,
                              std::atomic<int>* subscribed, std::atomic<int>* failed) {
  auto ex = co_await asio::this_coro::executor;
  auto ws = std::make_shared<WsStream>(ex);
  op->ws.push_back(ws);
  beast::error_code ec = co_await wsOpen(*ws, poolSource(20, op->idx), op->cookie);
  if (ec) {
    (*failed)++;
    g_st.error("operator ws open: " + ec.message());
    co_return;
  }
  for (const auto& t : topics) {
    ec = co_await wsSend(*ws, subscribeMsg(t, -1, ""));
    if (ec) break;
  }
  beast::flat_buffer buf;
  while (!ec) {
    co_await ws->async_read(buf, asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    int64_t t = nowNs();
    std::string_view m(static_cast<const char*>(buf.data().data()), buf.size());
    if (has(m, R"("op":"event")") && has(m, R"("type":"message")")) {
      // client_id "b<citizen>-<n>-<sent ns>"
      size_t p = m.find(R"("client_id":"b)");
      if (p != std::string_view::npos) {
        size_t e = m.find('"', p + 14);
        std::string_view id = m.substr(p + 14, e - (p + 14));
        size_t dash = id.rfind('-');
        int64_t sent = dash == std::string_view::npos ? -1 : intAfter(id.substr(dash), "-");
        if (sent > 0) {
          g_chatLat.add(msOf(t - sent));
          g_chatReceived++;
        }
      }
    } else if (has(m, R"("op":"subscribed")")) {
      (*subscribed)++;
    } else if (has(m, R"("op":"error")")) {
      g_st.error("operator ws: " + std::string(m.substr(0, 300)));
      (*failed)++;
    }
    buf.consume(buf.size());
  }
  if (!g_stopping && ec != asio::error::operation_aborted) {
    g_st.error("operator ws closed: " + ec.message());
  }
}

// Chat: each worker owns one keep-alive connection and the citizens i ≡ w (mod workers).
awaitable<void> chatWorker(int w, std::vector<Citizen*> mine, int64_t start, int64_t end) {
  auto ex = co_await asio::this_coro::executor;
  HttpConn http(ex, poolSource(30, w));
  asio::steady_timer timer(ex);
  int64_t period = static_cast<int64_t>(1e9 / g_opt.chatRate);
  std::mt19937_64 rng(static_cast<uint64_t>(w) * 7919u + 1);
  using Item = std::pair<int64_t, size_t>;  // due, index in mine
  std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
  std::vector<int> sentCount(mine.size(), 0);
  for (size_t i = 0; i < mine.size(); ++i) {
    pq.push({start + static_cast<int64_t>(rng() % static_cast<uint64_t>(period)), i});
  }
  while (!pq.empty()) {
    Item top = pq.top();
    pq.pop();
    int64_t due = top.first;
    size_t i = top.second;
    if (due >= end) break;
    int64_t wait = due - nowNs();
    if (wait > 0) {
      timer.expires_after(std::chrono::nanoseconds(wait));
      beast::error_code tec;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, tec));
    }
    Citizen* c = mine[i];
    int n = ++sentCount[i];
    int64_t sent = nowNs();
    // (GCC 12: no braced Json initialisers with temporaries in a coroutine.)
    Json body = Json::object();
    body["body"] = "Buongiorno, vorrei sapere a che punto è la mia pratica (" +
                   std::to_string(n) + ")";
    body["client_id"] =
        "b" + std::to_string(c->idx) + "-" + std::to_string(n) + "-" + std::to_string(sent);
    std::atomic<int64_t> written{0};
    g_chatSent++;
    std::vector<std::pair<std::string, std::string>> hdrs;
    hdrs.emplace_back("X-Visit-Token", c->token);
    std::string target = "/api/v1/visits/" + c->visitId + "/messages";
    HttpResult r =
        co_await http.request(bhttp::verb::post, target, body.dump(), std::move(hdrs), &written);
    int64_t t = nowNs();
    g_chatLag.add(msOf(sent - due));
    int64_t last = g_chatLastDone.load();
    while (t > last && !g_chatLastDone.compare_exchange_weak(last, t)) {
    }
    if (r.status == 201) {
      g_chatOk++;
      g_chatPostLat.add(msOf(t - sent));
    } else {
      g_chatFailed++;
      g_st.error("message: " + describe(r));
    }
    pq.push({due + period, i});
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestration (main thread; the connections run on the contexts)

template <class Pred>
bool waitUntil(Pred p, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!p()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}
void sleepS(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

template <class Awaitable>
auto runOn(int ctx, Awaitable a) {
  return asio::co_spawn(ctxFor(ctx), std::move(a), asio::use_future);
}

// Knocks and connects a group; returns seconds until every citizen is subscribed (or -1).
double knockAndConnect(std::vector<Citizen*>& list, Group& g, Json& report) {
  int64_t t0 = nowNs();
  std::atomic<size_t> next{0};
  std::vector<Citizen*> knocked;
  std::mutex mu;
  std::vector<std::future<void>> fs;
  int workers = std::min<int>(g_opt.httpConns, static_cast<int>(list.size()));
  for (int w = 0; w < workers; ++w) {
    fs.push_back(runOn(w, knockWorker(w, &list, &next, &knocked, &mu)));
  }
  for (auto& f : fs) f.get();
  double knockS = msOf(nowNs() - t0) / 1e3;
  report["knock_s"] = knockS;
  report["knocked"] = g.knocked.load();
  report["knock_failed"] = g.knockFailed.load();
  std::fprintf(stderr, "  knocked %d (failed %d) in %.1f s\n", g.knocked.load(),
               g.knockFailed.load(), knockS);
  if (g_opt.connectOrder != "interleaved") {
    for (Citizen* c : knocked) {
      asio::co_spawn(ctxFor(c->idx), runCitizen(c, citizenTopics(c), c->token), asio::detached);
    }
  }
  int want = g.knocked.load();
  bool ok = waitUntil([&] { return g.subscribed + g.wsFailed >= want; }, g_opt.phaseTimeout);
  double s = msOf(nowNs() - t0) / 1e3;
  report["subscribed"] = g.subscribed.load();
  report["ws_failed"] = g.wsFailed.load();
  report["connected_s"] = s;
  std::fprintf(stderr, "  subscribed %d (ws failed %d) after %.1f s%s\n", g.subscribed.load(),
               g.wsFailed.load(), s, ok ? "" : " (TIMEOUT)");
  return ok ? s : -1;
}

int serverWsGauge() {
  auto f = runOn(0, []() -> awaitable<int> {
    HttpConn h(co_await asio::this_coro::executor, poolSource(40, 1));
    HttpResult r = co_await h.request(bhttp::verb::get, "/metrics", "", {});
    if (r.status != 200) co_return -1;
    std::string key = "\nsportello_websocket_connections ";
    size_t p = r.body.find(key);
    if (p == std::string::npos) co_return -1;
    co_return std::atoi(r.body.c_str() + p + key.size());
  }());
  return f.get();
}

std::vector<Operator> makeOperators() {
  std::vector<Operator> ops;
  for (auto& s : g_opt.operators) {
    Operator o;
    size_t c = s.find(':');
    o.user = s.substr(0, c);
    o.password = c == std::string::npos ? "" : s.substr(c + 1);
    ops.push_back(std::move(o));
  }
  for (int i = 1; i <= g_opt.opCount; ++i) {
    Operator o;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%03d", g_opt.opPrefix.c_str(), i);
    o.user = buf;
    o.password = g_opt.opPassword;
    ops.push_back(std::move(o));
  }
  for (size_t i = 0; i < ops.size(); ++i) ops[i].idx = static_cast<int>(i);
  return ops;
}

Json runReception(Json& out) {
  const int pid = g_opt.serverPid;
  std::vector<Operator> ops = makeOperators();
  if (ops.empty()) throw std::runtime_error("no operators (--operator user:password)");
  {
    std::vector<std::future<bool>> fs;
    for (auto& o : ops) fs.push_back(runOn(o.idx, loginOperator(&o)));
    int ok = 0;
    for (auto& f : fs) ok += f.get() ? 1 : 0;
    out["operators"] = ok;
    std::fprintf(stderr, "operators logged in and available: %d/%zu\n", ok, ops.size());
    if (ok != static_cast<int>(ops.size())) throw std::runtime_error("operator login failed");
  }
  int L = g_opt.chatLive, N = g_opt.citizens;
  std::vector<std::unique_ptr<Citizen>> all;
  Group chatGroup, waitGroup;
  chatGroup.followQueue = false;
  std::vector<Citizen*> chatList, waitList;
  for (int i = 0; i < L + N; ++i) {
    auto c = std::make_unique<Citizen>();
    c->idx = i;
    c->group = i < L ? &chatGroup : &waitGroup;
    (i < L ? chatList : waitList).push_back(c.get());
    all.push_back(std::move(c));
  }
  std::unordered_map<std::string, Citizen*> byId;

  // 1. Chat group: L citizens knock, wait, and are all admitted (few others waiting).
  if (L > 0) {
    std::fprintf(stderr, "chat group: %d citizens\n", L);
    Json rep;
    knockAndConnect(chatList, chatGroup, rep);
    for (Citizen* c : chatList) {
      if (!c->visitId.empty()) byId[c->visitId] = c;
    }
    AdmitStats st;
    std::vector<std::future<void>> fs;
    std::vector<std::vector<Citizen*>> share(ops.size());
    size_t k = 0;
    for (Citizen* c : chatList) {
      if (c->ready == 1) {
        share[k++ % ops.size()].push_back(c);
      }
    }
    int64_t t0 = nowNs();
    for (size_t o = 0; o < ops.size(); ++o) {
      std::vector<int64_t> due(share[o].size(), t0);
      fs.push_back(runOn(ops[o].idx, admitLoop(&ops[o], share[o], due, &byId, &st, false)));
    }
    for (auto& f : fs) f.get();
    waitUntil([&] { return chatGroup.admitted >= st.ok; }, 30);
    std::vector<double> lat;
    for (Citizen* c : chatList) {
      if (c->admittedNs && c->admitSentNs) lat.push_back(msOf(c->admittedNs - c->admitSentNs));
    }
    rep["admitted"] = st.ok.load();
    rep["admit_failed"] = st.failed.load();
    rep["admit_s"] = msOf(nowNs() - t0) / 1e3;
    rep["admit_to_your_turn"] = summary(lat);
    // Operators follow their visits.
    std::atomic<int> subscribed{0}, failed{0};
    int topics = 0;
    for (auto& op : ops) {
      for (size_t s = 0; s < op.visits.size(); s += 60) {
        std::vector<std::string> t;
        for (size_t j = s; j < std::min(op.visits.size(), s + 60); ++j) {
          t.push_back("visit:" + op.visits[j]->visitId);
        }
        topics += static_cast<int>(t.size());
        asio::co_spawn(ctxFor(op.idx), runOperatorWs(&op, std::move(t), &subscribed, &failed),
                       asio::detached);
      }
    }
    waitUntil([&] { return subscribed + failed >= topics; }, 60);
    rep["operator_topics"] = topics;
    rep["operator_subscribed"] = subscribed.load();
    out["chat_setup"] = rep;
    std::fprintf(stderr, "  admitted %d in %.1f s; operators follow %d/%d visit topics\n",
                 st.ok.load(), rep["admit_s"].get<double>(), subscribed.load(), topics);
  }

  // 2. N waiting citizens.
  sleepS(g_opt.settle);
  long rssBefore = readRssKb(pid);
  double cpuBefore = readCpuS(pid);
  int64_t msgsBefore = g_st.wsMessages;
  std::fprintf(stderr, "waiting room: %d citizens (server RSS %ld kB)\n", N, rssBefore);
  Json wr;
  knockAndConnect(waitList, waitGroup, wr);
  double cpuAfter = readCpuS(pid);
  sleepS(g_opt.settle);
  long rssAfter = readRssKb(pid);
  wr["rss_before_kb"] = rssBefore;
  wr["rss_after_kb"] = rssAfter;
  int conns = waitGroup.subscribed.load();
  wr["rss_per_waiting_citizen_bytes"] =
      conns > 0 ? static_cast<double>(rssAfter - rssBefore) * 1024.0 / conns : 0.0;
  wr["server_cpu_s"] = cpuAfter - cpuBefore;
  wr["ws_messages_received"] = g_st.wsMessages - msgsBefore;
  wr["queue_joined_received"] = g_st.queueJoined.load();
  wr["resyncs"] = g_st.resyncs.load();
  wr["server_ws_connections"] = serverWsGauge();
  out["waiting_room"] = wr;
  std::fprintf(stderr, "  RSS %ld → %ld kB: %.0f bytes per waiting citizen; server CPU %.1f s\n",
               rssBefore, rssAfter, wr["rss_per_waiting_citizen_bytes"].get<double>(),
               cpuAfter - cpuBefore);
  for (Citizen* c : waitList) {
    if (!c->visitId.empty()) byId[c->visitId] = c;
  }

  // 3. Measured admissions while they wait.
  int A = std::min<int>(g_opt.admissions, conns);
  std::vector<Citizen*> ready;
  if (A > 0) {
    for (Citizen* c : waitList) {
      if (c->ready == 1) ready.push_back(c);
    }
    std::sort(ready.begin(), ready.end(),
              [](Citizen* a, Citizen* b) { return a->knockNo < b->knockNo; });
    A = std::min<int>(A, static_cast<int>(ready.size()));
    ready.resize(static_cast<size_t>(A));
    std::vector<std::vector<Citizen*>> share(ops.size());
    std::vector<std::vector<int64_t>> due(ops.size());
    int64_t t0 = nowNs() + 100'000'000;
    int64_t step = static_cast<int64_t>(1e9 / g_opt.admitRate);
    for (int a = 0; a < A; ++a) {
      share[a % ops.size()].push_back(ready[a]);
      due[a % ops.size()].push_back(t0 + a * step);
    }
    AdmitStats st;
    double cpu0 = readCpuS(pid);
    int64_t leftBefore = g_st.queueLeft;
    std::vector<std::future<void>> fs;
    for (size_t o = 0; o < ops.size(); ++o) {
      if (share[o].empty()) continue;
      fs.push_back(runOn(ops[o].idx, admitLoop(&ops[o], share[o], due[o], &byId, &st, true)));
    }
    for (auto& f : fs) f.get();
    int64_t tDone = nowNs();
    waitUntil([&] { return waitGroup.admitted >= st.ok; }, 60);
    // Let the last broadcasts drain: until no queue.left arrives for 1 s.
    int64_t seen = -1;
    for (int i = 0; i < 120 && seen != g_st.queueLeft.load(); ++i) {
      seen = g_st.queueLeft.load();
      sleepS(1.0);
    }
    double cpu1 = readCpuS(pid);
    std::vector<double> lat, fan;
    int64_t fanIncomplete = 0;
    for (Citizen* c : ready) {
      if (c->admittedNs && c->admitSentNs) lat.push_back(msOf(c->admittedNs - c->admitSentNs));
      int64_t k = c->knockNo;
      if (k > 0 && k < kMaxKnock && g_leftSent[k] && g_leftLast[k]) {
        fan.push_back(msOf(g_leftLast[k] - g_leftSent[k]));
        if (g_leftCount[k] < g_leftExpected[k] - 1) fanIncomplete++;
      }
    }
    Json ar;
    ar["admissions"] = A;
    ar["rate_per_s"] = g_opt.admitRate;
    ar["ok"] = st.ok.load();
    ar["failed"] = st.failed.load();
    ar["duration_s"] = msOf(tDone - t0) / 1e3;
    ar["admit_to_your_turn"] = summary(lat);
    ar["admit_http_answer"] = summary(st.answer.ms);
    ar["schedule_lag"] = summary(st.lag.ms);
    ar["queue_left_delivery"] = summary(g_leftDelivery);
    ar["queue_left_last_delivery"] = summary(fan);
    ar["queue_left_received"] = g_st.queueLeft - leftBefore;
    ar["broadcasts_incomplete"] = fanIncomplete;
    ar["server_cpu_s"] = cpu1 - cpu0;
    out["admissions"] = ar;
    std::fprintf(stderr,
                 "admissions: %d ok %d failed; admit → your turn p50 %.2f ms p99 %.2f ms; "
                 "queue.left to all waiting: last delivery p50 %.1f ms p99 %.1f ms\n",
                 st.ok.load(), st.failed.load(), pct(lat, 0.5), pct(lat, 0.99), pct(fan, 0.5),
                 pct(fan, 0.99));
  }

  // 4. Chat among the L admitted citizens while the others wait.
  if (L > 0 && g_opt.chatSeconds > 0) {
    std::vector<Citizen*> live;
    for (Citizen* c : chatList) {
      if (c->admittedNs) live.push_back(c);
    }
    int W = std::min<int>(g_opt.chatHttpConns, static_cast<int>(live.size()));
    std::vector<std::vector<Citizen*>> mine(static_cast<size_t>(W));
    for (size_t i = 0; i < live.size(); ++i) mine[i % static_cast<size_t>(W)].push_back(live[i]);
    double cpu0 = readCpuS(pid);
    int64_t start = nowNs() + 200'000'000;
    int64_t end = start + static_cast<int64_t>(g_opt.chatSeconds) * 1'000'000'000;
    std::vector<std::future<void>> fs;
    for (int w = 0; w < W; ++w) fs.push_back(runOn(w, chatWorker(w, mine[w], start, end)));
    for (auto& f : fs) f.get();
    double cpu1 = readCpuS(pid);
    waitUntil([&] { return g_chatReceived >= g_chatOk; }, 10);
    Json cr;
    cr["live"] = static_cast<int>(live.size());
    cr["seconds"] = g_opt.chatSeconds;
    cr["sent"] = g_chatSent.load();
    cr["ok"] = g_chatOk.load();
    cr["failed"] = g_chatFailed.load();
    cr["received_by_operator"] = g_chatReceived.load();
    // What was achieved: messages answered / time from the first due send to the last answer
    // (longer than --chat-seconds when the server, or the generator, could not keep up).
    double took = msOf(g_chatLastDone.load() - start) / 1e3;
    cr["took_s"] = took;
    cr["offered_per_s"] = static_cast<double>(live.size()) * g_opt.chatRate;
    cr["messages_per_s"] = took > 0 ? static_cast<double>(g_chatOk.load()) / took : 0.0;
    cr["http_conns"] = W;
    cr["post_to_operator"] = summary(g_chatLat.ms);
    cr["post_answer"] = summary(g_chatPostLat.ms);
    cr["schedule_lag"] = summary(g_chatLag.ms);
    cr["server_cpu_s"] = cpu1 - cpu0;
    out["chat"] = cr;
    std::fprintf(stderr,
                 "chat: %d live, %lld sent, %lld ok in %.1f s (%.0f/s), %lld at the operator; "
                 "POST → operator p50 %.2f ms p99 %.2f ms; POST answer p50 %.2f p99 %.2f ms; "
                 "behind schedule p99 %.0f ms\n",
                 static_cast<int>(live.size()), static_cast<long long>(g_chatSent.load()),
                 static_cast<long long>(g_chatOk.load()), took, cr["messages_per_s"].get<double>(),
                 static_cast<long long>(g_chatReceived.load()), pct(g_chatLat.ms, 0.5),
                 pct(g_chatLat.ms, 0.99), pct(g_chatPostLat.ms, 0.5), pct(g_chatPostLat.ms, 0.99),
                 pct(g_chatLag.ms, 0.99));
  }
  out["rss_end_kb"] = readRssKb(pid);

  // Close everything; how long the server takes to forget N sessions.
  std::fprintf(stderr, "closing every connection\n");
  g_stopping = true;
  int64_t tc = nowNs();
  for (auto& c : all) closeCitizen(c.get());
  for (auto& op : ops) {
    asio::post(ctxFor(op.idx), [&op] {
      for (auto& w : op.ws) {
        beast::error_code ec;
        beast::get_lowest_layer(*w).socket().close(ec);
      }
    });
  }
  bool gone = waitUntil([] { return serverWsGauge() <= 0; }, 120);
  out["server_teardown_s"] = gone ? msOf(nowNs() - tc) / 1e3 : -1.0;
  return out;
}

// Directory scenario: N connections follow ente:{slug}:directory; an admin edits an office
// description `rounds` times; each edit is one event fanned out to all N.
awaitable<void> opener(std::vector<Citizen*>* list, std::atomic<size_t>* next, std::string topic) {
  for (;;) {
    size_t i = (*next)++;
    if (i >= list->size()) co_return;
    Citizen* c = (*list)[i];
    std::vector<std::pair<std::string, int64_t>> topics = {{topic, 0}};
    asio::co_spawn(ctxFor(c->idx), runCitizen(c, std::move(topics), ""), asio::detached);
    // One handshake at a time per opener: wait until this one is subscribed or failed.
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer t(ex);
    for (int ms = 0; c->ready == 0 && ms < 60000; ++ms) {
      t.expires_after(std::chrono::milliseconds(1));
      co_await t.async_wait(use_awaitable);
    }
  }
}

Json runDirectory(Json& out) {
  const int pid = g_opt.serverPid;
  int N = g_opt.citizens;
  std::vector<std::unique_ptr<Citizen>> all;
  Group g;
  std::vector<Citizen*> list;
  for (int i = 0; i < N; ++i) {
    auto c = std::make_unique<Citizen>();
    c->idx = i;
    c->group = &g;
    list.push_back(c.get());
    all.push_back(std::move(c));
  }
  sleepS(g_opt.settle);
  long rssBefore = readRssKb(pid);
  double cpu0 = readCpuS(pid);
  int64_t t0 = nowNs();
  std::atomic<size_t> next{0};
  std::string topic = "ente:" + g_opt.ente + ":directory";
  std::vector<std::future<void>> fs;
  for (int w = 0; w < std::min(g_opt.openers, N); ++w) {
    fs.push_back(runOn(w, opener(&list, &next, topic)));
  }
  for (auto& f : fs) f.get();
  bool ok = waitUntil([&] { return g.subscribed + g.wsFailed >= N; }, g_opt.phaseTimeout);
  double connectS = msOf(nowNs() - t0) / 1e3;
  double cpu1 = readCpuS(pid);
  sleepS(g_opt.settle);
  long rssAfter = readRssKb(pid);
  int conns = g.subscribed.load();
  out["subscribed"] = conns;
  out["ws_failed"] = g.wsFailed.load();
  out["connect_s"] = connectS;
  out["connect_timeout"] = !ok;
  out["rss_before_kb"] = rssBefore;
  out["rss_after_kb"] = rssAfter;
  out["rss_per_connection_bytes"] =
      conns > 0 ? static_cast<double>(rssAfter - rssBefore) * 1024.0 / conns : 0.0;
  out["server_cpu_connect_s"] = cpu1 - cpu0;
  out["server_ws_connections"] = serverWsGauge();
  std::fprintf(stderr,
               "directory: %d/%d subscribed in %.1f s; RSS %ld → %ld kB = %.0f bytes/connection\n",
               conns, N, connectS, rssBefore, rssAfter,
               out["rss_per_connection_bytes"].get<double>());

  if (g_opt.rounds > 0) {
    Operator admin;
    size_t cpos = g_opt.admin.find(':');
    admin.user = g_opt.admin.substr(0, cpos);
    admin.password = g_opt.admin.substr(cpos + 1);
    if (!runOn(0, loginOperator(&admin)).get()) throw std::runtime_error("admin login failed");
    auto offices = runOn(0, [](Operator* a) -> awaitable<HttpResult> {
                     co_return co_await a->http->request(
                         bhttp::verb::get, "/api/v1/enti/" + g_opt.ente + "/offices", "", {});
                   }(&admin))
                       .get();
    std::string officeId;
    Json oj = offices.json();
    for (auto& o : oj["offices"]) {
      if (o.value("slug", "") == g_opt.offices[0]) officeId = o.value("id", "");
    }
    std::vector<double> last, patchAnswer;
    int incomplete = 0;
    double cpuR0 = readCpuS(pid);
    for (int r = 0; r < g_opt.rounds; ++r) {
      g_roundCount = 0;
      g_roundLast = 0;
      Json body = {{"description", "Ufficio relazioni con il pubblico (giro " +
                                       std::to_string(r) + ")"}};
      std::string target = "/api/v1/enti/" + g_opt.ente + "/offices/" + officeId;
      auto patch = [](Operator* a, std::string t, std::string b) -> awaitable<HttpResult> {
        co_return co_await a->http->request(bhttp::verb::patch, t, b, a->hdrs(), &g_roundSent);
      };
      HttpResult res = runOn(0, patch(&admin, target, body.dump())).get();
      int64_t answered = nowNs();
      if (res.status != 200) {
        g_st.error("patch office: " + describe(res));
        break;
      }
      patchAnswer.push_back(msOf(answered - g_roundSent));
      bool all = waitUntil([&] { return g_roundCount >= conns; }, 30);
      if (!all) incomplete++;
      last.push_back(msOf(g_roundLast - g_roundSent));
      g_roundSent = 0;
      sleepS(0.2);
    }
    double cpuR1 = readCpuS(pid);
    out["rounds"] = g_opt.rounds;
    out["rounds_incomplete"] = incomplete;
    out["patch_answer"] = summary(patchAnswer);
    out["delivery"] = summary(g_dirDelivery);
    out["last_delivery"] = summary(last);
    out["server_cpu_rounds_s"] = cpuR1 - cpuR0;
    std::fprintf(stderr,
                 "  %d edits fanned out to %d: every delivery p50 %.1f ms p99 %.1f ms; last "
                 "delivery p50 %.1f ms max %.1f ms\n",
                 g_opt.rounds, conns, g_dirDelivery.pctMs(0.5), g_dirDelivery.pctMs(0.99),
                 pct(last, 0.5), pct(last, 1.0));
  }
  out["rss_end_kb"] = readRssKb(pid);
  g_stopping = true;
  int64_t tc = nowNs();
  for (auto& c : all) closeCitizen(c.get());
  bool gone = waitUntil([] { return serverWsGauge() <= 0; }, 120);
  out["server_teardown_s"] = gone ? msOf(nowNs() - tc) / 1e3 : -1.0;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Sportello virtual reception load generator"};
  Options& o = g_opt;
  cli.add_option("--scenario", o.scenario, "reception (default) or directory");
  cli.add_option("--host", o.host, "server address (default 127.0.0.1)");
  cli.add_option("--port", o.port, "server port")->required();
  cli.add_option("--server-pid", o.serverPid, "server pid, for VmRSS and CPU time");
  cli.add_option("--ente", o.ente, "ente slug (default esempio)");
  cli.add_option("--office", o.offices, "office slug(s) citizens knock at (default urp)");
  cli.add_option("--mode", o.mode, "chat (default) or video");
  cli.add_option("--citizens,-n", o.citizens, "waiting citizens N (default 1000)");
  cli.add_option("--per-source", o.perSource, "connections per 127.0.0.x source (default 5000)");
  cli.add_option("--threads", o.threads, "I/O threads (default 2)");
  cli.add_option("--http-conns", o.httpConns, "keep-alive connections for knocks (default 64)");
  cli.add_option("--knock-rotate", o.knockRotate,
                 "knocks per source address before moving to the next (default 25; 0 = one)");
  cli.add_option("--openers", o.openers, "concurrent WebSocket openers, directory scenario");
  cli.add_option("--operator", o.operators, "operator user:password (repeatable)");
  cli.add_option("--op-prefix", o.opPrefix, "generated operators: prefix (prefix001…)");
  cli.add_option("--op-count", o.opCount, "generated operators: how many");
  cli.add_option("--op-password", o.opPassword, "generated operators: password");
  cli.add_option("--admit-mode", o.admitMode,
                 "id (POST /visits/{id}/admit), next (admit-next) or desk (a remote desk's "
                 "POST /desks/mine/next)");
  cli.add_option("--admissions", o.admissions, "measured admissions A (default 200)");
  cli.add_option("--admit-rate", o.admitRate, "admissions per second (default 10)");
  cli.add_option("--unsubscribe-queue", o.unsubscribeQueue,
                 "admitted citizens stop following the queue (default true)");
  cli.add_option("--connect-order", o.connectOrder,
                 "interleaved: subscribe right after each knock (default); after: knock all first");
  cli.add_option(
      "--queue-since", o.queueSince,
      "knock: subscribe the queue since the knock's queue_seq (default); now: from now on");
  cli.add_option("--chat", o.chatLive, "live chats L (default 2000; 0 = no chat phase)");
  cli.add_option("--chat-seconds", o.chatSeconds, "chat phase duration (default 20)");
  cli.add_option("--chat-rate", o.chatRate, "messages per second per live citizen (default 1)");
  cli.add_option("--chat-http-conns", o.chatHttpConns, "keep-alive connections for chat (500)");
  cli.add_option("--rounds", o.rounds, "directory scenario: office edits (default 20)");
  cli.add_option("--admin", o.admin, "directory scenario: admin user:password");
  cli.add_option("--phase-timeout", o.phaseTimeout, "seconds to wait for a phase (default 600)");
  cli.add_option("--settle", o.settle, "seconds to wait before reading RSS (default 2)");
  cli.add_option("--label", o.label, "free text copied into the result");
  CLI11_PARSE(cli, argc, argv);

  g_leftSent.reset(new std::atomic<int64_t>[kMaxKnock]());
  g_leftLast.reset(new std::atomic<int64_t>[kMaxKnock]());
  g_leftCount.reset(new std::atomic<int32_t>[kMaxKnock]());
  g_leftExpected.reset(new std::atomic<int32_t>[kMaxKnock]());

  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, o.threads); ++i) {
    g_ctx.push_back(std::make_unique<asio::io_context>(1));
    guards.push_back(asio::make_work_guard(*g_ctx.back()));
  }
  for (auto& c : g_ctx) threads.emplace_back([&c] { c->run(); });

  Json out = {{"scenario", o.scenario}, {"citizens", o.citizens}, {"label", o.label}};
  int rc = 0;
  int64_t t0 = nowNs();
  try {
    if (o.scenario == "directory") {
      runDirectory(out);
    } else {
      runReception(out);
    }
  } catch (const std::exception& e) {
    out["fatal"] = e.what();
    rc = 1;
  }
  out["wall_s"] = msOf(nowNs() - t0) / 1e3;
  out["errors"] = g_st.errors.load();
  out["first_errors"] = g_st.firstErrors;
  out["ws_closed_by_server"] = g_st.closedByServer.load();
  out["ws_messages"] = g_st.wsMessages.load();
  out["http_retries"] = g_st.httpRetries.load();
  g_stopping = true;
  guards.clear();
  for (auto& c : g_ctx) c->stop();
  for (auto& t : threads) t.join();
  std::printf("RESULT %s\n", out.dump().c_str());
  std::fflush(stdout);
  std::_Exit(rc);  // skip destroying tens of thousands of sockets one by one
}
