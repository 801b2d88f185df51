#include "core/mime.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "core/contact.h"

namespace sportello::mime {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool printableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool oneLine(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

std::string rfc2822Date(int64_t ms) {
  // Day and month names are fixed English tokens (RFC 5322), whatever the process locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// A parameter value (filename): quoted when ASCII, RFC 2231 percent-encoded otherwise.
std::string fileParam(std::string_view name) {
  if (printableAscii(name) && name.find_first_of("\"\\") == std::string_view::npos) {
    return "filename=\"" + std::string(name) + "\"";
  }
  std::string out = "filename*=UTF-8''";
  static constexpr char hex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

bool validAddress(std::string_view s) {
  return contact::validEmail(s);
}

std::string bareAddress(std::string_view from) {
  size_t lt = from.rfind('<');
  size_t gt = from.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(from.substr(lt + 1, gt - lt - 1));
  }
  return std::string(from);
}

std::string encodeHeaderWord(std::string_view utf8) {
  if (printableAscii(utf8)) return std::string(utf8);
  // Encoded words hold at most 75 characters: 45 bytes of text (60 in base64) per word,
  // never splitting a UTF-8 sequence.
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t end = std::min(utf8.size(), i + 45);
    while (end < utf8.size() && end > i && (uint8_t(utf8[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string base64Lines(std::string_view bytes) {
  std::string b = base64(bytes);
  std::string out;
  out.reserve(b.size() + b.size() / 76 * 2 + 2);
  for (size_t i = 0; i < b.size(); i += 76) {
    out.append(b, i, 76);
    out += "\r\n";
  }
  return out;
}

Result<std::string> build(const Message& m) {
  if (!validAddress(m.to)) return makeError(Errc::kInvalid, "indirizzo email non valido", "to");
  for (std::string_view v : {std::string_view(m.from), std::string_view(m.subject),
                             std::string_view(m.messageId), std::string_view(m.boundary)}) {
    if (!oneLine(v)) return makeError(Errc::kInvalid, "intestazione su più righe", "header");
  }
  for (const auto& a : m.attachments) {
    if (!oneLine(a.filename) || !oneLine(a.contentType)) {
      return makeError(Errc::kInvalid, "intestazione su più righe", "attachment");
    }
  }
  std::string from = m.from;
  if (size_t lt = from.rfind('<'); lt != std::string::npos && lt > 0) {
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!printableAscii(name)) from = encodeHeaderWord(name) + " " + from.substr(lt);
  }
  std::string out;
  out += "From: " + from + "\r\n";
  out += "To: <" + m.to + ">\r\n";
  out += "Subject: " + encodeHeaderWord(m.subject) + "\r\n";
  out += "Date: " + rfc2822Date(m.dateMs) + "\r\n";
  out += "Message-ID: <" + m.messageId + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  const std::string textPart =
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      base64Lines(m.text);
  if (m.attachments.empty()) {
    out += textPart;
    return out;
  }
  out += "Content-Type: multipart/mixed; boundary=\"" + m.boundary + "\"\r\n\r\n";
  out += "--" + m.boundary + "\r\n" + textPart;
  for (const auto& a : m.attachments) {
    out += "--" + m.boundary + "\r\n";
    out += "Content-Type: " + a.contentType + "\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Disposition: attachment; " + fileParam(a.filename) + "\r\n\r\n";
    out += base64Lines(a.content);
  }
  out += "--" + m.boundary + "--\r\n";
  return out;
}

}  // namespace sportello::mime
