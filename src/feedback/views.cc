#include "feedback/views.h"

namespace sportello::feedback {

Json toJson(const RatingStatus& s) {
  return Json{{"channel", name(s.channel)},
              {"rateable", s.rateable},
              {"rated", s.rated},
              {"reasons", reasons()}};
}

}  // namespace sportello::feedback
