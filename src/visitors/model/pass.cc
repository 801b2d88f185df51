#include "visitors/model/pass.h"

#include <algorithm>
#include <cctype>

namespace sportello::visitors {

const char* directionName(Direction d) {
  return d == Direction::kIn ? "in" : "out";
}

std::optional<Direction> parseDirection(std::string_view s) {
  if (s == "in") return Direction::kIn;
  if (s == "out") return Direction::kOut;
  return std::nullopt;
}

const char* reasonName(CheckReason r) {
  switch (r) {
    case CheckReason::kOk: return "ok";
    case CheckReason::kUnknownToken: return "unknown_token";
    case CheckReason::kOtherEnte: return "other_ente";
    case CheckReason::kRevoked: return "revoked";
    case CheckReason::kNotYetValid: return "not_yet_valid";
    case CheckReason::kExpired: return "expired";
    case CheckReason::kWrongArea: return "wrong_area";
    case CheckReason::kAntiPassback: return "anti_passback";
  }
  return "unknown_token";
}

CheckReason decide(const PassState& pass, const Gate& gate, Direction direction, int64_t nowMs) {
  if (pass.enteId != gate.enteId) return CheckReason::kOtherEnte;
  if (direction == Direction::kOut) {
    if (!pass.insideArea) return CheckReason::kAntiPassback;
    if (*pass.insideArea != gate.areaId) return CheckReason::kWrongArea;
    return CheckReason::kOk;
  }
  if (pass.revoked) return CheckReason::kRevoked;
  if (nowMs < pass.validFrom) return CheckReason::kNotYetValid;
  if (nowMs >= pass.validUntil) return CheckReason::kExpired;
  if (std::find(pass.areas.begin(), pass.areas.end(), gate.areaId) == pass.areas.end()) {
    return CheckReason::kWrongArea;
  }
  if (pass.insideArea) return CheckReason::kAntiPassback;
  return CheckReason::kOk;
}

PassState apply(PassState pass, const Gate& gate, Direction direction) {
  if (direction == Direction::kIn) {
    pass.insideArea = gate.areaId;
  } else {
    pass.insideArea.reset();
  }
  return pass;
}

int64_t passUntil(int64_t nowMs, int64_t expectedMinutes, int64_t graceMinutes, int64_t dayEndMs) {
  int64_t until = nowMs + (std::max<int64_t>(expectedMinutes, 0) +
                           std::max<int64_t>(graceMinutes, 0)) * 60'000;
  if (until > dayEndMs || until <= nowMs) return dayEndMs;
  return until;
}

std::string documentTail(std::string_view number, size_t keep) {
  std::string alnum;
  for (char ch : number) {
    auto u = static_cast<unsigned char>(ch);
    if (u < 128 && std::isalnum(u)) alnum.push_back(static_cast<char>(std::toupper(u)));
  }
  if (alnum.size() > keep) alnum.erase(0, alnum.size() - keep);
  return alnum;
}

std::string badgeName(std::string_view firstName) {
  size_t b = firstName.find_first_not_of(' ');
  if (b == std::string_view::npos) return "";
  firstName.remove_prefix(b);
  size_t e = firstName.find(' ');
  if (e != std::string_view::npos) firstName = firstName.substr(0, e);
  if (firstName.size() > 30) {
    size_t n = 30;
    while (n > 0 && (static_cast<unsigned char>(firstName[n]) & 0xC0) == 0x80) --n;
    firstName = firstName.substr(0, n);
  }
  return std::string(firstName);
}

}  // namespace sportello::visitors
