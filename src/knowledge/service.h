// Knowledge base use cases (issue 17; docs/API.md, "Knowledge base"): the citizens' search,
// list and article pages (published articles valid today in the ente's time zone) and their
// "Ti è stato utile?" answers (anonymous, limited per address); the staff's editing (supervisors
// and admins: create, save with optimistic concurrency, publish / unpublish / archive, every
// change kept as a version with its author), reading (any staff of the ente: drafts, versions,
// feedback counts) and the operators' suggestions from a conversation's or a case's text.
// Each change is one write transaction emitting "kb.updated" {id, slug, status, version} on
// `ente:{slug}:staff`.
// Thread-safe; all methods run on the caller's executor and wait on the database workers.
#pragma once

#include "core/clock.h"
#include "knowledge/types.h"
#include "knowledge/views.h"
#include "platform/database.h"
#include "staff/service.h"

namespace sportello::knowledge {

namespace asio = boost::asio;

struct KnowledgeOptions {
  // "Ti è stato utile?" answers accepted per client address per hour (0 = no limit).
  int feedbackPerAddressPerHour = 30;
};

struct PublicSearch {
  std::string text;
  bool english = false;
  std::string office;  // id or slug, "" = every office
  int64_t limit = 5;
};

class KnowledgeService {
 public:
  KnowledgeService(Database& db, const Clock& clock, KnowledgeOptions opts = {});

  // ---- citizens (no session) ----
  // Every word (AND), else any word (OR) when AND finds nothing.
  asio::awaitable<Result<SearchResults>> search(std::string slug, PublicSearch s);
  asio::awaitable<Result<ArticleList>> list(std::string slug, std::string office,
                                            std::string service, bool english);
  asio::awaitable<Result<PublicArticle>> article(std::string slug, std::string articleSlug,
                                                 bool english);
  // "Ti è stato utile?" (context: page, knock, message, widget); limited per address.
  asio::awaitable<Result<FeedbackReceipt>> feedback(std::string slug, std::string articleSlug,
                                                    bool helpful, std::string context,
                                                    std::string remote);
  // The citizen who found an article helpful (the receipt's id, unguessable) says the
  // question ended there: no knock, no message. Once per answer; a "not helpful" answer or
  // an unknown id → kNotFound.
  asio::awaitable<Result<FeedbackReceipt>> feedbackEnded(std::string slug, std::string id);

  // ---- staff (ctx already required: any staff to read, supervisor/admin to change) ----
  asio::awaitable<Result<StaffArticleList>> adminList(staff::StaffContext ctx,
                                                      std::string status, std::string q);
  asio::awaitable<Result<StaffArticleDetail>> adminGet(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<StaffArticle>> create(staff::StaffContext ctx, Json body);
  asio::awaitable<Result<StaffArticle>> save(staff::StaffContext ctx, std::string id, Json body);
  asio::awaitable<Result<StaffArticle>> setStatus(staff::StaffContext ctx, std::string id,
                                                  ArticleStatus status, int64_t version);
  asio::awaitable<Result<VersionList>> versions(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<VersionSnapshot>> version(staff::StaffContext ctx, std::string id,
                                                   int64_t n);
  // Published articles for an operator's conversation or case text: its rarest words (stop
  // words dropped), best first; `office` (id or slug, "" = none): that office's articles score
  // double, so they come first among comparable matches and the others stay.
  asio::awaitable<Result<SearchResults>> suggest(staff::StaffContext ctx, std::string text,
                                                 std::string office, int64_t limit);
  // An operator records that a published article answered (or not) the question in hand
  // (context "operator", no address limit: the session is the guard).
  asio::awaitable<Result<FeedbackReceipt>> operatorFeedback(staff::StaffContext ctx,
                                                            std::string articleSlug,
                                                            bool helpful);

  // Building blocks shared with the demo loader and the bench (run inside the caller's write
  // transaction): checks and inserts a new article as `author` (nullopt: the system), with its
  // first version and its event. `a.slug` empty: made from the Italian title.
  static Result<Article> insert(Tx& tx, const std::string& enteSlug, Article a,
                                const std::optional<staff::Operator>& author);

 private:
  Database& db_;
  const Clock& clock_;
  KnowledgeOptions opts_;
};

}  // namespace sportello::knowledge
