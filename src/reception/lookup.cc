#include "reception/lookup.h"

#include "reception/store.h"

namespace sportello::reception::lookup {

Result<Visit> visit(sql::Connection& c, const std::string& id) {
  return store::visit(c, id);
}

Result<Kiosk> kioskByToken(sql::Connection& c, const std::string& tokenHash) {
  return store::kioskByToken(c, tokenHash);
}

}  // namespace sportello::reception::lookup
