// http::scanHeader: the raw framing rules checked before Beast parses a request.
#include <gtest/gtest.h>

#include "platform/http.h"

namespace sportello::http {
namespace {

using S = HeaderScan::State;

S scan(std::string_view s, size_t max = 8192) {
  return scanHeader(s, max).state;
}

TEST(ScanHeader, CompleteWellFormedRequests) {
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), S::kComplete);
  EXPECT_EQ(scan("GET / HTTP/1.0\r\n\r\n"), S::kComplete);
  // Leading empty lines are ignored (RFC 9112 §2.2); a body or a next request may follow.
  EXPECT_EQ(scan("\r\n\r\nPOST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"),
            S::kComplete);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /b\nbroken"), S::kComplete);
}

TEST(ScanHeader, WaitsForTheRest) {
  EXPECT_EQ(scan(""), S::kNeedMore);
  EXPECT_EQ(scan("GET / HT"), S::kNeedMore);
  EXPECT_EQ(scan("GET / HTTP/1.1\r"), S::kNeedMore);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: x\r\n"), S::kNeedMore);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: x\r\n\r"), S::kNeedMore);
}

TEST(ScanHeader, RefusesWhatAProxyCouldReadOtherwise) {
  EXPECT_EQ(scan("GET / HTTP/1.1\nHost: x\n\n"), S::kBad);                              // bare LF
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n"), S::kBad);                  // bare CR
  EXPECT_EQ(scan(std::string_view("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27)), S::kBad);  // NUL
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"), S::kBad);                     // obs-fold
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nTransfer-Encoding:\r\n\tchunked\r\n\r\n"), S::kBad);
  EXPECT_EQ(scan("GET /\r\n"), S::kBad);  // HTTP/0.9
  EXPECT_EQ(scan("GET / HTTP/1\r\n\r\n"), S::kBad);
  EXPECT_EQ(scan("GET  HTTP/1.1\r\n\r\n"), S::kBad);
  EXPECT_EQ(scan(" / HTTP/1.1\r\n\r\n"), S::kBad);
  EXPECT_FALSE(scanHeader("GET / HTTP/1.1\nHost: x\n\n", 8192).why.empty());
}

TEST(ScanHeader, TooLarge) {
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(200, 'a');
  EXPECT_EQ(scan(big, 100), S::kTooLarge);
  EXPECT_EQ(scan(big + "\r\n\r\n", 1000), S::kComplete);
}

}  // namespace
}  // namespace sportello::http
