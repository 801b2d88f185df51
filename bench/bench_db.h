// Shared by the benches that load data straight into a database (cases, feedback, figures,
// kb_search, line): open it as the server does and bring it to the current schema, or print why
// not and exit; and the backend's name for the printed lines.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "app/app.h"
#include "core/clock.h"
#include "platform/database.h"

namespace sportello::bench {

inline std::unique_ptr<Database> openMigrated(const std::string& url, const Clock& clock,
                                              bool sqliteSynchronousFull = true) {
  DatabaseOptions o;
  o.url = url;
  o.sqliteSynchronousFull = sqliteSynchronousFull;
  auto opened = Database::open(o, clock);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
    std::exit(1);
  }
  auto db = std::move(*opened);
  if (auto m = db->migrate(app::allMigrations()); !m.ok()) {
    std::fprintf(stderr, "migrate: %s\n", m.error().message.c_str());
    std::exit(1);
  }
  return db;
}

inline const char* backendOf(const std::string& url) {
  return url.rfind("sqlite", 0) == 0 ? "sqlite" : "postgres";
}

}  // namespace sportello::bench
