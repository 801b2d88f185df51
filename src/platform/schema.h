// Tables the platform itself owns: the event log behind the WebSocket topics.
#pragma once

#include <vector>

#include "platform/database.h"

namespace sportello {

std::vector<Migration> platformMigrations();

}  // namespace sportello
