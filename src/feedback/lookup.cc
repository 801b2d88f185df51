#include "feedback/lookup.h"

#include "feedback/store.h"

namespace sportello::feedback::lookup {

Result<std::optional<Rating>> ratingOf(sql::Connection& c, Channel channel,
                                       const std::string& contactId) {
  return store::ratingOf(c, channel, contactId);
}

}  // namespace sportello::feedback::lookup
