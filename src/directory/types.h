// Directory records: enti (tenants), sites, offices, services, holidays,
// schedules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "directory/schedule.h"

namespace sportello::directory {

struct Ente {
  std::string id, slug, name, timezone;
  std::optional<std::string> logoUrl;
  std::string primaryColor = "#0066cc";
  std::optional<std::string> patronDay;  // "MM-DD"
  std::optional<std::string> patronName;
  std::vector<std::string> embedOrigins;
};

struct Site {
  std::string id, enteId, name, address, kind = "town_hall";
};

struct Office {
  std::string id, enteId, slug, name, description;
  std::optional<std::string> siteId;
  std::vector<std::string> channels;
  std::string email, phone;
  int64_t sort = 0;
};

struct Service {
  std::string id, enteId;
  std::optional<std::string> officeId;
  std::string name, prefix;
  int64_t durationMinutes = 15;
  std::string documents;
  int64_t sort = 0;
};

struct EnteHoliday {
  std::string id, enteId, date, name;  // date "YYYY-MM-DD"
};

// An office's schedule as stored (local dates / minutes).
struct OfficeSchedule {
  std::vector<WeeklyRule> rules;
  std::vector<DatedException> exceptions;
};

inline const std::vector<std::string>& knownChannels() {
  static const std::vector<std::string> c = {"walk_in", "video", "chat", "phone", "email"};
  return c;
}

}  // namespace sportello::directory
