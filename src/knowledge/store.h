// The knowledge base's SQL (migrations 900+): articles, their office/service links, versions,
// feedback and the full-text index. Every function runs on the caller's connection (inside its
// transaction, for writes); private to src/knowledge (docs/ARCHITECTURE.md, "Capabilities").
//
// Full text, one token rule for both databases (model/text.h):
//  - SQLite: an FTS5 table kb_fts (rowid = the article row's rowid) holding only published
//    articles, whose columns are the C++ token streams (stemmed by libstemmer, accents folded):
//    ente, title_it, body_it, title_en, body_en; ranked with bm25, titles weighing 10× the body.
//  - PostgreSQL: tsvector columns tsv_it / tsv_en (GIN-indexed) made by to_tsvector('italian' |
//    'english') from accent-folded text, titles weight A; ranked with ts_rank.
#pragma once

#include <map>

#include "knowledge/types.h"
#include "platform/database.h"

namespace sportello::knowledge::store {

std::vector<Migration> migrations();

// Insert / update the article with its links and its full-text entry (the update is
// unconditional: the service compared the version inside the same transaction).
Status insertArticle(sql::Connection& c, const Article& a);
Status updateArticle(sql::Connection& c, const Article& a);

// kNotFound "articolo non trovato".
Result<Article> articleById(sql::Connection& c, const std::string& enteId, const std::string& id);
Result<Article> articleBySlug(sql::Connection& c, const std::string& enteId,
                              const std::string& slug);
// Whether the ente has an article with this slug other than `exceptId`.
Result<bool> slugTaken(sql::Connection& c, const std::string& enteId, const std::string& slug,
                       const std::string& exceptId = {});

struct ListFilter {
  std::string enteId;
  std::optional<ArticleStatus> status;
  std::optional<std::string> validOn;  // "YYYY-MM-DD": only articles valid that day
  std::optional<std::string> officeId, serviceId;
};
// By Italian title.
Result<std::vector<Article>> listArticles(sql::Connection& c, const ListFilter& f);

// Published articles valid on q.today, best first (empty when the text has no word left).
// With q.preferOffice: that office's articles score double (and are never crowded out by the
// others), the ente's others follow by their own score.
Result<std::vector<SearchHit>> search(sql::Connection& c, const SearchQuery& q);

Status insertVersion(sql::Connection& c, const std::string& articleId, const ArticleVersion& v);
// Newest first, without snapshots.
Result<std::vector<ArticleVersion>> versions(sql::Connection& c, const std::string& articleId);
Result<ArticleVersion> version(sql::Connection& c, const std::string& articleId, int64_t n);

Status insertFeedback(sql::Connection& c, const std::string& id, const Article& a, bool helpful,
                      const std::string& context, int64_t at);
// Marks a helpful answer of the ente as "the question ended there" (a repeat changes
// nothing); false when no helpful answer of the ente has that id.
Result<bool> markEnded(sql::Connection& c, const std::string& enteId, const std::string& id);
Result<FeedbackCounts> feedbackCounts(sql::Connection& c, const std::string& articleId);
// Article id → counts, for every article of the ente with an answer.
Result<std::map<std::string, FeedbackCounts>> feedbackByArticle(sql::Connection& c,
                                                                const std::string& enteId);

}  // namespace sportello::knowledge::store
