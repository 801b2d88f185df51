#include "knowledge/model/markdown.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace sportello::knowledge {

std::string renderMarkdown(std::string_view md) {
  if (md.find_first_not_of(" \t\r\n") == std::string_view::npos) return "";
  // CMARK_OPT_SAFE: raw HTML omitted, unsafe link/image URLs emptied (the default since cmark
  // 0.29, named so the intent survives a library that changes it). Never CMARK_OPT_UNSAFE.
  std::unique_ptr<char, decltype(&std::free)> html(
      cmark_markdown_to_html(md.data(), md.size(), CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8),
      &std::free);
  return html ? std::string(html.get()) : std::string();
}

}  // namespace sportello::knowledge
