// The one rule for a citizen's or a recipient's email address and phone number, used by every
// place that accepts one (cases, reception, booking, the mail outbox and its test route), so an
// address accepted by one form is accepted by all and a message can always be sent to it.
// Each caller keeps its own error message and field; these only answer yes or no.
// Pure functions, safe from any thread.
#pragma once

#include <string_view>

namespace sportello::contact {

// A single mailbox local@domain: ASCII only, no spaces or control characters (so no CR/LF:
// safe to put in a mail header), none of <>()[],;:\" , exactly one '@', a local part of
// 1–64 characters, a domain of letters, digits, '-' and '.' with at least one dot, no
// leading, trailing or doubled dot, at most 254 characters in all. Not a full RFC 5321
// parser: it keeps header injection and obvious typos out. Case is kept (and accepted).
bool validEmail(std::string_view s);

// A phone number as people write it: 6 to 15 digits (E.164 allows at most 15), an optional
// leading '+', the digits optionally grouped by single spaces, '-', '.' or '/'
// ("+39 333 1234567", "06/1234567", "333-123.4567"); at most 32 characters. Letters,
// parentheses, a '+' elsewhere than first, or a leading/trailing separator are refused.
bool validPhone(std::string_view s);

}  // namespace sportello::contact
