// A dedicated PostgreSQL connection that LISTENs on one channel, for the event bus between
// sportello nodes. Not thread-safe: one thread owns it and calls wait() in a loop.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace sportello::sql {

class PgListener {
 public:
  virtual ~PgListener() = default;
  // Waits up to timeoutMs for notifications; returns their payloads (possibly none).
  // kUnavailable when the connection is lost (the caller reconnects with openPgListener).
  virtual Result<std::vector<std::string>> wait(int timeoutMs) = 0;
};

Result<std::unique_ptr<PgListener>> openPgListener(const std::string& conninfo,
                                                   const std::string& channel);

}  // namespace sportello::sql
