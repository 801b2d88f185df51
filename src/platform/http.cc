#include "platform/http.h"

#include <cctype>

namespace sportello::http {

namespace {

std::vector<std::string_view> splitPath(std::string_view p) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < p.size()) {
    if (p[i] == '/') {
      ++i;
      continue;
    }
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    out.push_back(p.substr(i, j - i));
    i = j;
  }
  return out;
}

int hexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

const std::string kEmpty;

}  // namespace

std::optional<std::string> urlDecode(std::string_view s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hexVal(s[i + 1]), lo = hexVal(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plusIsSpace) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const std::string& Request::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return kEmpty;
}

std::string Request::queryParam(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view kv = q.substr(0, amp);
    size_t eq = kv.find('=');
    std::string_view k = kv.substr(0, eq);
    if (k == name) {
      auto v = urlDecode(eq == std::string_view::npos ? "" : kv.substr(eq + 1), true);
      return v ? *v : std::string();
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return {};
}

std::string_view Request::header(std::string_view name) const {
  auto it = raw.find(name);
  if (it == raw.end()) return {};
  return {it->value().data(), it->value().size()};
}

Caller Request::caller(std::string_view holderHeader) const {
  Caller c;
  c.session = std::string(cookie(kSessionCookie));
  c.citizen = std::string(cookie(kCitizenCookie));
  c.csrf = std::string(header("X-CSRF-Token"));
  auto m = method();
  c.changes = m != Method::get && m != Method::head && m != Method::options;
  if (!holderHeader.empty()) c.holder = std::string(header(holderHeader));
  std::string_view auth = header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.substr(0, kBearer.size()) == kBearer)
    c.device = std::string(auth.substr(kBearer.size()));
  c.remote = remoteAddr;
  c.origin = "http://" + std::string(header("Host"));
  return c;
}

std::string_view Request::cookie(std::string_view name) const {
  if (crossOrigin) return {};  // another site's page never acts with our cookies
  std::string_view all = header("Cookie");
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view part = all.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return {};
}

bhttp::status statusFor(Errc c) {
  switch (c) {
    case Errc::kInvalid:
      return bhttp::status::bad_request;
    case Errc::kUnauthorized:
      return bhttp::status::unauthorized;
    case Errc::kForbidden:
      return bhttp::status::forbidden;
    case Errc::kNotFound:
      return bhttp::status::not_found;
    case Errc::kConflict:
      return bhttp::status::conflict;
    case Errc::kPayloadTooLarge:
      return bhttp::status::payload_too_large;
    case Errc::kTooManyRequests:
      return bhttp::status::too_many_requests;
    case Errc::kUnavailable:
      return bhttp::status::service_unavailable;
    case Errc::kInternal:
      return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

Response json(bhttp::status status, const Json& body) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, "application/json; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

Response ok(const Json& body) {
  return json(bhttp::status::ok, body);
}
Response created(const Json& body) {
  return json(bhttp::status::created, body);
}

Response noContent() {
  Response res{bhttp::status::no_content, 11};
  res.set(bhttp::field::cache_control, "no-store");
  res.prepare_payload();
  return res;
}

Response error(const Error& e) {
  Json err = {{"code", e.reason.empty() ? errcName(e.code) : e.reason}, {"message", e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  for (const auto& [k, v] : e.details) err[k] = v;
  if (e.retryAfterSeconds > 0) err["retry_after"] = e.retryAfterSeconds;
  Response res = json(statusFor(e.code), Json{{"error", err}});
  if (e.retryAfterSeconds > 0) {
    res.set(bhttp::field::retry_after, std::to_string(e.retryAfterSeconds));
  }
  return res;
}

Response error(Errc c, std::string message, std::string field) {
  return error(Error{c, std::move(message), std::move(field)});
}

void Router::add(Method m, std::string_view pattern, Handler h) {
  Route r{m, std::string(pattern), {}, std::move(h)};
  for (auto seg : splitPath(pattern)) r.segments.emplace_back(seg);
  routes_.push_back(std::move(r));
}

Router::Match Router::match(Method m, std::string_view path) const {
  auto segs = splitPath(path);
  Match best;
  int bestScore = -1;
  bool pathMatched = false;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    int score = 0;
    bool okMatch = true;
    for (size_t i = 0; i < segs.size(); ++i) {
      const auto& s = r.segments[i];
      if (s.size() > 1 && s.front() == '{') continue;
      if (s != segs[i]) {
        okMatch = false;
        break;
      }
      score += 1 << (segs.size() - i);
    }
    if (!okMatch) continue;
    pathMatched = true;
    if (r.method != m) continue;
    if (score > bestScore) {
      bestScore = score;
      best.handler = &r.handler;
      best.pattern = r.pattern;
      best.params.clear();
      for (size_t i = 0; i < segs.size(); ++i) {
        const auto& s = r.segments[i];
        if (s.size() > 1 && s.front() == '{') {
          auto dec = urlDecode(segs[i], false);
          best.params.emplace_back(s.substr(1, s.size() - 2), dec ? *dec : std::string());
        }
      }
    }
  }
  if (!best.handler && pathMatched) best.methodNotAllowed = true;
  return best;
}

HeaderScan scanHeader(std::string_view have, size_t maxHeaderBytes) {
  using S = HeaderScan::State;
  // RFC 9112 §2.2: empty lines before the request line are ignored.
  size_t start = 0;
  while (start + 1 < have.size() && have[start] == '\r' && have[start + 1] == '\n') start += 2;
  bool firstLine = true;
  size_t lineStart = start;
  for (size_t i = start; i < have.size(); ++i) {
    if (i - start >= maxHeaderBytes) return {S::kTooLarge, {}};
    char c = have[i];
    if (c == '\0') return {S::kBad, "carattere NUL nell'intestazione"};
    if (c == '\n') return {S::kBad, "fine riga senza CR (LF da solo)"};
    if (c != '\r') continue;
    if (i + 1 >= have.size()) return {S::kNeedMore, {}};
    if (have[i + 1] != '\n') return {S::kBad, "CR da solo nell'intestazione"};
    if (i == lineStart && !firstLine) return {S::kComplete, {}};  // the empty line
    if (i == lineStart) return {S::kBad, "riga di richiesta vuota"};
    if (firstLine) {
      // "METHOD SP target SP HTTP/d.d": anything else (HTTP/0.9 "GET /") is refused at once.
      std::string_view line = have.substr(lineStart, i - lineStart);
      size_t sp1 = line.find(' ');
      size_t sp2 = line.rfind(' ');
      std::string_view ver = sp2 == std::string_view::npos ? "" : line.substr(sp2 + 1);
      if (sp1 == std::string_view::npos || sp1 == 0 || sp2 <= sp1 + 1 || ver.size() != 8 ||
          ver.substr(0, 5) != "HTTP/" || !std::isdigit(static_cast<unsigned char>(ver[5])) ||
          ver[6] != '.' || !std::isdigit(static_cast<unsigned char>(ver[7]))) {
        return {S::kBad, "riga di richiesta non valida"};
      }
    }
    firstLine = false;
    lineStart = i + 2;
    ++i;
    if (lineStart < have.size() && (have[lineStart] == ' ' || have[lineStart] == '\t')) {
      return {S::kBad, "intestazione continuata su più righe (obs-fold) non ammessa"};
    }
  }
  if (have.size() - start > maxHeaderBytes) return {S::kTooLarge, {}};
  return {S::kNeedMore, {}};
}

std::optional<std::string_view> requestLineQuery(std::string_view have) {
  size_t start = 0;
  while (start + 1 < have.size() && have[start] == '\r' && have[start + 1] == '\n') start += 2;
  size_t eol = have.find("\r\n", start);
  if (eol == std::string_view::npos) return std::nullopt;
  std::string_view line = have.substr(start, eol - start);
  // The line alone followed by the empty line: complete only if the line is well-formed.
  std::string probe(line);
  probe += "\r\n\r\n";
  if (scanHeader(probe, probe.size()).state != HeaderScan::State::kComplete) return std::nullopt;
  std::string_view target = line.substr(line.find(' ') + 1);
  target = target.substr(0, target.rfind(' '));
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

}  // namespace sportello::http
