// The knowledge base's data (docs/API.md, "Knowledge base"): an article of an ente with its
// Italian and (optional) English text, its offices and services, validity dates and status; the
// versions kept of it; the citizens' "Ti è stato utile?" answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sportello::knowledge {

enum class ArticleStatus { kDraft, kPublished, kArchived };
const char* statusName(ArticleStatus s);
std::optional<ArticleStatus> parseStatus(std::string_view s);

// One text in both languages ("" = none; Italian is required where the API says so).
struct Localized {
  std::string it, en;
  const std::string& in(bool english) const { return english && !en.empty() ? en : it; }
};

// The editable text of an article. summary and fees are plain text; body, documents, steps and
// audience Markdown (fees too may hold Markdown: all five are rendered).
struct ArticleText {
  Localized title, summary, body, documents, fees, steps, audience;
};

struct Article {
  std::string id, enteId, slug;
  ArticleStatus status = ArticleStatus::kDraft;
  int64_t version = 0;  // 1 at creation, +1 on every save and status change
  ArticleText text;
  std::vector<std::string> officeIds, serviceIds;
  std::optional<std::string> validFrom, validUntil;  // local dates "YYYY-MM-DD", inclusive
  int64_t createdAt = 0, updatedAt = 0;
  std::optional<std::string> updatedById, updatedByName;
};

struct ArticleVersion {
  int64_t version = 0;
  ArticleStatus status = ArticleStatus::kDraft;
  int64_t at = 0;
  std::optional<std::string> authorId, authorName;
  std::string titleIt;
  std::string snapshot;  // the article's JSON (staff view, without the rendered fields)
};

// "Ti è stato utile?" answers of an article; `ended`: the helpful ones after which the citizen
// said the question ended there (no knock, no message sent).
struct FeedbackCounts {
  int64_t helpful = 0, notHelpful = 0, ended = 0;
};

// What the citizen search and the operators' suggestions look for.
struct SearchQuery {
  std::string enteId;
  std::string text;
  bool english = false;  // also the English text (stemmed as English)
  bool any = false;      // OR of the words (suggestions; the fallback when AND finds none)
  std::string today;     // the ente's local date: only articles valid on it
  std::optional<std::string> officeId;    // only this office's articles
  std::optional<std::string> preferOffice;  // this office's articles first (suggestions)
  int64_t limit = 5;
};

struct SearchHit {
  Article article;
  double score = 0;  // higher is better
};

}  // namespace sportello::knowledge
