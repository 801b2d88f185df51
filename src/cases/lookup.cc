#include "cases/lookup.h"

#include "cases/store.h"

namespace sportello::cases::lookup {

Result<Callback> callback(sql::Connection& c, const std::string& id) {
  return store::callback(c, id);
}

Result<bool> takeCallback(sql::Connection& c, const std::string& id, const std::string& operatorId,
                          int64_t now) {
  return store::takeCallback(c, id, operatorId, now);
}

}  // namespace sportello::cases::lookup
