// What the knowledge service answers, as types (docs/ARCHITECTURE.md, "Callers and views"): the
// service fills them inside its database job (the directory's names, the rendered Markdown), the
// routes render them with toJson into the shapes of docs/API.md, "Knowledge base".
// Plain values: copyable, no I/O, safe to move between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_fields.h"
#include "knowledge/types.h"

namespace sportello::knowledge {

// The ente's offices and services an article links to (only those that still exist, in the
// article's order). `officeId` of a service: shown in staff views and the citizen's scheda.
struct OfficeRef {
  std::string id, slug, name;
};
struct ServiceRef {
  std::string id, prefix, name;
  std::optional<std::string> officeId;
};
struct Links {
  std::vector<OfficeRef> offices;
  std::vector<ServiceRef> services;
};

// A search hit, a suggestion or a list row, in the asked language (Italian when the English
// is missing). `score` only for search hits and suggestions (higher is better).
struct ArticleItem {
  std::string slug, title, summary;
  Links links;
  std::optional<double> score;
};

// {"results": [...], "q": text}
struct SearchResults {
  std::vector<ArticleItem> results;
  std::string q;
};

// {"articles": [...]}
struct ArticleList {
  std::vector<ArticleItem> articles;
};

// The citizen's scheda: the Markdown fields already rendered safe (model/markdown.h).
struct PublicArticle {
  std::string slug, title, summary;
  std::string bodyHtml, documentsHtml, feesHtml, stepsHtml, audienceHtml;
  std::optional<std::string> validUntil;
  int64_t updatedAt = 0;
  Links links;
};

// The five Markdown fields rendered, in both languages (the editor's preview).
struct RenderedText {
  Localized body, documents, fees, steps, audience;
};
RenderedText renderAll(const ArticleText& t);

// The staff view of an article; with `html` (the editor, a change's answer) and with its
// feedback counts (the editor's list).
struct StaffArticle {
  Article article;
  Links links;
  std::optional<RenderedText> html;
  std::optional<FeedbackCounts> feedback;
};

// {"articles": [StaffArticle with counts]}
struct StaffArticleList {
  std::vector<StaffArticle> articles;
};

// {"article": StaffArticle with html, "helpful", "not_helpful", "ended"}
struct StaffArticleDetail {
  StaffArticle article;
  FeedbackCounts feedback;
};

// {"versions": [...]} newest first (without snapshots).
struct VersionList {
  std::vector<ArticleVersion> versions;
};

// {"article": the staff view as it was saved in that version, with its rendered fields}
struct VersionSnapshot {
  Json saved;
  RenderedText html;
};

// A "Ti è stato utile?" answer recorded: {"recorded": true, "id": …}; `id` lets the same
// citizen say afterwards that the question ended there (…/feedback/{id}/ended).
struct FeedbackReceipt {
  std::string id;
};

Json toJson(const ArticleItem& a);
Json toJson(const SearchResults& r);
Json toJson(const ArticleList& l);
Json toJson(const PublicArticle& a);
// The staff view without the rendered fields (what a version keeps as its snapshot), then
// with them when `html` is set, and "helpful" / "not_helpful" / "ended" when `feedback` is.
Json toJson(const StaffArticle& a);
Json toJson(const StaffArticleList& l);
Json toJson(const StaffArticleDetail& d);
Json toJson(const ArticleVersion& v);
Json toJson(const VersionList& l);
Json toJson(const VersionSnapshot& s);
Json toJson(const FeedbackReceipt& r);

}  // namespace sportello::knowledge
