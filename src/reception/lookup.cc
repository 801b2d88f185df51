#include "reception/lookup.h"

#include "reception/store.h"

namespace sportello::reception::lookup {

Result<Visit> visit(sql::Connection& c, const std::string& id) {
  return store::visit(c, id);
}

Result<std::vector<Visit>> admittedOf(sql::Connection& c, const std::string& enteId) {
  return store::admittedOf(c, enteId, 1000);
}

Result<std::vector<VisitNote>> visitNotes(sql::Connection& c, const std::string& visitId) {
  return store::notesOf(c, visitId);
}

Result<ContactSettings> contactSettings(sql::Connection& c, const std::string& enteId,
                                        const std::string& officeId) {
  return store::effectiveSettings(c, enteId, officeId);
}

Result<std::vector<Message>> transcript(sql::Connection& c, const std::string& visitId) {
  return store::messages(c, visitId, 0);
}

Result<Kiosk> kioskByToken(sql::Connection& c, const std::string& tokenHash) {
  return store::kioskByToken(c, tokenHash);
}

}  // namespace sportello::reception::lookup
