// The pass rules (issue 18), pure and deterministic: what a turnstile answers for a pass, and
// the pieces of a visitor's record that are decided without I/O (validity window, document tail).
//
// A pass opens the areas that contain its destination office, inside its validity window,
// at the turnstiles of its own ente. Anti-passback: a pass that is inside an area cannot enter
// again before it exits, and cannot exit where it did not enter. Exit is never refused for an
// expired or revoked pass (nobody is kept in): only for where the pass is.
//
// Entry is decided in this order, the first failing rule giving the reason: other_ente,
// revoked, not_yet_valid, expired, wrong_area, anti_passback. Exit: other_ente, then
// anti_passback (not inside anywhere), wrong_area (inside another area).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sportello::visitors {

enum class Direction { kIn, kOut };
const char* directionName(Direction d);  // "in" | "out"
std::optional<Direction> parseDirection(std::string_view s);

enum class CheckReason {
  kOk,
  kUnknownToken,  // no pass has this token (never minted, replaced, or erased)
  kOtherEnte,     // the pass belongs to another ente than the turnstile
  kRevoked,
  kNotYetValid,
  kExpired,
  kWrongArea,     // the area is not the destination's (entry) or not where the pass is (exit)
  kAntiPassback,  // entry while inside, exit while not inside
};
const char* reasonName(CheckReason r);  // "ok", "unknown_token", …

// What the rules need to know of a pass.
struct PassState {
  std::string enteId;
  int64_t validFrom = 0, validUntil = 0;  // ms UTC, [from, until)
  bool revoked = false;
  std::optional<std::string> insideArea;  // the area the pass entered and has not exited
  std::vector<std::string> areas;         // the areas its destination office belongs to
};

// Where the check happens: the turnstile's ente and area.
struct Gate {
  std::string enteId, areaId;
};

// The answer for `pass` at `gate` in `direction` at `nowMs`; kOk allows it.
CheckReason decide(const PassState& pass, const Gate& gate, Direction direction, int64_t nowMs);

// A pass's state after an allowed check (inside the gate's area after an entry, nowhere
// after an exit). Precondition: decide(...) answered kOk.
PassState apply(PassState pass, const Gate& gate, Direction direction);

// The end of a pass's validity window minted at `nowMs` for a visit of `expectedMinutes`
// (plus `graceMinutes`), never after `dayEndMs` (the ente's next local midnight): a pass
// is for one day. A window that would end at or before now ends at dayEndMs.
int64_t passUntil(int64_t nowMs, int64_t expectedMinutes, int64_t graceMinutes, int64_t dayEndMs);

// The only part of an identity document kept: its last `keep` letters or digits, upper case
// (spaces and punctuation dropped). "" when the number has none.
std::string documentTail(std::string_view number, size_t keep = 4);

// The first name as printed on a badge: the first word of `firstName`, at most 30 bytes (cut
// on a UTF-8 boundary).
std::string badgeName(std::string_view firstName);

}  // namespace sportello::visitors
