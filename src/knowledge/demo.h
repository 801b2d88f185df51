// The demo Comune's knowledge base (src/app/demo.cc calls it inside its write transaction): a
// published article for each of its 11 front-office services, with the slugs the web tests use
// (carta-identita-elettronica, cambio-di-residenza, certificati-anagrafici, isee, tari, …).
#pragma once

#include <map>
#include <string>

#include "platform/database.h"

namespace sportello::knowledge {

// offices: office slug → id; services: service prefix ("A"…"K") → id.
Status loadDemoArticles(Tx& tx, const std::string& enteSlug,
                        const std::map<std::string, std::string>& offices,
                        const std::map<std::string, std::string>& services);

}  // namespace sportello::knowledge
