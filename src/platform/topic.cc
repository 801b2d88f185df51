#include "platform/topic.h"

namespace sportello {

namespace {
std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t colon = s.find(':', start);
    out.emplace_back(s.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) return out;
    start = colon + 1;
  }
}
bool isParam(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
}  // namespace

Topic::Topic(std::string_view name) : name_(name), segments_(split(name)) {}

bool Topic::match(std::string_view pattern) {
  auto pat = split(pattern);
  if (pat.size() != segments_.size()) return false;
  std::vector<std::pair<std::string, std::string>> got;
  for (size_t i = 0; i < pat.size(); ++i) {
    if (isParam(pat[i])) {
      if (segments_[i].empty()) return false;
      got.emplace_back(pat[i].substr(1, pat[i].size() - 2), segments_[i]);
    } else if (pat[i] != segments_[i]) {
      return false;
    }
  }
  params_ = std::move(got);
  return true;
}

const std::string& Topic::param(std::string_view key) const {
  static const std::string kNone;
  for (const auto& [k, v] : params_) {
    if (k == key) return v;
  }
  return kNone;
}

std::string Topic::make(std::string_view pattern,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
  std::string out;
  bool first = true;
  for (const auto& seg : split(pattern)) {
    if (!first) out += ':';
    first = false;
    if (!isParam(seg)) {
      out += seg;
      continue;
    }
    std::string_view key = std::string_view(seg).substr(1, seg.size() - 2);
    for (const auto& [k, v] : args) {
      if (k == key) out += v;
    }
  }
  return out;
}

}  // namespace sportello
