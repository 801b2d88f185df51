#include "knowledge/service.h"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/json_fields.h"
#include "core/token.h"
#include "directory/lookup.h"
#include "knowledge/model/markdown.h"
#include "knowledge/model/text.h"
#include "knowledge/store.h"
#include "platform/ratelimit.h"

namespace sportello::knowledge {

namespace {

constexpr int64_t kMaxSearchLimit = 20;
constexpr size_t kSummaryChars = 400;

// What an article's views show of the ente's directory.
struct Refs {
  directory::Ente ente;
  std::map<std::string, directory::Office> offices;
  std::map<std::string, directory::Service> services;
};

Result<Refs> refsOf(sql::Connection& c, const std::string& slug) {
  Refs r;
  SP_ASSIGN(r.ente, directory::lookup::enteBySlug(c, slug));
  SP_ASSIGN(auto offices, directory::lookup::listOffices(c, r.ente.id));
  for (auto& o : offices) r.offices.emplace(o.id, std::move(o));
  SP_ASSIGN(auto services, directory::lookup::listServices(c, r.ente.id));
  for (auto& s : services) r.services.emplace(s.id, std::move(s));
  return r;
}

// The ente's local date "YYYY-MM-DD" at `nowMs` (Europe/Rome when its zone is unknown).
std::string today(const directory::Ente& e, int64_t nowMs) {
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(e.timezone.empty() ? "Europe/Rome" : e.timezone);
  } catch (const std::exception&) {
    tz = date::locate_zone("Europe/Rome");
  }
  auto t = std::chrono::floor<std::chrono::seconds>(SysMillis(std::chrono::milliseconds(nowMs)));
  date::year_month_day d{date::floor<date::days>(tz->to_local(t))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<std::string> officeRef(const Refs& r, const std::string& ref) {
  for (const auto& [id, o] : r.offices) {
    if (o.id == ref || o.slug == ref) return id;
  }
  return std::nullopt;
}

Links linksOf(const Article& a, const Refs& r) {
  Links l;
  for (const auto& id : a.officeIds) {
    auto it = r.offices.find(id);
    if (it == r.offices.end()) continue;  // an office removed since: not shown
    l.offices.push_back(OfficeRef{id, it->second.slug, it->second.name});
  }
  for (const auto& id : a.serviceIds) {
    auto it = r.services.find(id);
    if (it == r.services.end()) continue;
    l.services.push_back(ServiceRef{id, it->second.prefix, it->second.name, it->second.officeId});
  }
  return l;
}

StaffArticle staffView(const Article& a, const Refs& r, bool withHtml) {
  StaffArticle s{a, linksOf(a, r), std::nullopt, std::nullopt};
  if (withHtml) s.html = renderAll(a.text);
  return s;
}

// A search result or a list entry, in the asked language (Italian when the English is missing).
ArticleItem itemView(const Article& a, const Refs& r, bool english) {
  return ArticleItem{a.slug, a.text.title.in(english), a.text.summary.in(english), linksOf(a, r),
                     std::nullopt};
}

// The citizen's page.
PublicArticle publicView(const Article& a, const Refs& r, bool english) {
  const ArticleText& t = a.text;
  return PublicArticle{a.slug,
                       t.title.in(english),
                       t.summary.in(english),
                       renderMarkdown(t.body.in(english)),
                       renderMarkdown(t.documents.in(english)),
                       renderMarkdown(t.fees.in(english)),
                       renderMarkdown(t.steps.in(english)),
                       renderMarkdown(t.audience.in(english)),
                       a.validUntil,
                       a.updatedAt,
                       linksOf(a, r)};
}

SearchResults resultsOf(const std::vector<SearchHit>& hits, const Refs& r, bool english,
                        std::string q) {
  SearchResults out;
  out.q = std::move(q);
  for (const auto& h : hits) {
    out.results.push_back(itemView(h.article, r, english));
    out.results.back().score = h.score;
  }
  return out;
}

bool validOnDay(const Article& a, const std::string& day) {
  if (a.validFrom && *a.validFrom > day) return false;
  if (a.validUntil && *a.validUntil < day) return false;
  return true;
}

size_t codePoints(const std::string& s) {
  size_t n = 0;
  for (char ch : s) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Reads {"it": …, "en": …} at `key`; the first error of its members is kept in `sub`.
void readLocalized(Fields& f, const char* key, Localized& out, size_t maxLen, bool required,
                   bool multiline, std::optional<Error>& sub) {
  const Json* j = f.raw(key, Json::value_t::object, required);
  if (!j || f.failed() || sub) return;
  Fields g(*j, key);
  g.str("it", out.it, {.maxLen = maxLen, .required = required, .multiline = multiline});
  g.str("en", out.en, {.maxLen = maxLen, .multiline = multiline});
  auto st = g.finish();
  if (!st.ok()) sub = st.error();
}

struct Edit {
  ArticleText text;
  std::optional<std::string> slug;
  std::vector<std::string> offices, services;
  bool hasOffices = false, hasServices = false;
  std::optional<std::string> validFrom, validUntil;
  bool hasValidFrom = false, hasValidUntil = false;
  int64_t version = 0;
};

// The editable fields of a create (no version) or save (version required) body. Text is
// complete on both (the editor sends the whole article).
Result<Edit> readEdit(const Json& body, bool save) {
  Edit e;
  Fields f(body);
  std::optional<Error> sub;
  readLocalized(f, "title", e.text.title, 200, true, false, sub);
  readLocalized(f, "summary", e.text.summary, kSummaryChars * 4, true, true, sub);
  readLocalized(f, "body", e.text.body, 50000, true, true, sub);
  readLocalized(f, "documents", e.text.documents, 20000, false, true, sub);
  readLocalized(f, "fees", e.text.fees, 20000, false, true, sub);
  readLocalized(f, "steps", e.text.steps, 20000, false, true, sub);
  readLocalized(f, "audience", e.text.audience, 20000, false, true, sub);
  std::string slug;
  if (f.str("slug", slug, {.maxLen = 80})) {
    if (!slug.empty()) e.slug = slug;
  }
  e.hasOffices = f.strArray("offices", e.offices, 20, {.maxLen = 64});
  e.hasServices = f.strArray("services", e.services, 20, {.maxLen = 64});
  e.hasValidFrom = f.has("valid_from");
  e.hasValidUntil = f.has("valid_until");
  f.optStr("valid_from", e.validFrom, {.maxLen = 10});
  f.optStr("valid_until", e.validUntil, {.maxLen = 10});
  std::string ignoredStatus;
  f.str("status", ignoredStatus, {.maxLen = 20});
  f.integer("version", e.version, 1, INT64_MAX, save);
  SP_TRY(f.finish());
  if (sub) return *sub;
  if (codePoints(e.text.summary.it) > kSummaryChars ||
      codePoints(e.text.summary.en) > kSummaryChars) {
    return makeError(Errc::kInvalid, "il riassunto può avere al massimo 400 caratteri", "summary");
  }
  if (e.validFrom && e.validFrom->empty()) e.validFrom.reset();
  if (e.validUntil && e.validUntil->empty()) e.validUntil.reset();
  if (e.validFrom && !validDate(*e.validFrom)) {
    return makeError(Errc::kInvalid, "data non valida (AAAA-MM-GG)", "valid_from");
  }
  if (e.validUntil && !validDate(*e.validUntil)) {
    return makeError(Errc::kInvalid, "data non valida (AAAA-MM-GG)", "valid_until");
  }
  if (e.slug && !validSlug(*e.slug)) {
    return makeError(Errc::kInvalid, "indirizzo non valido: lettere minuscole, cifre e trattini",
                     "slug");
  }
  return e;
}

// Resolves and checks the ente's offices (id or slug) and services (id) of an edit.
Status resolveLinks(const Refs& r, Article& a, const Edit& e) {
  if (e.hasOffices) {
    a.officeIds.clear();
    for (const auto& ref : e.offices) {
      auto id = officeRef(r, ref);
      if (!id) return makeError(Errc::kInvalid, "ufficio non trovato", "offices");
      if (std::find(a.officeIds.begin(), a.officeIds.end(), *id) == a.officeIds.end()) {
        a.officeIds.push_back(*id);
      }
    }
  }
  if (e.hasServices) {
    a.serviceIds.clear();
    for (const auto& id : e.services) {
      if (!r.services.count(id))
        return makeError(Errc::kInvalid, "servizio non trovato", "services");
      if (std::find(a.serviceIds.begin(), a.serviceIds.end(), id) == a.serviceIds.end()) {
        a.serviceIds.push_back(id);
      }
    }
  }
  return okStatus();
}

Status checkDates(const Article& a) {
  if (a.validFrom && a.validUntil && *a.validFrom > *a.validUntil) {
    return makeError(Errc::kInvalid, "la fine della validità precede il suo inizio", "valid_until");
  }
  return okStatus();
}

Error stale() {
  Error e(Errc::kConflict,
          "l'articolo è stato modificato da qualcun altro nel frattempo: ricaricalo", "version");
  e.reason = "stale";
  return e;
}

Status slugFree(sql::Connection& c, const Article& a) {
  SP_ASSIGN(bool taken, store::slugTaken(c, a.enteId, a.slug, a.id));
  if (taken) {
    Error e(Errc::kConflict, "un altro articolo ha già questo indirizzo", "slug");
    e.reason = "slug_taken";
    return e;
  }
  return okStatus();
}

// Keeps the version and announces it: every change ends here, in its transaction.
Status recorded(Tx& tx, const std::string& enteSlug, const Article& a, const Refs& r) {
  ArticleVersion v;
  v.version = a.version;
  v.status = a.status;
  v.at = a.updatedAt;
  v.authorId = a.updatedById;
  v.authorName = a.updatedByName;
  v.titleIt = a.text.title.it;
  v.snapshot = toJson(staffView(a, r, false)).dump();
  SP_TRY(store::insertVersion(tx.conn(), a.id, v));
  return tx.emit(
      staff::enteStaffTopic(enteSlug), "kb.updated",
      {{"id", a.id}, {"slug", a.slug}, {"status", statusName(a.status)}, {"version", a.version}});
}

// The citizens' contexts; "operator" is recorded only by the staff route.
bool knownContext(const std::string& c) {
  return c == "page" || c == "knock" || c == "message" || c == "widget";
}

}  // namespace

KnowledgeService::KnowledgeService(Database& db, const Clock& clock, KnowledgeOptions opts)
    : db_(db), clock_(clock), opts_(opts) {}

Result<Article> KnowledgeService::insert(Tx& tx, const std::string& enteSlug, Article a,
                                         const std::optional<staff::Operator>& author) {
  auto& c = tx.conn();
  SP_ASSIGN(auto r, refsOf(c, enteSlug));
  a.enteId = r.ente.id;
  if (a.id.empty()) a.id = newId();
  if (a.text.title.it.empty())
    return makeError(Errc::kInvalid, "manca il titolo in italiano", "title");
  SP_TRY(checkDates(a));
  if (a.slug.empty()) {
    std::string base = makeSlug(a.text.title.it);
    if (base.empty()) base = "articolo";
    Status failed = okStatus();
    a.slug = freeSlug(base, [&](const std::string& s) {
      auto t = store::slugTaken(c, a.enteId, s);
      if (!t.ok()) failed = t.error();
      return t.ok() && t.value();
    });
    SP_TRY(failed);
  } else {
    SP_TRY(slugFree(c, a));
  }
  a.version = 1;
  a.createdAt = a.updatedAt = tx.nowMs();
  if (author) {
    a.updatedById = author->id;
    a.updatedByName = author->displayName;
  }
  SP_TRY(store::insertArticle(c, a));
  SP_TRY(recorded(tx, enteSlug, a, r));
  return a;
}

// ---- citizens ----

asio::awaitable<Result<SearchResults>> KnowledgeService::search(std::string slug, PublicSearch s) {
  if (s.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    co_return makeError(Errc::kInvalid, "scrivi che cosa cerchi", "q");
  }
  s.limit = std::clamp<int64_t>(s.limit, 1, kMaxSearchLimit);
  int64_t now = clock_.nowMs();
  auto job = [slug, s, now](sql::Connection& c) -> Result<SearchResults> {
    SP_ASSIGN(auto r, refsOf(c, slug));
    SearchQuery q;
    q.enteId = r.ente.id;
    q.text = s.text;
    q.english = s.english;
    q.today = today(r.ente, now);
    q.limit = s.limit;
    if (!s.office.empty()) {
      q.officeId = officeRef(r, s.office);
      if (!q.officeId) return makeError(Errc::kNotFound, "ufficio non trovato", "office");
    }
    SP_ASSIGN(auto hits, store::search(c, q));
    if (hits.empty()) {
      q.any = true;  // no article has every word: the ones with most of them
      SP_ASSIGN(hits, store::search(c, q));
    }
    return resultsOf(hits, r, s.english, s.text);
  };
  co_return co_await db_.read<SearchResults>(std::move(job));
}

asio::awaitable<Result<ArticleList>> KnowledgeService::list(std::string slug, std::string office,
                                                            std::string service, bool english) {
  int64_t now = clock_.nowMs();
  auto job = [slug, office, service, english, now](sql::Connection& c) -> Result<ArticleList> {
    SP_ASSIGN(auto r, refsOf(c, slug));
    store::ListFilter f;
    f.enteId = r.ente.id;
    f.status = ArticleStatus::kPublished;
    f.validOn = today(r.ente, now);
    if (!office.empty()) {
      f.officeId = officeRef(r, office);
      if (!f.officeId) return makeError(Errc::kNotFound, "ufficio non trovato", "office");
    }
    if (!service.empty()) f.serviceId = service;
    SP_ASSIGN(auto list, store::listArticles(c, f));
    ArticleList out;
    for (const auto& a : list) out.articles.push_back(itemView(a, r, english));
    // By title as a reader sorts it: case and accents ignored ("ISEE" between "Impianti"
    // and "Iscrizione"), in the language shown.
    std::stable_sort(out.articles.begin(), out.articles.end(),
                     [](const ArticleItem& x, const ArticleItem& y) {
                       return foldAccents(x.title) < foldAccents(y.title);
                     });
    return out;
  };
  co_return co_await db_.read<ArticleList>(std::move(job));
}

asio::awaitable<Result<PublicArticle>> KnowledgeService::article(std::string slug,
                                                                 std::string articleSlug,
                                                                 bool english) {
  int64_t now = clock_.nowMs();
  auto job = [slug, articleSlug, english, now](sql::Connection& c) -> Result<PublicArticle> {
    SP_ASSIGN(auto r, refsOf(c, slug));
    SP_ASSIGN(auto a, store::articleBySlug(c, r.ente.id, articleSlug));
    if (a.status != ArticleStatus::kPublished || !validOnDay(a, today(r.ente, now))) {
      return makeError(Errc::kNotFound, "articolo non trovato");
    }
    return publicView(a, r, english);
  };
  co_return co_await db_.read<PublicArticle>(std::move(job));
}

asio::awaitable<Result<FeedbackReceipt>> KnowledgeService::feedback(std::string slug,
                                                                    std::string articleSlug,
                                                                    bool helpful,
                                                                    std::string context,
                                                                    std::string remote) {
  if (context.empty()) context = "page";
  if (!knownContext(context)) {
    co_return makeError(Errc::kInvalid, "context: page, knock, message o widget", "context");
  }
  ratelimit::Rule perAddress{"kb.feedback", opts_.feedbackPerAddressPerHour};
  auto job = [slug, articleSlug, helpful, context, remote,
              perAddress](Tx& tx) -> Result<FeedbackReceipt> {
    auto& c = tx.conn();
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    SP_ASSIGN(auto a, store::articleBySlug(c, ente.id, articleSlug));
    if (a.status != ArticleStatus::kPublished || !validOnDay(a, today(ente, tx.nowMs()))) {
      return makeError(Errc::kNotFound, "articolo non trovato");
    }
    SP_ASSIGN(int64_t wait, ratelimit::take(tx, perAddress, remote));
    if (wait > 0) {
      Error e = ratelimit::tooMany("Troppe risposte da questo indirizzo.", wait);
      e.reason = "limit";
      return e;
    }
    FeedbackReceipt out{newId()};
    SP_TRY(store::insertFeedback(c, out.id, a, helpful, context, tx.nowMs()));
    return out;
  };
  co_return co_await db_.write<FeedbackReceipt>(std::move(job));
}

asio::awaitable<Result<FeedbackReceipt>> KnowledgeService::feedbackEnded(std::string slug,
                                                                         std::string id) {
  auto job = [slug, id](Tx& tx) -> Result<FeedbackReceipt> {
    auto& c = tx.conn();
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, slug));
    SP_ASSIGN(bool marked, store::markEnded(c, ente.id, id));
    if (!marked) return makeError(Errc::kNotFound, "risposta «utile» non trovata");
    return FeedbackReceipt{id};
  };
  co_return co_await db_.write<FeedbackReceipt>(std::move(job));
}

// ---- staff ----

asio::awaitable<Result<StaffArticleList>> KnowledgeService::adminList(staff::StaffContext ctx,
                                                                      std::string status,
                                                                      std::string q) {
  std::optional<ArticleStatus> st;
  if (!status.empty()) {
    st = parseStatus(status);
    if (!st) co_return makeError(Errc::kInvalid, "status: draft, published o archived", "status");
  }
  auto job = [ctx, st, q](sql::Connection& c) -> Result<StaffArticleList> {
    SP_ASSIGN(auto r, refsOf(c, ctx.enteSlug));
    store::ListFilter f;
    f.enteId = r.ente.id;
    f.status = st;
    SP_ASSIGN(auto list, store::listArticles(c, f));
    SP_ASSIGN(auto counts, store::feedbackByArticle(c, r.ente.id));
    // The editor's filter: every word of q in the title, summary or slug (accents ignored).
    std::vector<std::string> want;
    for (auto& w : words(q)) want.push_back(foldAccents(w));
    StaffArticleList out;
    for (const auto& a : list) {
      if (!want.empty()) {
        std::string hay = foldAccents(a.text.title.it + " " + a.text.title.en + " " +
                                      a.text.summary.it + " " + a.text.summary.en + " " + a.slug);
        bool all = std::all_of(want.begin(), want.end(), [&](const std::string& w) {
          return hay.find(w) != std::string::npos;
        });
        if (!all) continue;
      }
      StaffArticle s = staffView(a, r, false);
      auto it = counts.find(a.id);
      s.feedback = it == counts.end() ? FeedbackCounts{} : it->second;
      out.articles.push_back(std::move(s));
    }
    return out;
  };
  co_return co_await db_.read<StaffArticleList>(std::move(job));
}

asio::awaitable<Result<StaffArticleDetail>> KnowledgeService::adminGet(staff::StaffContext ctx,
                                                                       std::string id) {
  auto job = [ctx, id](sql::Connection& c) -> Result<StaffArticleDetail> {
    SP_ASSIGN(auto r, refsOf(c, ctx.enteSlug));
    SP_ASSIGN(auto a, store::articleById(c, r.ente.id, id));
    SP_ASSIGN(auto n, store::feedbackCounts(c, a.id));
    return StaffArticleDetail{staffView(a, r, true), n};
  };
  co_return co_await db_.read<StaffArticleDetail>(std::move(job));
}

asio::awaitable<Result<StaffArticle>> KnowledgeService::create(staff::StaffContext ctx,
                                                               Json body) {
  auto e = readEdit(body, false);
  if (!e.ok()) co_return e.error();
  auto job = [ctx, e = std::move(e.value())](Tx& tx) -> Result<StaffArticle> {
    SP_ASSIGN(auto r, refsOf(tx.conn(), ctx.enteSlug));
    Article a;
    a.text = e.text;
    a.slug = e.slug.value_or("");
    a.validFrom = e.validFrom;
    a.validUntil = e.validUntil;
    SP_TRY(resolveLinks(r, a, e));
    SP_ASSIGN(a, insert(tx, ctx.enteSlug, std::move(a), ctx.op));
    return staffView(a, r, true);
  };
  co_return co_await db_.write<StaffArticle>(std::move(job));
}

asio::awaitable<Result<StaffArticle>> KnowledgeService::save(staff::StaffContext ctx,
                                                             std::string id, Json body) {
  auto e = readEdit(body, true);
  if (!e.ok()) co_return e.error();
  auto job = [ctx, id, e = std::move(e.value())](Tx& tx) -> Result<StaffArticle> {
    auto& c = tx.conn();
    SP_ASSIGN(auto r, refsOf(c, ctx.enteSlug));
    SP_ASSIGN(auto a, store::articleById(c, r.ente.id, id));
    if (a.version != e.version) return stale();
    a.text = e.text;
    if (e.slug) a.slug = *e.slug;
    if (e.hasValidFrom) a.validFrom = e.validFrom;
    if (e.hasValidUntil) a.validUntil = e.validUntil;
    SP_TRY(resolveLinks(r, a, e));
    SP_TRY(checkDates(a));
    SP_TRY(slugFree(c, a));
    a.version += 1;
    a.updatedAt = tx.nowMs();
    a.updatedById = ctx.op.id;
    a.updatedByName = ctx.op.displayName;
    SP_TRY(store::updateArticle(c, a));
    SP_TRY(recorded(tx, ctx.enteSlug, a, r));
    return staffView(a, r, true);
  };
  co_return co_await db_.write<StaffArticle>(std::move(job));
}

asio::awaitable<Result<StaffArticle>> KnowledgeService::setStatus(staff::StaffContext ctx,
                                                                  std::string id,
                                                                  ArticleStatus status,
                                                                  int64_t version) {
  auto job = [ctx, id, status, version](Tx& tx) -> Result<StaffArticle> {
    auto& c = tx.conn();
    SP_ASSIGN(auto r, refsOf(c, ctx.enteSlug));
    SP_ASSIGN(auto a, store::articleById(c, r.ente.id, id));
    if (a.version != version) return stale();
    a.status = status;
    a.version += 1;
    a.updatedAt = tx.nowMs();
    a.updatedById = ctx.op.id;
    a.updatedByName = ctx.op.displayName;
    SP_TRY(store::updateArticle(c, a));
    SP_TRY(recorded(tx, ctx.enteSlug, a, r));
    return staffView(a, r, true);
  };
  co_return co_await db_.write<StaffArticle>(std::move(job));
}

asio::awaitable<Result<VersionList>> KnowledgeService::versions(staff::StaffContext ctx,
                                                                std::string id) {
  auto job = [ctx, id](sql::Connection& c) -> Result<VersionList> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, ctx.enteSlug));
    SP_ASSIGN(auto a, store::articleById(c, ente.id, id));
    SP_ASSIGN(auto list, store::versions(c, a.id));
    return VersionList{std::move(list)};
  };
  co_return co_await db_.read<VersionList>(std::move(job));
}

asio::awaitable<Result<VersionSnapshot>> KnowledgeService::version(staff::StaffContext ctx,
                                                                   std::string id, int64_t n) {
  auto job = [ctx, id, n](sql::Connection& c) -> Result<VersionSnapshot> {
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, ctx.enteSlug));
    SP_ASSIGN(auto a, store::articleById(c, ente.id, id));
    SP_ASSIGN(auto v, store::version(c, a.id, n));
    Json j = Json::parse(v.snapshot, nullptr, false);
    if (!j.is_object()) return makeError(Errc::kInternal, "versione illeggibile");
    // The Markdown as that version had it (a staff view's {"it","en"} fields).
    auto md = [&j](const char* k) {
      Localized l;
      if (auto it = j.find(k); it != j.end() && it->is_object()) {
        l.it = it->value("it", "");
        l.en = it->value("en", "");
      }
      return l;
    };
    ArticleText t;
    t.body = md("body");
    t.documents = md("documents");
    t.fees = md("fees");
    t.steps = md("steps");
    t.audience = md("audience");
    return VersionSnapshot{std::move(j), renderAll(t)};
  };
  co_return co_await db_.read<VersionSnapshot>(std::move(job));
}

asio::awaitable<Result<SearchResults>> KnowledgeService::suggest(staff::StaffContext ctx,
                                                                 std::string text,
                                                                 std::string office,
                                                                 int64_t limit) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    co_return makeError(Errc::kInvalid, "manca il testo da cui suggerire", "text");
  }
  limit = std::clamp<int64_t>(limit, 1, kMaxSearchLimit);
  int64_t now = clock_.nowMs();
  auto job = [ctx, text, office, limit, now](sql::Connection& c) -> Result<SearchResults> {
    SP_ASSIGN(auto r, refsOf(c, ctx.enteSlug));
    SearchQuery q;
    q.enteId = r.ente.id;
    q.text = text;
    q.any = true;
    q.today = today(r.ente, now);
    q.limit = limit;
    if (!office.empty()) {
      q.preferOffice = officeRef(r, office);
      if (!q.preferOffice) return makeError(Errc::kNotFound, "ufficio non trovato", "office");
    }
    SP_ASSIGN(auto hits, store::search(c, q));
    return resultsOf(hits, r, false, text);
  };
  co_return co_await db_.read<SearchResults>(std::move(job));
}

asio::awaitable<Result<FeedbackReceipt>> KnowledgeService::operatorFeedback(
    staff::StaffContext ctx, std::string articleSlug, bool helpful) {
  int64_t now = clock_.nowMs();
  auto job = [ctx, articleSlug, helpful, now](Tx& tx) -> Result<FeedbackReceipt> {
    auto& c = tx.conn();
    SP_ASSIGN(auto ente, directory::lookup::enteBySlug(c, ctx.enteSlug));
    SP_ASSIGN(auto a, store::articleBySlug(c, ente.id, articleSlug));
    if (a.status != ArticleStatus::kPublished || !validOnDay(a, today(ente, now))) {
      return makeError(Errc::kNotFound, "articolo non trovato");
    }
    FeedbackReceipt out{newId()};
    SP_TRY(store::insertFeedback(c, out.id, a, helpful, "operator", tx.nowMs()));
    return out;
  };
  co_return co_await db_.write<FeedbackReceipt>(std::move(job));
}

}  // namespace sportello::knowledge
