// SQL for the directory. Functions run on a store worker's connection (inside
// the caller's transaction for writes); every query is scoped by ente id so
// data never crosses enti.
#pragma once

#include <vector>

#include "directory/types.h"
#include "platform/database.h"

namespace sportello::directory::store {

std::vector<Migration> migrations();

Result<std::vector<Ente>> listEnti(sql::Connection& c);
Result<Ente> enteBySlug(sql::Connection& c, const std::string& slug);
Result<Ente> enteById(sql::Connection& c, const std::string& id);
Status insertEnte(sql::Connection& c, const Ente& e, int64_t now);
Status updateEnte(sql::Connection& c, const Ente& e, int64_t now);

Result<std::vector<Site>> listSites(sql::Connection& c, const std::string& enteId);
Result<Site> site(sql::Connection& c, const std::string& enteId, const std::string& id);
Status insertSite(sql::Connection& c, const Site& s, int64_t now);
Status updateSite(sql::Connection& c, const Site& s, int64_t now);
Status deleteSite(sql::Connection& c, const std::string& enteId, const std::string& id);

Result<std::vector<Office>> listOffices(sql::Connection& c, const std::string& enteId);
Result<Office> office(sql::Connection& c, const std::string& enteId, const std::string& id);
Status insertOffice(sql::Connection& c, const Office& o, int64_t now);
Status updateOffice(sql::Connection& c, const Office& o, int64_t now);
Status deleteOffice(sql::Connection& c, const std::string& enteId, const std::string& id);

Result<std::vector<Service>> listServices(sql::Connection& c, const std::string& enteId);
Result<Service> service(sql::Connection& c, const std::string& enteId, const std::string& id);
Status insertService(sql::Connection& c, const Service& s, int64_t now);
Status updateService(sql::Connection& c, const Service& s, int64_t now);
Status deleteService(sql::Connection& c, const std::string& enteId, const std::string& id);

Result<std::vector<EnteHoliday>> listHolidays(sql::Connection& c, const std::string& enteId);
Status insertHoliday(sql::Connection& c, const EnteHoliday& h);
Status deleteHoliday(sql::Connection& c, const std::string& enteId, const std::string& id);

// Schedules of all offices of an ente (office id → schedule).
Result<std::vector<std::pair<std::string, OfficeSchedule>>> schedules(sql::Connection& c,
                                                                      const std::string& enteId);
Result<OfficeSchedule> schedule(sql::Connection& c, const std::string& officeId);
Status replaceSchedule(sql::Connection& c, const std::string& officeId, const OfficeSchedule& s);

// Single facts other capabilities ask of an id (through directory/lookup.h).
// kNotFound "ufficio non trovato" / "sede non trovato" when there is no such row.
Result<std::string> officeEnte(sql::Connection& c, const std::string& officeId);
Result<std::string> siteEnte(sql::Connection& c, const std::string& siteId);
// The office of the ente whose id or slug is `ref` (kNotFound "ufficio non trovato").
Result<std::string> officeIdByRef(sql::Connection& c, const std::string& enteId,
                                  const std::string& ref);
// The office of a service; nullopt when the service is unknown or belongs to no office.
Result<std::optional<std::string>> serviceOffice(sql::Connection& c, const std::string& serviceId);
Result<bool> officeAtSite(sql::Connection& c, const std::string& officeId,
                          const std::string& siteId);

}  // namespace sportello::directory::store
