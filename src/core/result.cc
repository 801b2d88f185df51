#include "core/result.h"

namespace sportello {

const char* errcName(Errc c) {
  switch (c) {
    case Errc::kInvalid:
      return "invalid";
    case Errc::kUnauthorized:
      return "unauthorized";
    case Errc::kForbidden:
      return "forbidden";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kConflict:
      return "conflict";
    case Errc::kPayloadTooLarge:
      return "payload_too_large";
    case Errc::kTooManyRequests:
      return "too_many_requests";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace sportello
