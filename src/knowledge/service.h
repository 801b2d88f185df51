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
  // {"results": [...], "q": text}: every word (AND), else any word (OR) when AND finds nothing.
  asio::awaitable<Result<Json>> search(std::string slug, PublicSearch s);
  asio::awaitable<Result<Json>> list(std::string slug, std::string office, std::string service,
                                     bool english);
  asio::awaitable<Result<Json>> article(std::string slug, std::string articleSlug, bool english);
  asio::awaitable<Result<Json>> feedback(std::string slug, std::string articleSlug, bool helpful,
                                         std::string context, std::string remote);

  // ---- staff (ctx already required: any staff to read, supervisor/admin to change) ----
  asio::awaitable<Result<Json>> adminList(staff::StaffContext ctx, std::string status,
                                          std::string q);
  asio::awaitable<Result<Json>> adminGet(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<Json>> create(staff::StaffContext ctx, Json body);
  asio::awaitable<Result<Json>> save(staff::StaffContext ctx, std::string id, Json body);
  asio::awaitable<Result<Json>> setStatus(staff::StaffContext ctx, std::string id,
                                          ArticleStatus status, int64_t version);
  asio::awaitable<Result<Json>> versions(staff::StaffContext ctx, std::string id);
  asio::awaitable<Result<Json>> version(staff::StaffContext ctx, std::string id, int64_t n);
  // Published articles for an operator's conversation or case text: any of its words (stop
  // words dropped), best first.
  asio::awaitable<Result<Json>> suggest(staff::StaffContext ctx, std::string text,
                                        std::string office, int64_t limit);

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
