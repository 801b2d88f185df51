// Directory use cases: the public offices view ("is it open now?"), and the
// administration of enti, sites, offices, services, holidays and reception
// hours. Every change is written in one transaction with an event on the ente's
// public topic `ente:{slug}:directory`.
//
// The public offices view is rendered once and cached per ente until the next
// instant at which any office opens or closes (or the local date changes), or
// until a directory event for that ente is committed (invalidate()).
// Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "core/clock.h"
#include "directory/types.h"
#include "platform/database.h"
#include "platform/topic.h"

namespace sportello::directory {

namespace asio = boost::asio;

inline constexpr std::string_view kDirectoryTopic = "ente:{slug}:directory";  // platform/topic.h
std::string directoryTopic(const std::string& slug);

// Typed answers of the administration use cases; the routes render them with toJson (and the
// service never builds an answer's JSON).
// One site, office or service: the record GET/POST/PATCH …/{sites|offices|services} answers.
using Record = std::variant<Site, Office, Service>;
// {"<kind>": [records]}, kind sites|offices|services.
struct RecordList {
  std::string kind;
  std::vector<Record> items;
};
// One closing day of a year's calendar. kind: national | patron | ente (only the ente's own
// days have an id: they are the ones an administrator can delete).
struct ClosingDay {
  std::optional<std::string> id;
  std::string date, name, kind;
};
// {"year", "holidays": [by date]}.
struct HolidayCalendar {
  int year = 0;
  std::vector<ClosingDay> holidays;
};

struct Cached {
  std::shared_ptr<const std::string> officesJson;  // the "offices" array, rendered
  std::shared_ptr<const std::string> enteJson;
  std::string today;  // local date of validity
  int64_t validUntilMs = 0;
};

class DirectoryService {
 public:
  DirectoryService(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Public
  asio::awaitable<Result<std::vector<Ente>>> listEnti();
  asio::awaitable<Result<Ente>> ente(std::string slug);
  // The whole body of GET /offices: {"ente":…,"now":…,"today":…,"offices":[…]}.
  asio::awaitable<Result<std::string>> officesView(std::string slug);
  void invalidate(const std::string& slug);
  // The current year in the ente's time zone (by the injected clock).
  int currentYear(const std::string& slug) const;
  asio::awaitable<Result<std::string>> defaultEnteSlug(std::string configured);

  // Administration (the caller checked admin rights for enteId/slug).
  asio::awaitable<Result<Ente>> updateEnte(std::string slug, Json patch);
  // kind: sites|offices|services (anything else: not found).
  asio::awaitable<Result<RecordList>> list(std::string slug, std::string kind);
  asio::awaitable<Result<Record>> get(std::string slug, std::string kind, std::string id);
  asio::awaitable<Result<Record>> create(std::string slug, std::string kind, Json body);
  asio::awaitable<Result<Record>> update(std::string slug, std::string kind, std::string id,
                                         Json patch);
  asio::awaitable<Status> remove(std::string slug, std::string kind, std::string id);
  // National holidays, the patron day and the ente's own closing days of `year`, by date.
  asio::awaitable<Result<HolidayCalendar>> holidays(std::string slug, int year);
  asio::awaitable<Result<ClosingDay>> addHoliday(std::string slug, Json body);
  asio::awaitable<Status> removeHoliday(std::string slug, std::string id);
  asio::awaitable<Result<OfficeSchedule>> schedule(std::string slug, std::string officeId);
  asio::awaitable<Result<OfficeSchedule>> putSchedule(std::string slug, std::string officeId,
                                                      Json body);

  // Blocking, for the CLI and the demo loader: insert inside an existing
  // transaction.
  static Status validateEnte(const Ente& e);

 private:
  Result<Cached> render(sql::Connection& c, const std::string& slug, int64_t nowMs);

  Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const Cached>> cache_;  // GUARDED_BY(mu_)
  std::string defaultSlug_;                                                // GUARDED_BY(mu_)
};

// JSON renderings shared with other capabilities.
Json toJson(const Ente& e);
Json toJson(const Site& s);
Json toJson(const Office& o);
Json toJson(const Service& s);
Json toJson(const OfficeSchedule& s);  // {"rules", "exceptions"}
Json toJson(const Record& r);
Json toJson(const RecordList& l);
Json toJson(const ClosingDay& h);
Json toJson(const HolidayCalendar& c);
Result<OfficeSchedule> scheduleFromJson(const Json& body);
// Builds the evaluation spec of one office's schedule for its ente.
Result<ScheduleSpec> specFor(const Ente& e, const OfficeSchedule& s,
                             const std::vector<EnteHoliday>& extra);
// WCAG contrast ratio of white text on `hex` (#rrggbb).
double contrastWithWhite(const std::string& hex);
bool validSlug(std::string_view s);

}  // namespace sportello::directory
