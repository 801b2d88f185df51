// Topic names of the event log ("visit:abc", "office:xyz:queue"): built from a pattern and
// parsed against one, here only. Each capability writes its patterns once (its service.h) and
// uses them both to name its topics and to declare its topic families (capability.cc).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sportello {

// A topic name, split at ':' once and matched against patterns such as "office:{id}:queue"
// (a "{name}" segment matches any non-empty segment and is captured). The one place topic names
// are parsed; capabilities build theirs with `Topic::make`.
class Topic {
 public:
  explicit Topic(std::string_view name);
  const std::string& name() const { return name_; }
  // True if the name has the pattern's shape; the captured segments are then in param().
  bool match(std::string_view pattern);
  // A captured segment of the last successful match ("" if none).
  const std::string& param(std::string_view key) const;
  // "office:{id}:queue" with {"id", "abc"} → "office:abc:queue".
  static std::string make(
      std::string_view pattern,
      std::initializer_list<std::pair<std::string_view, std::string_view>> args);

 private:
  std::string name_;
  std::vector<std::string> segments_;
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace sportello
