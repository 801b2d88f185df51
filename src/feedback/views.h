// What feedback answers (docs/ARCHITECTURE.md, "Callers and views"): whether a contact may be
// rated now and whether it has been.
#pragma once

#include "core/json_fields.h"
#include "feedback/model/rating.h"

namespace sportello::feedback {

struct RatingStatus {
  Channel channel = Channel::kVisit;
  bool rateable = false;  // the contact is over (done, ended, resolved) and not rated yet
  bool rated = false;
};
Json toJson(const RatingStatus& s);

}  // namespace sportello::feedback
