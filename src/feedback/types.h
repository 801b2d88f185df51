// Ratings as stored: one row per rated contact, whatever its channel. Anonymous by design: the
// row names the contact it judges (to keep one rating per contact) and where it happened
// (office, service, operator: the figures' dimensions), never the citizen.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "feedback/model/rating.h"

namespace sportello::feedback {

struct Rating {
  std::string id, enteId;
  Channel channel = Channel::kVisit;
  std::string contactId;  // visit id, ticket id, booking id, case id (case and phone)
  std::string officeId;
  std::optional<std::string> serviceId, operatorId;
  Score score = Score::kPositive;
  std::vector<std::string> reasons;
  std::string comment;
  int64_t contactAt = 0;  // when the contact ended (ms UTC): the hour the figures count it in
  int64_t ratedAt = 0;
};

}  // namespace sportello::feedback
