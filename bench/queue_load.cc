// Load generator for queue tickets (docs/API.md, "Queue tickets (eliminacode)"), in the shape of
// bench/reception_load.cc (one io_context per thread, keep-alive HTTP/1.1 and WebSocket clients
// over loopback). Two scenarios, each on a fresh server started by bench/queue_run.sh:
//   issue   C concurrent clients (a ticket machine each, with the kiosk device token of the
//           ente) issue paper tickets for S seconds: tickets per second with the server's durable
//           commits, and the latency of each POST (written → answer read) p50 / p99. At the end
//           the numbers of every service are checked to be 1 … n without a gap or a duplicate.
//   fanout  B display boards follow site:{id}:board and P phones follow ticket:{id} of P tickets
//           issued first (with their tokens); an operator calls next K times, one call at a time:
//           call-next written → ticket.called received by every board (each delivery, and the
//           last of the B per call) and by the phone of the called ticket, p50 / p99.
//
//   queue_load --port P [--scenario issue|fanout] [--clients C] [--seconds S] [--boards B]
//              [--phones P] [--calls K] …   (see --help)
// Prints one JSON line (prefix "RESULT ") and a human summary on stderr.
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
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
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

struct Options {
  std::string scenario = "issue";
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string ente = "esempio";
  std::string admin = "admin:admin-demo-2026";
  std::string op = "operatore:operatore-demo-2026";
  std::string counter = "Sportello 1";
  std::string service = "A";  // fanout: the phones' tickets (served by --counter)
  std::vector<std::string> services;  // issue: default every open service of the site
  int threads = 2;
  int clients = 64;
  double seconds = 10;
  int boards = 1000;
  int phones = 1000;
  int calls = 200;
  int perSource = 5000;
  int serverPid = 0;
  double callTimeout = 10;
  std::string label;
};

Options g_opt;
std::vector<std::unique_ptr<asio::io_context>> g_ctx;
std::atomic<bool> g_stopping{false};
asio::io_context& ctxFor(int i) { return *g_ctx[static_cast<size_t>(i) % g_ctx.size()]; }

// ---------------------------------------------------------------------------------------------
// Statistics

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

struct Errors {
  std::atomic<int64_t> n{0};
  std::mutex mu;
  std::vector<std::string> first;
  void add(std::string e) {
    n++;
    std::lock_guard lk(mu);
    if (first.size() < 8) first.push_back(std::move(e));
  }
} g_err;

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
// Connections (as in reception_load.cc: sources spread over 127.0.x.y so that ephemeral ports
// of one source address are never exhausted)

std::string hostHeader() { return g_opt.host + ":" + std::to_string(g_opt.port); }
std::string origin() { return "http://" + hostHeader(); }

asio::ip::address wsSource(int idx) {
  unsigned v = 2u + static_cast<unsigned>(idx / g_opt.perSource);  // 127.0.0.2, .3, …
  return asio::ip::make_address_v4(
      static_cast<asio::ip::address_v4::uint_type>((127u << 24) | ((v >> 8) << 8) | (v & 255u)));
}
asio::ip::address poolSource(int base, int w) {
  return asio::ip::make_address_v4(static_cast<asio::ip::address_v4::uint_type>(
      (127u << 24) | (static_cast<unsigned>(base) << 8) | static_cast<unsigned>(1 + w % 250)));
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

std::string describe(const HttpResult& r) {
  if (r.ec) return "network: " + r.ec.message();
  return std::to_string(r.status) + " " + r.body.substr(0, 300);
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// HTTP/1.1 keep-alive client connection (one request at a time).
class HttpConn {
 public:
  HttpConn(asio::any_io_executor ex, asio::ip::address src) : ex_(std::move(ex)), src_(src) {}

  awaitable<HttpResult> request(bhttp::verb verb, std::string target, std::string body,
                                Headers headers) {
    HttpResult out;
    for (int attempt = 0; attempt < 2; ++attempt) {
      bool fresh = false;
      if (!stream_) {
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
      req.set(bhttp::field::user_agent, "sportello-queue-load");
      for (auto& [k, v] : headers) req.set(k, v);
      if (!body.empty()) {
        req.set(bhttp::field::content_type, "application/json");
        req.body() = body;
      }
      req.keep_alive(true);
      req.prepare_payload();
      stream_->expires_after(std::chrono::seconds(60));
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
        if (!fresh) continue;  // a kept-alive connection the server had closed: retry once
        co_return out;
      }
      auto res = parser.release();
      out.status = res.result_int();
      out.body = std::move(res.body());
      auto range = res.equal_range(bhttp::field::set_cookie);
      for (auto it = range.first; it != range.second; ++it) out.setCookies.emplace_back(it->value());
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
};

using WsStream = websocket::stream<beast::tcp_stream>;

awaitable<beast::error_code> wsOpen(WsStream& ws, asio::ip::address src) {
  beast::error_code ec = co_await connectFrom(beast::get_lowest_layer(ws).socket(), src);
  if (ec) co_return ec;
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  std::string org = origin();
  auto decorate = [org](websocket::request_type& req) {
    req.set(bhttp::field::origin, org);
    req.set(bhttp::field::user_agent, "sportello-queue-load");
  };
  ws.set_option(websocket::stream_base::decorator(decorate));
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(60));
  co_await ws.async_handshake(hostHeader(), "/api/v1/ws", asio::redirect_error(use_awaitable, ec));
  beast::get_lowest_layer(ws).expires_never();
  co_return ec;
}

bool has(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

// ---------------------------------------------------------------------------------------------
// Staff session and set-up (blocking helpers run on context 0)

struct Session {
  std::string cookie, csrf;
  Headers hdrs() const { return {{"Cookie", "sportello_session=" + cookie}, {"X-CSRF-Token", csrf}}; }
};

template <class Awaitable>
auto runOn(int ctx, Awaitable a) {
  return asio::co_spawn(ctxFor(ctx), std::move(a), asio::use_future);
}

awaitable<HttpResult> once(bhttp::verb verb, std::string target, std::string body, Headers h) {
  auto ex = co_await asio::this_coro::executor;
  HttpConn c(ex, poolSource(30, 1));
  co_return co_await c.request(verb, std::move(target), std::move(body), std::move(h));
}

HttpResult call(bhttp::verb verb, std::string target, Json body, Headers h = {}) {
  std::string b = body.is_null() ? std::string() : body.dump();
  return runOn(0, once(verb, std::move(target), std::move(b), std::move(h))).get();
}

Session login(const std::string& userPass) {
  size_t colon = userPass.find(':');
  Json body = {{"username", userPass.substr(0, colon)}, {"password", userPass.substr(colon + 1)}};
  HttpResult r = call(bhttp::verb::post, "/api/v1/enti/" + g_opt.ente + "/session", body);
  if (r.status != 200) throw std::runtime_error("login " + userPass.substr(0, colon) + ": " + describe(r));
  Session s;
  for (const auto& sc : r.setCookies) {
    if (sc.rfind("sportello_session=", 0) == 0) s.cookie = sc.substr(18, sc.find(';') - 18);
  }
  s.csrf = r.json().value("csrf_token", "");
  return s;
}

struct Setup {
  Session admin;
  std::string site, kioskToken, boardTopic;
  int64_t boardSeq = 0;
  Json queue;
};

Setup setUp() {
  Setup s;
  s.admin = login(g_opt.admin);
  HttpResult sites = call(bhttp::verb::get, "/api/v1/enti/" + g_opt.ente + "/sites", nullptr,
                          s.admin.hdrs());
  Json sj = sites.json();
  Json list = sj.is_array() ? sj : sj.value("sites", Json::array());
  for (const auto& x : list) {
    if (x.value("kind", "") == "town_hall") s.site = x.value("id", "");
  }
  if (s.site.empty()) throw std::runtime_error("no town hall site: " + describe(sites));
  Json kiosk = {{"name", "Eliminacode bench " + std::to_string(nowNs() % 100000)}, {"office", "urp"}};
  HttpResult k = call(bhttp::verb::post, "/api/v1/enti/" + g_opt.ente + "/kiosks", kiosk,
                      s.admin.hdrs());
  if (k.status != 201) throw std::runtime_error("kiosk: " + describe(k));
  s.kioskToken = k.json().value("token", "");
  HttpResult q = call(bhttp::verb::get,
                      "/api/v1/enti/" + g_opt.ente + "/sites/" + s.site + "/queue", nullptr);
  if (q.status != 200) throw std::runtime_error("queue: " + describe(q));
  s.queue = q.json();
  s.boardTopic = s.queue.value("board_topic", "");
  s.boardSeq = s.queue.value("board_seq", int64_t{0});
  return s;
}

std::string ticketsPath(const Setup& s) {
  return "/api/v1/enti/" + g_opt.ente + "/sites/" + s.site + "/tickets";
}

// ---------------------------------------------------------------------------------------------
// Scenario issue

struct Issued {
  std::mutex mu;
  std::map<std::string, std::vector<int64_t>> numbers;  // service prefix → numbers
};

awaitable<void> issuer(int w, const Setup* s, std::vector<std::string> services, int64_t end,
                       Sample* lat, std::atomic<int64_t>* ok, Issued* issued) {
  auto ex = co_await asio::this_coro::executor;
  HttpConn c(ex, poolSource(10 + w / 250, w));
  Headers h = {{"Authorization", "Bearer " + s->kioskToken}};
  std::string path = ticketsPath(*s);
  std::vector<double> mine;
  std::vector<std::pair<std::string, int64_t>> nums;
  for (size_t i = static_cast<size_t>(w); nowNs() < end; ++i) {
    const std::string& svc = services[i % services.size()];
    Json body = {{"service", svc}, {"source", "machine"}};
    int64_t t0 = nowNs();
    HttpResult r = co_await c.request(bhttp::verb::post, path, body.dump(), h);
    int64_t t1 = nowNs();
    if (r.status != 201) {
      g_err.add("issue: " + describe(r));
      if (r.ec) break;
      continue;
    }
    mine.push_back(msOf(t1 - t0));
    Json j = r.json();
    nums.emplace_back(j["ticket"]["service"].value("prefix", ""), j["ticket"].value("number", int64_t{0}));
    (*ok)++;
  }
  {
    std::lock_guard lk(lat->mu);
    lat->ms.insert(lat->ms.end(), mine.begin(), mine.end());
  }
  std::lock_guard lk(issued->mu);
  for (auto& [p, n] : nums) issued->numbers[p].push_back(n);
}

Json runIssue(const Setup& s) {
  std::vector<std::string> services = g_opt.services;
  if (services.empty()) {
    for (const auto& x : s.queue["services"]) {
      if (x.value("open", false)) services.push_back(x.value("prefix", ""));
    }
  }
  if (services.empty()) throw std::runtime_error("no open service at the site");
  Sample lat;
  Issued issued;
  std::atomic<int64_t> ok{0};
  long rss0 = readRssKb(g_opt.serverPid);
  double cpu0 = readCpuS(g_opt.serverPid);
  int64_t t0 = nowNs();
  int64_t end = t0 + static_cast<int64_t>(g_opt.seconds * 1e9);
  std::vector<std::future<void>> fs;
  for (int w = 0; w < g_opt.clients; ++w) {
    fs.push_back(runOn(w, issuer(w, &s, services, end, &lat, &ok, &issued)));
  }
  for (auto& f : fs) f.get();
  double elapsed = static_cast<double>(nowNs() - t0) / 1e9;
  double cpu = readCpuS(g_opt.serverPid) - cpu0;
  bool consecutive = true;
  int64_t total = 0;
  for (auto& [p, v] : issued.numbers) {
    std::sort(v.begin(), v.end());
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] != static_cast<int64_t>(i) + 1) consecutive = false;
    }
    total += static_cast<int64_t>(v.size());
  }
  Json out = {{"services", services},
              {"clients", g_opt.clients},
              {"seconds", elapsed},
              {"tickets", ok.load()},
              {"tickets_per_s", static_cast<double>(ok.load()) / elapsed},
              {"latency", summary(lat.ms)},
              {"numbers_consecutive", consecutive && total == ok.load()},
              {"server_cpu_s", cpu},
              {"server_cpu_ms_per_ticket", ok.load() > 0 ? cpu * 1e3 / static_cast<double>(ok.load()) : 0.0},
              {"rss_before_kb", rss0},
              {"rss_after_kb", readRssKb(g_opt.serverPid)}};
  std::fprintf(stderr, "issue: %lld tickets in %.1f s = %.0f tickets/s with %d clients; p50 %.2f ms, p99 %.2f ms; server CPU %.2f ms/ticket; numbers consecutive: %s\n",
               static_cast<long long>(ok.load()), elapsed, out["tickets_per_s"].get<double>(),
               g_opt.clients, pct(lat.ms, 0.5), pct(lat.ms, 0.99),
               out["server_cpu_ms_per_ticket"].get<double>(),
               out["numbers_consecutive"].get<bool>() ? "yes" : "NO");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scenario fanout

std::atomic<int64_t> g_callSent{0};  // call-next written (ns), the current call
std::atomic<int> g_callNo{0};        // the current call (1-based; 0 = none yet)
std::atomic<int> g_boardGot{0};      // boards that received the current call
std::atomic<int64_t> g_boardLast{0};
std::atomic<int> g_phoneGot{0};
std::atomic<int> g_subscribed{0}, g_wsFailed{0};
Sample g_boardDelivery;  // every board delivery of ticket.called
Sample g_phoneDelivery;  // the called ticket's phone

struct Screen {
  int idx = 0;
  std::string topic, token;
  int64_t since = 0;
  bool board = true;
  std::shared_ptr<WsStream> ws;
};

awaitable<void> runScreen(Screen* sc) {
  auto ex = co_await asio::this_coro::executor;
  sc->ws = std::make_shared<WsStream>(ex);
  auto ws = sc->ws;
  beast::error_code ec = co_await wsOpen(*ws, wsSource(sc->idx));
  if (ec) {
    g_wsFailed++;
    g_err.add("ws open: " + ec.message());
    co_return;
  }
  Json sub = {{"op", "subscribe"}, {"topic", sc->topic}, {"since", sc->since}};
  if (!sc->token.empty()) sub["token"] = sc->token;
  std::string text = sub.dump();
  ws->text(true);
  co_await ws->async_write(asio::buffer(text), asio::redirect_error(use_awaitable, ec));
  beast::flat_buffer buf;
  while (!ec) {
    co_await ws->async_read(buf, asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    int64_t t = nowNs();
    std::string_view m(static_cast<const char*>(buf.data().data()), buf.size());
    if (has(m, R"("op":"event")") && has(m, R"("type":"ticket.called")")) {
      int64_t sent = g_callSent.load();
      if (sc->board) {
        g_boardDelivery.add(msOf(t - sent));
        int64_t last = g_boardLast.load();
        while (t > last && !g_boardLast.compare_exchange_weak(last, t)) {
        }
        g_boardGot++;
      } else {
        g_phoneDelivery.add(msOf(t - sent));
        g_phoneGot++;
      }
    } else if (has(m, R"("op":"subscribed")")) {
      g_subscribed++;
    } else if (has(m, R"("op":"error")")) {
      g_err.add("ws: " + std::string(m.substr(0, 300)));
    }
    buf.consume(buf.size());
  }
  if (!g_stopping && ec != asio::error::operation_aborted) g_err.add("ws closed: " + ec.message());
}

template <class Pred>
bool waitUntil(Pred p, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!p()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

awaitable<void> issueMany(const Setup* s, int from, int to, std::vector<Screen>* out) {
  auto ex = co_await asio::this_coro::executor;
  HttpConn c(ex, poolSource(11, from));
  Headers h = {{"Authorization", "Bearer " + s->kioskToken}};
  for (int i = from; i < to; ++i) {
    Json body = {{"service", g_opt.service}, {"source", "machine"}};
    HttpResult r = co_await c.request(bhttp::verb::post, ticketsPath(*s), body.dump(), h);
    if (r.status != 201) {
      g_err.add("issue: " + describe(r));
      continue;
    }
    Json j = r.json();
    Screen& sc = (*out)[static_cast<size_t>(i)];
    sc.topic = j["ticket"].value("ticket_topic", "");
    sc.since = j["ticket"].value("ticket_seq", int64_t{0});
    sc.token = j.value("token", "");
  }
}

Json runFanout(const Setup& s) {
  int B = g_opt.boards, P = g_opt.phones;
  // P tickets (issued in order: the counter will call them oldest first), then P + B screens.
  std::vector<Screen> phones(static_cast<size_t>(P));
  {
    std::vector<std::future<void>> fs;
    int per = std::max(1, (P + 15) / 16);
    for (int a = 0; a < P; a += per) fs.push_back(runOn(a, issueMany(&s, a, std::min(P, a + per), &phones)));
    for (auto& f : fs) f.get();
  }
  // Sequence order = issue order within each worker; the counter calls oldest first: fine, the
  // phone that receives the call is whichever ticket is called.
  std::vector<Screen> boards(static_cast<size_t>(B));
  for (int i = 0; i < B; ++i) {
    boards[static_cast<size_t>(i)] = Screen{i, s.boardTopic, "", s.boardSeq, true, nullptr};
  }
  for (int i = 0; i < P; ++i) {
    phones[static_cast<size_t>(i)].idx = B + i;
    phones[static_cast<size_t>(i)].board = false;
  }
  long rss0 = readRssKb(g_opt.serverPid);
  int64_t c0 = nowNs();
  for (auto& b : boards) asio::co_spawn(ctxFor(b.idx), runScreen(&b), asio::detached);
  for (auto& p : phones) {
    if (!p.topic.empty()) asio::co_spawn(ctxFor(p.idx), runScreen(&p), asio::detached);
  }
  int want = B;
  for (auto& p : phones) want += p.topic.empty() ? 0 : 1;
  if (!waitUntil([&] { return g_subscribed.load() + g_wsFailed.load() >= want; }, 120)) {
    g_err.add("not every screen subscribed");
  }
  double connectS = static_cast<double>(nowNs() - c0) / 1e9;
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let the server settle before RSS
  long rss1 = readRssKb(g_opt.serverPid);

  Session op = login(g_opt.op);
  HttpResult ks = call(bhttp::verb::get, "/api/v1/enti/" + g_opt.ente + "/counters?site=" + s.site,
                       nullptr, op.hdrs());
  std::string counterId;
  for (const auto& k : ks.json().value("counters", Json::array())) {
    if (k.value("name", "") == g_opt.counter) counterId = k.value("id", "");
  }
  if (counterId.empty()) throw std::runtime_error("counter not found: " + describe(ks));
  std::vector<double> lastBoard, answer;
  int missed = 0;
  double cpu0 = readCpuS(g_opt.serverPid);
  int calls = std::min(g_opt.calls, P);
  for (int i = 0; i < calls; ++i) {
    g_boardGot = 0;
    g_phoneGot = 0;
    g_boardLast = 0;
    g_callSent = nowNs();
    HttpResult r = call(bhttp::verb::post, "/api/v1/counters/" + counterId + "/call-next",
                        Json::object(), op.hdrs());
    int64_t answered = nowNs();
    if (r.status != 200 || r.json()["ticket"].is_null()) {
      g_err.add("call-next: " + describe(r));
      continue;
    }
    answer.push_back(msOf(answered - g_callSent.load()));
    bool all = waitUntil([&] { return g_boardGot.load() >= B && g_phoneGot.load() >= 1; },
                         g_opt.callTimeout);
    if (!all) {
      missed++;
      continue;
    }
    lastBoard.push_back(msOf(g_boardLast.load() - g_callSent.load()));
  }
  double cpuCalls = readCpuS(g_opt.serverPid) - cpu0;
  Json out = {{"boards", B},
              {"server_cpu_ms_per_call", calls > 0 ? cpuCalls * 1e3 / calls : 0.0},
              {"phones", P},
              {"subscribed", g_subscribed.load()},
              {"connect_s", connectS},
              {"rss_before_kb", rss0},
              {"rss_after_kb", rss1},
              {"calls", calls},
              {"calls_incomplete", missed},
              {"call_answer", summary(answer)},
              {"call_to_last_board", summary(lastBoard)},
              {"call_to_every_board", summary(g_boardDelivery.ms)},
              {"call_to_phone", summary(g_phoneDelivery.ms)}};
  std::fprintf(stderr,
               "fanout: %d boards + %d phones subscribed in %.1f s; %d calls: call → last board p50 %.2f / p99 %.2f ms; every board p50 %.2f / p99 %.2f ms; phone p50 %.2f / p99 %.2f ms; incomplete %d\n",
               B, P, connectS, calls, pct(lastBoard, 0.5), pct(lastBoard, 0.99),
               pct(g_boardDelivery.ms, 0.5), pct(g_boardDelivery.ms, 0.99),
               pct(g_phoneDelivery.ms, 0.5), pct(g_phoneDelivery.ms, 0.99), missed);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Sportello queue tickets load generator"};
  Options& o = g_opt;
  cli.add_option("--scenario", o.scenario, "issue (default) or fanout");
  cli.add_option("--host", o.host, "server address (default 127.0.0.1)");
  cli.add_option("--port", o.port, "server port")->required();
  cli.add_option("--server-pid", o.serverPid, "server pid, for VmRSS");
  cli.add_option("--ente", o.ente, "ente slug (default esempio)");
  cli.add_option("--admin", o.admin, "admin user:password (kiosk, sites)");
  cli.add_option("--operator", o.op, "operator user:password (fanout: calls)");
  cli.add_option("--counter", o.counter, "fanout: the calling counter (default Sportello 1)");
  cli.add_option("--service", o.service, "fanout: the phones' service prefix (default A)");
  cli.add_option("--services", o.services, "issue: service prefixes (default: every open one)");
  cli.add_option("--threads", o.threads, "I/O threads (default 2)");
  cli.add_option("--clients", o.clients, "issue: concurrent ticket machines (default 64)");
  cli.add_option("--seconds", o.seconds, "issue: duration (default 10)");
  cli.add_option("--boards", o.boards, "fanout: boards B (default 1000)");
  cli.add_option("--phones", o.phones, "fanout: phones P (default 1000)");
  cli.add_option("--calls", o.calls, "fanout: calls K (default 200, at most P)");
  cli.add_option("--call-timeout", o.callTimeout, "fanout: seconds to wait for a call's deliveries");
  cli.add_option("--label", o.label, "free text copied into the result");
  CLI11_PARSE(cli, argc, argv);

  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, o.threads); ++i) {
    g_ctx.push_back(std::make_unique<asio::io_context>(1));
    guards.push_back(asio::make_work_guard(*g_ctx.back()));
  }
  for (auto& c : g_ctx) threads.emplace_back([&c] { c->run(); });

  Json out = {{"scenario", o.scenario}, {"label", o.label}};
  int rc = 0;
  try {
    Setup s = setUp();
    out["result"] = o.scenario == "fanout" ? runFanout(s) : runIssue(s);
  } catch (const std::exception& e) {
    out["fatal"] = e.what();
    std::fprintf(stderr, "fatal: %s\n", e.what());
    rc = 1;
  }
  out["errors"] = g_err.n.load();
  out["first_errors"] = g_err.first;
  g_stopping = true;
  guards.clear();
  for (auto& c : g_ctx) c->stop();
  for (auto& t : threads) t.join();
  std::printf("RESULT %s\n", out.dump().c_str());
  std::fflush(stdout);
  std::_Exit(rc);
}
