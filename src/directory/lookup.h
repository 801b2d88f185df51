// What other capabilities read of the directory: enti, sites, offices and services by id or
// slug, the ente's holidays and whether an office receives now. Every function runs on the
// caller's connection — inside the caller's write transaction when it is `tx.conn()` — and is
// scoped by ente where an id alone could cross enti. directory/store.h stays private to the
// directory: other capabilities include this header (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "directory/types.h"
#include "platform/database.h"

namespace sportello::directory::lookup {

// kNotFound "ente non trovato".
Result<Ente> enteBySlug(sql::Connection& c, const std::string& slug);
Result<Ente> enteById(sql::Connection& c, const std::string& id);

Result<std::vector<Site>> listSites(sql::Connection& c, const std::string& enteId);
Result<Site> site(sql::Connection& c, const std::string& enteId, const std::string& id);

Result<std::vector<Office>> listOffices(sql::Connection& c, const std::string& enteId);
Result<Office> office(sql::Connection& c, const std::string& enteId, const std::string& id);
// The id of the ente's office whose id or slug is `ref` (kNotFound "ufficio non trovato").
Result<std::string> officeIdByRef(sql::Connection& c, const std::string& enteId,
                                  const std::string& ref);
// The ente of an office / a site, whatever the ente (the topic authorisers start from an id
// alone): kNotFound "ufficio non trovato" / "sede non trovato".
Result<std::string> officeEnte(sql::Connection& c, const std::string& officeId);
Result<std::string> siteEnte(sql::Connection& c, const std::string& siteId);
// Whether office `officeId` is at site `siteId`.
Result<bool> officeAtSite(sql::Connection& c, const std::string& officeId,
                          const std::string& siteId);

Result<std::vector<Service>> listServices(sql::Connection& c, const std::string& enteId);
Result<Service> service(sql::Connection& c, const std::string& enteId, const std::string& id);
// The office of a service; nullopt when the service is unknown or belongs to no office.
Result<std::optional<std::string>> serviceOffice(sql::Connection& c, const std::string& serviceId);

// The ente's own holidays (closures beyond the national ones and the patron day).
Result<std::vector<EnteHoliday>> listHolidays(sql::Connection& c, const std::string& enteId);

// Whether office `officeId` of `ente` receives at `nowMs` on `channel` (a schedule channel:
// "video", "walk_in", …; nullopt: the general hours), with its next opening when closed.
Result<OpenStatus> openStatus(sql::Connection& c, const Ente& ente, const std::string& officeId,
                              const std::optional<std::string>& channel, int64_t nowMs);

}  // namespace sportello::directory::lookup
