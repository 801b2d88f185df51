// Markdown to HTML for the knowledge base's articles, rendered by the server so that the web
// inserts only HTML that cannot carry script.
//
// Renderer: libcmark (Debian's libcmark0.30, the CommonMark reference implementation, maintained
// upstream by the spec's authors), called with CMARK_OPT_SAFE: raw HTML blocks and inline HTML
// are replaced by a comment ("raw HTML omitted") and links or images whose URL is javascript:,
// vbscript:, file: or data: (other than images) lose their URL. Text is HTML-escaped. No
// hand-written sanitiser: the safe mode of a maintained parser, plus tests
// (tests/unit/knowledge/markdown_test.cc) that script, event attributes and javascript: links
// never reach the output.
//
// Thread-safety: pure; cmark keeps no global state when called this way.
#pragma once

#include <string>
#include <string_view>

namespace sportello::knowledge {

// The HTML of CommonMark `md` (safe mode). "" for an empty or blank text.
std::string renderMarkdown(std::string_view md);

}  // namespace sportello::knowledge
