#include <gtest/gtest.h>

#include "core/config.h"
#include "platform/http.h"
#include "platform/server.h"

namespace sportello {
namespace {

http::Handler dummy() {
  return
      [](http::Request&) -> boost::asio::awaitable<http::Response> { co_return http::noContent(); };
}

TEST(RouterTest, MatchesParametersAndPrefersLiterals) {
  http::Router r;
  r.add(http::Method::get, "/api/v1/enti/{slug}/offices", dummy());
  r.add(http::Method::get, "/api/v1/enti/{slug}/offices/{id}", dummy());
  r.add(http::Method::get, "/{slug}", dummy());
  r.add(http::Method::get, "/{slug}/login", dummy());
  r.add(http::Method::get, "/healthz", dummy());

  auto m = r.match(http::Method::get, "/api/v1/enti/esempio/offices/abc%20d");
  ASSERT_NE(m.handler, nullptr);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0].second, "esempio");
  EXPECT_EQ(m.params[1].second, "abc d");

  auto h = r.match(http::Method::get, "/healthz");
  ASSERT_NE(h.handler, nullptr);
  EXPECT_EQ(h.pattern, "/healthz");  // the literal, not /{slug}

  auto trailing = r.match(http::Method::get, "/esempio/");
  ASSERT_NE(trailing.handler, nullptr);
  EXPECT_EQ(trailing.pattern, "/{slug}");
}

TEST(RouterTest, WrongMethodIsNotAllowedAndUnknownIsNotFound) {
  http::Router r;
  r.add(http::Method::get, "/api/v1/enti/{slug}", dummy());
  auto m = r.match(http::Method::post, "/api/v1/enti/esempio");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.methodNotAllowed);
  auto n = r.match(http::Method::get, "/api/v1/nothing/here");
  EXPECT_EQ(n.handler, nullptr);
  EXPECT_FALSE(n.methodNotAllowed);
}

TEST(RouterTest, UrlDecode) {
  EXPECT_EQ(*http::urlDecode("a%2Fb+c", true), "a/b c");
  EXPECT_EQ(*http::urlDecode("a+b", false), "a+b");
  EXPECT_FALSE(http::urlDecode("%zz", false).has_value());
  EXPECT_FALSE(http::urlDecode("%2", false).has_value());
}

TEST(ErrorMappingTest, OneStatusPerCode) {
  EXPECT_EQ(http::statusFor(Errc::kInvalid), http::bhttp::status::bad_request);
  EXPECT_EQ(http::statusFor(Errc::kUnauthorized), http::bhttp::status::unauthorized);
  EXPECT_EQ(http::statusFor(Errc::kForbidden), http::bhttp::status::forbidden);
  EXPECT_EQ(http::statusFor(Errc::kNotFound), http::bhttp::status::not_found);
  EXPECT_EQ(http::statusFor(Errc::kConflict), http::bhttp::status::conflict);
  EXPECT_EQ(http::statusFor(Errc::kTooManyRequests), http::bhttp::status::too_many_requests);
  auto res = http::error(Errc::kInvalid, "campo sconosciuto: x", "x");
  EXPECT_EQ(res.body(),
            R"({"error":{"code":"invalid","field":"x","message":"campo sconosciuto: x"}})");
}

}  // namespace
}  // namespace sportello

namespace sportello {
namespace {

TEST(ClientAddressTest, ForwardedForOnlyFromTrustedProxies) {
  std::vector<std::string> proxies = {"127.0.0.1"};
  EXPECT_EQ(clientAddress("127.0.0.1", "203.0.113.7", proxies), "203.0.113.7");
  // The last hop is the one our proxy appended; earlier ones are client-controlled.
  EXPECT_EQ(clientAddress("127.0.0.1", "10.9.9.9, 203.0.113.7", proxies), "203.0.113.7");
  EXPECT_EQ(clientAddress("198.51.100.1", "203.0.113.7", proxies), "198.51.100.1");
  EXPECT_EQ(clientAddress("127.0.0.1", "", proxies), "127.0.0.1");
  EXPECT_EQ(clientAddress("127.0.0.1", "not-an-ip", proxies), "127.0.0.1");
  EXPECT_EQ(clientAddress("127.0.0.1", "203.0.113.7", {}), "127.0.0.1");
  EXPECT_EQ(clientAddress("127.0.0.1", " 2001:db8::1 ", proxies), "2001:db8::1");
}

TEST(ConfigProxiesTest, CommaSeparatedList) {
  auto c = loadConfig({}, {}, {{"trusted_proxies", "127.0.0.1, ::1"}});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->trustedProxies.size(), 2u);
  EXPECT_EQ(c->trustedProxies[1], "::1");
}

}  // namespace
}  // namespace sportello
