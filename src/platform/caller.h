// Caller: who is asking, read from the request once by the routes and handed to services, so
// that no service reads HTTP (headers, cookies, methods) itself. Services authorise from it:
// a staff session (+ CSRF when the request changes state), the holder token of the object
// asked for, a registered device's token, the client's address.
#pragma once

#include <string>

namespace sportello {

// The staff session cookie (staff mints it; the WebSocket upgrade reads it too).
constexpr const char* kSessionCookie = "sportello_session";
// The citizen session cookie (src/citizens: SPID/CIE sign-in), separate from the staff one.
constexpr const char* kCitizenCookie = "sportello_citizen";

struct Caller {
  std::string session;   // staff session token from the cookie ("" from another site's page)
  std::string csrf;      // the X-CSRF-Token header
  std::string citizen;   // citizen session token from its cookie ("" when not signed in)
  bool changes = false;  // not GET/HEAD/OPTIONS: a staff session must also carry the CSRF token
  std::string holder;    // the holder token of the object asked for (X-Visit-Token, …), if read
  std::string device;    // a registered device's token ("Authorization: Bearer …": kiosks)
  std::string remote;    // the client's address (after the trusted proxies)
  std::string origin;    // "http://" + Host: links when no public origin is configured
};

}  // namespace sportello
