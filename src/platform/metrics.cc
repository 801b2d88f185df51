#include "platform/metrics.h"

#include <sstream>

namespace sportello {

void Metrics::observeRequest(int status, double seconds) {
  int cls = status / 100;
  if (cls >= 1 && cls <= 5) byClass_[cls]++;
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  buckets_[i]++;
  count_++;
  sumMicros_ += static_cast<uint64_t>(seconds * 1e6);
}

std::string Metrics::render() const {
  std::ostringstream o;
  o << "# HELP sportello_http_requests_total HTTP requests answered, by status "
       "class.\n"
       "# TYPE sportello_http_requests_total counter\n";
  for (int c = 1; c <= 5; ++c) {
    o << "sportello_http_requests_total{code=\"" << c << "xx\"} " << byClass_[c].load() << "\n";
  }
  o << "# HELP sportello_http_request_duration_seconds Time from request read "
       "to response "
       "ready.\n# TYPE sportello_http_request_duration_seconds histogram\n";
  uint64_t cum = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cum += buckets_[i].load();
    o << "sportello_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cum
      << "\n";
  }
  cum += buckets_[kBuckets.size()].load();
  o << "sportello_http_request_duration_seconds_bucket{le=\"+Inf\"} " << cum << "\n";
  o << "sportello_http_request_duration_seconds_sum " << (sumMicros_.load() / 1e6) << "\n";
  o << "sportello_http_request_duration_seconds_count " << count_.load() << "\n";
  o << "# HELP sportello_http_connections Open HTTP connections.\n"
       "# TYPE sportello_http_connections gauge\nsportello_http_connections "
    << httpConnections_.load() << "\n";
  o << "# HELP sportello_websocket_connections Open WebSocket connections.\n"
       "# TYPE sportello_websocket_connections "
       "gauge\nsportello_websocket_connections "
    << wsConnections_.load() << "\n";
  o << "# HELP sportello_events_published_total Events committed and "
       "published.\n"
       "# TYPE sportello_events_published_total "
       "counter\nsportello_events_published_total "
    << events_.load() << "\n";
  o << "# HELP sportello_websocket_messages_sent_total WebSocket messages "
       "sent.\n"
       "# TYPE sportello_websocket_messages_sent_total counter\n"
       "sportello_websocket_messages_sent_total "
    << wsSent_.load() << "\n";
  o << "# HELP sportello_signals_published_total WebRTC signals sent to the other nodes.\n"
       "# TYPE sportello_signals_published_total counter\nsportello_signals_published_total "
    << signalsPublished_.load() << "\n";
  o << "# HELP sportello_signals_received_total WebRTC signals from other nodes delivered "
       "here.\n"
       "# TYPE sportello_signals_received_total counter\nsportello_signals_received_total "
    << signalsReceived_.load() << "\n";
  o << "# HELP sportello_signals_unavailable_total WebRTC signals answered unavailable (the "
       "other party connected nowhere).\n"
       "# TYPE sportello_signals_unavailable_total counter\nsportello_signals_unavailable_total "
    << signalsUnavailable_.load() << "\n";
  return o.str();
}

}  // namespace sportello
