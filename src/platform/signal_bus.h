// The carrier of WebRTC signalling between nodes. Signalling (offers, answers, ICE candidates)
// is ephemeral — never in the event log — yet the two parties of a visit may be connected to
// different nodes behind a load balancer without affinity. A bus takes an opaque message from
// the hub of one node to the hubs of all the other nodes; what it means and who may receive it
// is the hub's business (platform/server.h, WsHub::receiveSignal), never the bus's.
//
// Guarantees: the messages one node publishes reach each other node in the order they were
// published. Delivery is best effort: a message published while a node's bus connection is
// down, or not read within a minute, is lost (the sender then hears `unavailable`).
#pragma once

#include <functional>
#include <string>

namespace sportello {

class SignalBus {
 public:
  // Called with each message another node published, in that node's order, on the bus's own
  // thread: it must not block (the hub queues the message and returns).
  using Receiver = std::function<void(std::string message)>;

  virtual ~SignalBus() = default;
  // Starts handing the other nodes' messages to `receiver` (call once, before publishing).
  virtual void start(Receiver receiver) = 0;
  // Thread-safe and non-blocking: queues `message` for every other node.
  virtual void publish(std::string message) = 0;
};

}  // namespace sportello
