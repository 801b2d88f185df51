// Internet messages (RFC 5322 + MIME) for the mail outbox: pure text building, no I/O.
// Bodies are UTF-8 and sent base64-encoded (safe for any content, 76-character lines);
// non-ASCII subjects and display names become RFC 2047 encoded words. Header values are
// single lines: CR and LF in them are refused, so user text can never add a header.
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sportello::mime {

struct Attachment {
  std::string filename;     // ASCII or UTF-8 (RFC 2231 encoded when not plain ASCII)
  std::string contentType;  // e.g. "text/calendar; charset=UTF-8; method=PUBLISH"
  std::string content;      // raw bytes
};

struct Message {
  std::string from;       // "Comune di Esempio <urp@esempio.it>" or a bare address
  std::string to;         // one bare address
  std::string subject;    // UTF-8
  std::string messageId;  // without angle brackets, e.g. "abc@sportello"
  int64_t dateMs = 0;     // the Date: header (UTC)
  std::string text;       // text/plain body, UTF-8
  std::vector<Attachment> attachments;
  std::string boundary;   // multipart boundary (random, chosen by the caller)
};

// A plausible single mailbox address: the one rule of contact::validEmail (ASCII, no spaces,
// CR/LF or angle brackets, at most 254 characters, a dot in the domain).
bool validAddress(std::string_view s);

// The bare address of a "Name <addr>" or "addr" sender.
std::string bareAddress(std::string_view from);

// RFC 2047 "B" encoded words for a header value (returned as is when printable ASCII).
std::string encodeHeaderWord(std::string_view utf8);

// Base64 with CRLF every 76 characters (the body encoding).
std::string base64Lines(std::string_view bytes);

// The whole message, CRLF line ends. kInvalid when a header value holds CR/LF or the
// recipient is not a valid address.
Result<std::string> build(const Message& m);

}  // namespace sportello::mime
