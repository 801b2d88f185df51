// One rating model for every channel ("Mettiamoci la faccia"): three faces, reasons only after a
// neutral or negative vote, an optional comment, one rating per contact, anonymous (a rating
// names the contact it judges, never the person). Pure; unit-tested in tests/unit/feedback.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sportello::feedback {

// The contact a rating judges, by channel. The reference a citizen holds: visit → visit id
// (X-Visit-Token), ticket → ticket id (X-Ticket-Token), appointment → booking code
// (X-Booking-Token), case → tracking code (X-Case-Token). phone → the phone case's id, recorded
// by the operator from the caller's answer (staff session).
enum class Channel { kVisit, kTicket, kAppointment, kCase, kPhone };
enum class Score { kPositive, kNeutral, kNegative };

const char* name(Channel c);
const char* name(Score s);
std::optional<Channel> parseChannel(std::string_view s);
std::optional<Score> parseScore(std::string_view s);
const std::vector<Channel>& allChannels();

// The reasons a citizen may tick after a neutral or negative vote (the same list everywhere).
const std::vector<std::string>& reasons();
inline constexpr size_t kMaxCommentChars = 500;

// kInvalid naming the field: reasons after a positive vote, an unknown or repeated reason, a
// comment over kMaxCommentChars characters or not UTF-8.
Status validate(Score score, const std::vector<std::string>& reasons, const std::string& comment);

// Stored form of the reasons: comma-joined (reasons never contain a comma).
std::string joinReasons(const std::vector<std::string>& r);
std::vector<std::string> splitReasons(std::string_view s);

}  // namespace sportello::feedback
