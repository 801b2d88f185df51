// Process metrics in Prometheus text format: requests by method class and
// status class, a latency histogram, open HTTP and WebSocket connections, signals between nodes.
// Lock-free (atomics).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace sportello {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void observeRequest(int status, double seconds);
  void connectionOpened() { httpConnections_++; }
  void connectionClosed() { httpConnections_--; }
  void wsOpened() { wsConnections_++; }
  void wsClosed() { wsConnections_--; }
  void eventsPublished(uint64_t n) { events_ += n; }
  void wsMessageSent() { wsSent_++; }
  // WebRTC signalling across nodes (WsHub::setSignalBus).
  void signalPublished() { signalsPublished_++; }
  void signalReceived() { signalsReceived_++; }
  void signalUnavailable() { signalsUnavailable_++; }
  int64_t openConnections() const { return httpConnections_.load(); }
  std::string render() const;

 private:
  std::array<std::atomic<uint64_t>, 6> byClass_{};  // 1xx..5xx, index 1..5
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sumMicros_{0};
  std::atomic<int64_t> httpConnections_{0};
  std::atomic<int64_t> wsConnections_{0};
  std::atomic<uint64_t> events_{0};
  std::atomic<uint64_t> wsSent_{0};
  std::atomic<uint64_t> signalsPublished_{0};
  std::atomic<uint64_t> signalsReceived_{0};
  std::atomic<uint64_t> signalsUnavailable_{0};
};

}  // namespace sportello
