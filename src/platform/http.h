// HTTP request/response types, JSON helpers and the router shared by every
// capability's routes. Routes parse input, call a service and render JSON; they
// never touch SQL.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_fields.h"
#include "core/result.h"
#include "platform/caller.h"

namespace sportello::http {

namespace bhttp = boost::beast::http;
namespace asio = boost::asio;

using RawRequest = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;
using Method = bhttp::verb;

struct Request {
  const RawRequest& raw;
  std::string_view path;                                    // decoded path without the query string
  std::string_view query;                                   // raw query string (after '?')
  std::vector<std::pair<std::string, std::string>> params;  // from {name} segments
  std::string remoteAddr;
  // Sent by a page of an ente's embedding origin (not the server's own): cookies are ignored,
  // so no staff session acts on its behalf (see OriginCheck in platform/server.h).
  bool crossOrigin = false;

  const std::string& param(std::string_view name) const;  // "" when absent
  std::string queryParam(std::string_view name) const;    // "" when absent (decoded)
  std::string_view header(std::string_view name) const;   // "" when absent
  std::string_view cookie(std::string_view name) const;
  // Who is asking, for a service: session cookie, CSRF header, whether the method changes
  // state, the device bearer token, the address; `holderHeader` names the header carrying the
  // holder token of the object this route serves (e.g. "X-Visit-Token"), if any.
  Caller caller(std::string_view holderHeader = {}) const;
  Method method() const { return raw.method(); }
  const std::string& body() const { return raw.body(); }
};

using Handler = std::function<asio::awaitable<Response>(Request&)>;

// HTTP status for an error code (the one mapping).
bhttp::status statusFor(Errc c);

Response json(bhttp::status status, const Json& body);
Response ok(const Json& body);
Response created(const Json& body);
Response noContent();
Response error(const Error& e);
Response error(Errc c, std::string message, std::string field = {});
template <class T>
Response okOr(const Result<T>& r, bhttp::status status = bhttp::status::ok) {
  if (!r.ok()) return error(r.error());
  return json(status, r.value());
}
// The answer of a use case that returns a typed view: its one rendering, `toJson(view)` (found
// by argument-dependent lookup in the view's namespace), or the error.
template <class T>
Response render(const Result<T>& r, bhttp::status status = bhttp::status::ok) {
  if (!r.ok()) return error(r.error());
  return json(status, toJson(r.value()));
}
// A list answer, {"<key>": [toJson(item)…]}, or the error.
template <class T>
Response renderList(const char* key, const Result<std::vector<T>>& r) {
  if (!r.ok()) return error(r.error());
  return ok(Json{{key, jsonArray(r.value())}});
}

// Reads the request body as a JSON object (an empty body counts as `{}`): `fn(Fields&)` picks
// the fields; unknown fields, wrong types and missing required ones → kInvalid naming the
// field.
template <class Fn>
Status readBody(const Request& q, Fn fn) {
  auto body = parseJsonObject(q.body(), /*emptyIsObject=*/true);
  if (!body.ok()) return body.error();
  Fields f(body.value());
  fn(f);
  return f.finish();
}

// Strict framing (RFC 9112 §2.2, §5.2): what the raw bytes of a request's header block say
// before it is parsed. Beast would read obs-fold and bare line ends leniently; a proxy in
// front might read them otherwise (request smuggling), so they are refused.
struct HeaderScan {
  enum class State { kNeedMore, kComplete, kBad, kTooLarge };
  State state = State::kNeedMore;
  std::string why;  // for kBad
};
// `have`: the bytes received so far for this request (it may hold more after the header).
HeaderScan scanHeader(std::string_view have, size_t maxHeaderBytes);
// The query string of the request line when `have` starts with a complete, well-formed one
// (what scanHeader accepts), whatever follows it; "" when its target has none. What can be
// known of a request refused before its header was read (its ?lang=).
std::optional<std::string_view> requestLineQuery(std::string_view have);

// Percent-decoding for paths and query values ('+' as space only in queries).
// Invalid escapes → nullopt.
std::optional<std::string> urlDecode(std::string_view s, bool plusIsSpace);

// Method + pattern ("/api/v1/enti/{slug}/offices/{id}") → handler. Literal
// segments win over parameters. A path that matches with another method gives
// 405.
class Router {
 public:
  void add(Method m, std::string_view pattern, Handler h);

  struct Match {
    const Handler* handler = nullptr;  // null → not found / not allowed
    bool methodNotAllowed = false;
    std::vector<std::pair<std::string, std::string>> params;
    std::string pattern;  // for metrics
  };
  Match match(Method m, std::string_view path) const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" for parameters
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace sportello::http
