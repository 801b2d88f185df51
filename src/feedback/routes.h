// HTTP routes of feedback (docs/API.md, "Ratings"): parse input, call FeedbackService, render.
#pragma once

#include "feedback/service.h"
#include "platform/http.h"

namespace sportello::feedback {

void registerRoutes(http::Router& r, FeedbackService& fs);

}  // namespace sportello::feedback
