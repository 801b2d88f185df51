// Unit tests for the articles' Markdown (src/knowledge/model/markdown.h): CommonMark by libcmark
// in safe mode — nothing that runs script reaches the HTML.
#include "knowledge/model/markdown.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace sportello::knowledge {
namespace {

bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

TEST(KnowledgeMarkdown, RendersCommonMark) {
  std::string h = renderMarkdown("**Documenti**\n\n- carta d'identità\n- codice fiscale\n\n1. uno");
  EXPECT_TRUE(has(h, "<strong>Documenti</strong>")) << h;
  EXPECT_TRUE(has(h, "<li>carta d'identità</li>")) << h;
  EXPECT_TRUE(has(h, "<ol>")) << h;
  EXPECT_TRUE(has(renderMarkdown("[ANPR](https://www.anagrafenazionale.interno.it/)"),
                  "<a href=\"https://www.anagrafenazionale.interno.it/\">ANPR</a>"));
  EXPECT_EQ(renderMarkdown(""), "");
  EXPECT_EQ(renderMarkdown("  \n "), "");
}

TEST(KnowledgeMarkdown, DropsRawHtmlAndScript) {
  std::string h = renderMarkdown("Ciao <script>alert(1)</script>\n\n<script>alert(2)</script>\n");
  EXPECT_FALSE(has(h, "<script")) << h;
  EXPECT_FALSE(has(h, "alert(2)")) << h;
  h = renderMarkdown("<img src=x onerror=alert(1)>\n\ntesto <img src=x onerror=\"alert(1)\"> qui");
  EXPECT_FALSE(has(h, "onerror")) << h;
  EXPECT_FALSE(has(h, "<img src=\"x\"")) << h;
  h = renderMarkdown("<div onclick=\"x()\">a</div>\n\n<iframe src=\"https://evil\"></iframe>");
  EXPECT_FALSE(has(h, "onclick")) << h;
  EXPECT_FALSE(has(h, "<iframe")) << h;
}

TEST(KnowledgeMarkdown, DropsUnsafeLinks) {
  for (const char* md :
       {"[clic](javascript:alert(1))", "[clic](JavaScript:alert(1))", "[clic](vbscript:msgbox(1))",
        "<javascript:alert(1)>", "[clic](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))"}) {
    std::string h = renderMarkdown(md);
    std::string lower;
    for (char c : h)
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    // No URL attribute holds the scheme (an autolink's text may still show it, escaped).
    for (const char* bad : {"=\"javascript:", "=\"vbscript:", "=\"data:"}) {
      EXPECT_FALSE(has(lower, bad)) << md << " → " << h;
    }
  }
}

TEST(KnowledgeMarkdown, EscapesTextAndAttributes) {
  std::string h = renderMarkdown("a < b & \"c\"");
  EXPECT_TRUE(has(h, "a &lt; b &amp; &quot;c&quot;")) << h;
  h = renderMarkdown("[x](https://e.it/\"onmouseover=\"alert(1))");
  EXPECT_FALSE(has(h, "\"onmouseover")) << h;
}

}  // namespace
}  // namespace sportello::knowledge
