#include "directory/lookup.h"

#include <chrono>

#include "directory/service.h"
#include "directory/store.h"

namespace sportello::directory::lookup {

Result<Ente> enteBySlug(sql::Connection& c, const std::string& slug) {
  return store::enteBySlug(c, slug);
}

Result<Ente> enteById(sql::Connection& c, const std::string& id) {
  return store::enteById(c, id);
}

Result<std::vector<Site>> listSites(sql::Connection& c, const std::string& enteId) {
  return store::listSites(c, enteId);
}

Result<Site> site(sql::Connection& c, const std::string& enteId, const std::string& id) {
  return store::site(c, enteId, id);
}

Result<std::vector<Office>> listOffices(sql::Connection& c, const std::string& enteId) {
  return store::listOffices(c, enteId);
}

Result<Office> office(sql::Connection& c, const std::string& enteId, const std::string& id) {
  return store::office(c, enteId, id);
}

Result<std::string> officeIdByRef(sql::Connection& c, const std::string& enteId,
                                  const std::string& ref) {
  return store::officeIdByRef(c, enteId, ref);
}

Result<std::string> officeEnte(sql::Connection& c, const std::string& officeId) {
  return store::officeEnte(c, officeId);
}

Result<std::string> siteEnte(sql::Connection& c, const std::string& siteId) {
  return store::siteEnte(c, siteId);
}

Result<bool> officeAtSite(sql::Connection& c, const std::string& officeId,
                          const std::string& siteId) {
  return store::officeAtSite(c, officeId, siteId);
}

Result<std::vector<Service>> listServices(sql::Connection& c, const std::string& enteId) {
  return store::listServices(c, enteId);
}

Result<Service> service(sql::Connection& c, const std::string& enteId, const std::string& id) {
  return store::service(c, enteId, id);
}

Result<std::optional<std::string>> serviceOffice(sql::Connection& c, const std::string& serviceId) {
  return store::serviceOffice(c, serviceId);
}

Result<std::vector<EnteHoliday>> listHolidays(sql::Connection& c, const std::string& enteId) {
  return store::listHolidays(c, enteId);
}

Result<OpenStatus> openStatus(sql::Connection& c, const Ente& ente, const std::string& officeId,
                              const std::optional<std::string>& channel, int64_t nowMs) {
  SP_ASSIGN(auto sched, store::schedule(c, officeId));
  SP_ASSIGN(auto holidays, store::listHolidays(c, ente.id));
  SP_ASSIGN(auto spec, specFor(ente, sched, holidays));
  auto now = std::chrono::floor<std::chrono::seconds>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(nowMs)));
  return statusAt(spec, channel, now);
}

}  // namespace sportello::directory::lookup
