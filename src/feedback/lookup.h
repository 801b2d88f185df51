// What other capabilities read of feedback, on the caller's connection: the rating given to one
// contact (the citizens' personal area shows "my ratings" on the contacts the citizen made or
// claimed — ratings stay anonymous rows; the link to the citizen is citizens' own).
// feedback/store.h stays private to feedback (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include <optional>
#include <string>

#include "feedback/types.h"
#include "platform/database.h"

namespace sportello::feedback::lookup {

// The rating of contact `contactId` on `channel` (visit id, ticket id, booking id, case id),
// or nothing when it was not rated.
Result<std::optional<Rating>> ratingOf(sql::Connection& c, Channel channel,
                                       const std::string& contactId);

}  // namespace sportello::feedback::lookup
