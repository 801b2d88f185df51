// The relying party's outgoing HTTP (discovery, JWKS, token endpoint) through libcurl, which the
// platform already links for SMTP: https with the system's CA certificates and host-name
// verification (never turned off), plain http accepted only on loopback (tests). Blocking:
// the service runs it on its own small thread pool, never on an I/O thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace sportello::citizens {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

struct HttpCall {
  std::string url;
  std::string form;  // POST application/x-www-form-urlencoded when not empty, else GET
  std::string basicUser, basicPassword;  // client_secret_basic
  std::string bearer;                    // userinfo: the access token
  long timeoutSeconds = 10;
  size_t maxBytes = 512 * 1024;
};

// kInvalid for a URL that is neither https nor http on loopback; kUnavailable when the
// provider cannot be reached (the message says why, without secrets).
Result<HttpAnswer> httpCall(const HttpCall& call);

// Whether `url` may be fetched: "https://…", or "http://127.0.0.1…" / "http://localhost…" /
// "http://[::1]…".
bool fetchableUrl(const std::string& url);

}  // namespace sportello::citizens
