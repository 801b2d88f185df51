#include "core/contact.h"

#include <cctype>

namespace sportello::contact {

bool validEmail(std::string_view s) {
  if (s.empty() || s.size() > 254) return false;
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= s.size()) return false;
  std::string_view domain = s.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c >= 0x7f) return false;
    if (c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
        c == '\\' || c == '"' || c == '[' || c == ']') {
      return false;
    }
    if (c == '@' && i != at) return false;
  }
  for (unsigned char c : domain) {
    if (!(std::isalnum(c) || c == '-' || c == '.')) return false;
  }
  return true;
}

bool validPhone(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  size_t i = s[0] == '+' ? 1 : 0;
  int digits = 0;
  bool afterSeparator = true;  // no separator first (after the '+'), none doubled
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isdigit(c)) {
      ++digits;
      afterSeparator = false;
    } else if (c == ' ' || c == '-' || c == '.' || c == '/') {
      if (afterSeparator) return false;
      afterSeparator = true;
    } else {
      return false;
    }
  }
  return !afterSeparator && digits >= 6 && digits <= 15;
}

}  // namespace sportello::contact
