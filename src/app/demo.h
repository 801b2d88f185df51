// The demo Comuni: "Comune di Esempio" (slug esempio), modelled on the articles
// in shared/seeds (URP with a shopping-centre totem and Wednesday-afternoon
// chat, Anagrafe, Tributi, Edilizia, Servizi sociali, the mayor on Tuesday and
// Thursday 11–13, the 11 front-office services of San Donato Milanese), and a
// small second Comune (slug collina) that shows multi-ente separation.
#pragma once

#include <string>
#include <vector>

#include "platform/database.h"
#include "staff/service.h"

namespace sportello::app {

struct DemoLogin {
  std::string ente, username, password, role;
};

// Loads the demo unless an ente with the demo slug exists (then returns the
// logins, loaded = false). Blocking.
struct DemoResult {
  bool loaded = false;
  std::vector<DemoLogin> logins;
};
Result<DemoResult> loadDemo(Database& db, staff::StaffService& staff);

}  // namespace sportello::app
