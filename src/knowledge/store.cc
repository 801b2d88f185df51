#include "knowledge/store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/enum_names.h"
#include "knowledge/model/text.h"

namespace sportello::knowledge {

namespace {
constexpr auto kStatuses = enumNames<ArticleStatus>({{ArticleStatus::kDraft, "draft"},
                                                     {ArticleStatus::kPublished, "published"},
                                                     {ArticleStatus::kArchived, "archived"}});
static_assert(kStatuses.distinct());
}  // namespace

const char* statusName(ArticleStatus s) {
  return kStatuses.name(s);
}

std::optional<ArticleStatus> parseStatus(std::string_view s) {
  return kStatuses.parse(s);
}

}  // namespace sportello::knowledge

namespace sportello::knowledge::store {

using Json = nlohmann::json;

namespace {

constexpr const char* kCommon = R"sql(
CREATE TABLE kb_articles (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL REFERENCES enti(id) ON DELETE CASCADE,
  slug TEXT NOT NULL,
  status TEXT NOT NULL,
  version BIGINT NOT NULL,
  title_it TEXT NOT NULL,
  content TEXT NOT NULL,
  offices TEXT NOT NULL,
  services TEXT NOT NULL,
  valid_from TEXT,
  valid_until TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT,
  updated_by_name TEXT,
  UNIQUE (ente_id, slug)
);
CREATE INDEX kb_articles_ente ON kb_articles(ente_id, status, title_it);
CREATE TABLE kb_links (
  article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  pos BIGINT NOT NULL,
  PRIMARY KEY (article_id, kind, ref_id)
);
CREATE INDEX kb_links_ref ON kb_links(ref_id, kind);
CREATE TABLE kb_versions (
  article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  version BIGINT NOT NULL,
  status TEXT NOT NULL,
  at BIGINT NOT NULL,
  author_id TEXT,
  author_name TEXT,
  title_it TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  PRIMARY KEY (article_id, version)
);
CREATE TABLE kb_feedback (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  ente_id TEXT NOT NULL,
  helpful BIGINT NOT NULL,
  context TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX kb_feedback_article ON kb_feedback(article_id, helpful);
CREATE INDEX kb_feedback_ente ON kb_feedback(ente_id);
)sql";

constexpr const char* kSqliteFts = R"sql(
CREATE VIRTUAL TABLE kb_fts USING fts5(ente, title_it, body_it, title_en, body_en, tokenize = 'unicode61 remove_diacritics 2');
)sql";

constexpr const char* kPgFts = R"sql(
ALTER TABLE kb_articles ADD COLUMN tsv_it tsvector;
ALTER TABLE kb_articles ADD COLUMN tsv_en tsvector;
CREATE INDEX kb_articles_tsv_it ON kb_articles USING GIN (tsv_it);
CREATE INDEX kb_articles_tsv_en ON kb_articles USING GIN (tsv_en);
)sql";

// Ranking reads at most this many matching articles per query (README, "Search"): a word that
// most of a large base holds would otherwise have every one of them ranked.
constexpr int64_t kCandidates = 1000;

// How much more an article of the suggestions' preferred office scores.
constexpr double kPreferOfficeBoost = 2.0;

// bm25 weights by FTS column: ente, title_it, body_it, title_en, body_en (titles 10×).
constexpr const char* kBm25Weights = "bm25(0.0, 10.0, 1.0, 10.0, 1.0)";

Json localized(const Localized& l) {
  return Json{{"it", l.it}, {"en", l.en}};
}

Localized localizedFrom(const Json& j, const char* key) {
  Localized l;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return l;
  l.it = it->value("it", "");
  l.en = it->value("en", "");
  return l;
}

std::string contentJson(const ArticleText& t) {
  return Json{{"title", localized(t.title)},      {"summary", localized(t.summary)},
              {"body", localized(t.body)},        {"documents", localized(t.documents)},
              {"fees", localized(t.fees)},        {"steps", localized(t.steps)},
              {"audience", localized(t.audience)}}
      .dump();
}

ArticleText contentFrom(const std::string& s) {
  ArticleText t;
  Json j = Json::parse(s, nullptr, false);
  if (!j.is_object()) return t;
  t.title = localizedFrom(j, "title");
  t.summary = localizedFrom(j, "summary");
  t.body = localizedFrom(j, "body");
  t.documents = localizedFrom(j, "documents");
  t.fees = localizedFrom(j, "fees");
  t.steps = localizedFrom(j, "steps");
  t.audience = localizedFrom(j, "audience");
  return t;
}

std::vector<std::string> idsFrom(const std::string& s) {
  std::vector<std::string> out;
  Json j = Json::parse(s, nullptr, false);
  if (!j.is_array()) return out;
  for (auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

constexpr const char* kCols =
    "a.id, a.ente_id, a.slug, a.status, a.version, a.content, a.offices, a.services, "
    "a.valid_from, a.valid_until, a.created_at, a.updated_at, a.updated_by, a.updated_by_name";
constexpr size_t kNCols = 14;

Article articleFrom(const sql::Row& r) {
  Article a;
  a.id = r.str(0);
  a.enteId = r.str(1);
  a.slug = r.str(2);
  a.status = parseStatus(r.str(3)).value_or(ArticleStatus::kDraft);
  a.version = r.i64(4);
  a.text = contentFrom(r.str(5));
  a.officeIds = idsFrom(r.str(6));
  a.serviceIds = idsFrom(r.str(7));
  a.validFrom = r.optStr(8);
  a.validUntil = r.optStr(9);
  a.createdAt = r.i64(10);
  a.updatedAt = r.i64(11);
  a.updatedById = r.optStr(12);
  a.updatedByName = r.optStr(13);
  return a;
}

std::string bodyText(const ArticleText& t, bool english) {
  auto pick = [english](const Localized& l) { return english ? l.en : l.it; };
  return pick(t.summary) + "\n" + pick(t.body) + "\n" + pick(t.documents) + "\n" + pick(t.fees) +
         "\n" + pick(t.steps) + "\n" + pick(t.audience);
}

Status writeLinks(sql::Connection& c, const Article& a) {
  SP_TRY(c.exec("DELETE FROM kb_links WHERE article_id = ?", {a.id}));
  int64_t pos = 0;
  for (const auto& [kind, ids] :
       {std::pair<const char*, const std::vector<std::string>*>{"office", &a.officeIds},
        {"service", &a.serviceIds}}) {
    for (const auto& id : *ids) {
      SP_TRY(
          c.exec("INSERT INTO kb_links(article_id, kind, ref_id, pos) VALUES(?, ?, ?, ?) "
                 "ON CONFLICT (article_id, kind, ref_id) DO NOTHING",
                 {a.id, std::string(kind), id, pos++}));
    }
  }
  return okStatus();
}

// The FTS "ente" column: the ente's id and the article's offices' ids, so that the ente and
// the office filters are part of the MATCH (ids are letters and digits: one token each).
std::string scopeTokens(const Article& a) {
  std::string s = a.enteId;
  for (const auto& o : a.officeIds) s += " " + o;
  return s;
}

// The article's full-text entry: SQLite's FTS row (published articles only), PostgreSQL's
// tsvector columns.
Status writeIndex(sql::Connection& c, const Article& a) {
  const ArticleText& t = a.text;
  if (c.dialect() == sql::Dialect::kSqlite) {
    SP_TRY(c.exec("DELETE FROM kb_fts WHERE rowid = (SELECT rowid FROM kb_articles WHERE id = ?)",
                  {a.id}));
    if (a.status != ArticleStatus::kPublished) return okStatus();
    SP_TRY(
        c.exec("INSERT INTO kb_fts(rowid, ente, title_it, body_it, title_en, body_en) "
               "SELECT rowid, ?, ?, ?, ?, ? FROM kb_articles WHERE id = ?",
               {scopeTokens(a), tokenStream(t.title.it, Lang::kIt),
                tokenStream(bodyText(t, false), Lang::kIt), tokenStream(t.title.en, Lang::kEn),
                tokenStream(bodyText(t, true), Lang::kEn), a.id}));
    return okStatus();
  }
  SP_TRY(
      c.exec("UPDATE kb_articles SET "
             "tsv_it = setweight(to_tsvector('italian', ?), 'A') || "
             "setweight(to_tsvector('italian', ?), 'B'), "
             "tsv_en = setweight(to_tsvector('english', ?), 'A') || "
             "setweight(to_tsvector('english', ?), 'B') WHERE id = ?",
             {foldedText(t.title.it), foldedText(bodyText(t, false)), foldedText(t.title.en),
              foldedText(bodyText(t, true)), a.id}));
  return okStatus();
}

Json idsJson(const std::vector<std::string>& ids) {
  Json j = Json::array();
  for (const auto& i : ids) j.push_back(i);
  return j;
}

// The FTS5 expression of a token list: "t1" AND "t2" (or OR).
std::string ftsTerms(std::vector<std::string> toks, bool any) {
  std::sort(toks.begin(), toks.end());
  toks.erase(std::unique(toks.begin(), toks.end()), toks.end());
  if (toks.size() > 32) toks.resize(32);  // a long message: its first 32 distinct stems
  std::string out;
  for (const auto& t : toks) {
    if (!out.empty()) out += any ? " OR " : " AND ";
    out += "\"" + t + "\"";  // tokens are letters and digits only: nothing to escape
  }
  return out;
}

// The suggestions' terms: of a long text's stems, the kSuggestTerms held by the fewest articles
// (and by at least one): the words that tell what the text is about. A word every article has
// ("domanda", "ufficio") would only make the OR rank the whole base.
constexpr size_t kSuggestTerms = 8;
Result<std::vector<std::string>> rarest(sql::Connection& c, std::vector<std::string> toks) {
  std::sort(toks.begin(), toks.end());
  toks.erase(std::unique(toks.begin(), toks.end()), toks.end());
  if (toks.size() <= kSuggestTerms) return toks;
  if (toks.size() > 64) toks.resize(64);
  std::string q = "SELECT term, doc FROM kb_fts_vocab WHERE term IN (";
  std::vector<sql::Value> p;
  for (size_t i = 0; i < toks.size(); ++i) {
    q += i ? ",?" : "?";
    p.push_back(toks[i]);
  }
  q += ") ORDER BY doc, term LIMIT " + std::to_string(kSuggestTerms);
  SP_ASSIGN(auto rows, c.query(q, p));
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.str(0));
  return out;
}

// Validity on day `today` (both bounds inclusive, both optional), appended to `q`.
void validOn(std::string& q, std::vector<sql::Value>& p, const std::string& today) {
  q += " AND (a.valid_from IS NULL OR a.valid_from <= ?) AND (a.valid_until IS NULL OR "
       "a.valid_until >= ?)";
  p.push_back(today);
  p.push_back(today);
}

void linkedTo(std::string& q, std::vector<sql::Value>& p, const char* kind,
              const std::optional<std::string>& id) {
  if (!id) return;
  q += std::string(
           " AND EXISTS (SELECT 1 FROM kb_links l WHERE l.article_id = a.id AND l.kind = "
           "'") +
       kind + "' AND l.ref_id = ?)";
  p.push_back(*id);
}

}  // namespace

std::vector<Migration> migrations() {
  return {{900, "knowledge base", std::string(kCommon) + kSqliteFts, std::string(kCommon) + kPgFts},
          {901, "knowledge base: the FTS vocabulary (how many articles hold each stem)",
           "CREATE VIRTUAL TABLE kb_fts_vocab USING fts5vocab(kb_fts, 'row');", "SELECT 1;"},
          {902, "knowledge base: a helpful answer after which the question ended there",
           "ALTER TABLE kb_feedback ADD COLUMN ended BIGINT NOT NULL DEFAULT 0;",
           "ALTER TABLE kb_feedback ADD COLUMN ended BIGINT NOT NULL DEFAULT 0;"},
          {903, "knowledge base: PostgreSQL indexes of the titles' lexemes (the search's title tier)",
           "SELECT 1;",
           "CREATE INDEX kb_articles_title_it ON kb_articles USING GIN (ts_filter(tsv_it, '{a}'));\n"
           "CREATE INDEX kb_articles_title_en ON kb_articles USING GIN (ts_filter(tsv_en, '{a}'));"}};
}

Status insertArticle(sql::Connection& c, const Article& a) {
  SP_TRY(c.exec(
      "INSERT INTO kb_articles(id, ente_id, slug, status, version, title_it, content, offices, "
      "services, valid_from, valid_until, created_at, updated_at, updated_by, updated_by_name) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {a.id, a.enteId, a.slug, statusName(a.status), a.version, a.text.title.it,
       contentJson(a.text), idsJson(a.officeIds).dump(), idsJson(a.serviceIds).dump(),
       sql::optText(a.validFrom), sql::optText(a.validUntil), a.createdAt, a.updatedAt,
       sql::optText(a.updatedById), sql::optText(a.updatedByName)}));
  SP_TRY(writeLinks(c, a));
  return writeIndex(c, a);
}

Status updateArticle(sql::Connection& c, const Article& a) {
  SP_ASSIGN(int64_t n,
            c.exec("UPDATE kb_articles SET slug = ?, status = ?, version = ?, title_it = ?, "
                   "content = ?, offices = ?, services = ?, valid_from = ?, valid_until = ?, "
                   "updated_at = ?, updated_by = ?, updated_by_name = ? WHERE id = ?",
                   {a.slug, statusName(a.status), a.version, a.text.title.it, contentJson(a.text),
                    idsJson(a.officeIds).dump(), idsJson(a.serviceIds).dump(),
                    sql::optText(a.validFrom), sql::optText(a.validUntil), a.updatedAt,
                    sql::optText(a.updatedById), sql::optText(a.updatedByName), a.id}));
  if (n != 1) return makeError(Errc::kNotFound, "articolo non trovato");
  SP_TRY(writeLinks(c, a));
  return writeIndex(c, a);
}

Result<Article> articleById(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kCols +
                                   " FROM kb_articles a WHERE a.id = ? AND a.ente_id = ?",
                               {id, enteId}));
  if (rows.empty()) return makeError(Errc::kNotFound, "articolo non trovato");
  return articleFrom(rows[0]);
}

Result<Article> articleBySlug(sql::Connection& c, const std::string& enteId,
                              const std::string& slug) {
  SP_ASSIGN(auto rows, c.query(std::string("SELECT ") + kCols +
                                   " FROM kb_articles a WHERE a.ente_id = ? AND a.slug = ?",
                               {enteId, slug}));
  if (rows.empty()) return makeError(Errc::kNotFound, "articolo non trovato");
  return articleFrom(rows[0]);
}

Result<bool> slugTaken(sql::Connection& c, const std::string& enteId, const std::string& slug,
                       const std::string& exceptId) {
  SP_ASSIGN(auto rows,
            c.query("SELECT 1 FROM kb_articles WHERE ente_id = ? AND slug = ? AND id <> ?",
                    {enteId, slug, exceptId}));
  return !rows.empty();
}

Result<std::vector<Article>> listArticles(sql::Connection& c, const ListFilter& f) {
  std::string q = std::string("SELECT ") + kCols + " FROM kb_articles a WHERE a.ente_id = ?";
  std::vector<sql::Value> p{f.enteId};
  if (f.status) {
    q += " AND a.status = ?";
    p.push_back(statusName(*f.status));
  }
  if (f.validOn) validOn(q, p, *f.validOn);
  linkedTo(q, p, "office", f.officeId);
  linkedTo(q, p, "service", f.serviceId);
  q += " ORDER BY a.title_it, a.id";
  SP_ASSIGN(auto rows, c.query(q, p));
  std::vector<Article> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(articleFrom(r));
  return out;
}

namespace {

// SQLite: the lowest rowid of the kCandidates newest (highest rowid) FTS matches of `match`,
// found by walking the match's rowids without ranking them (cheap); nullopt when there are
// fewer (then every match is ranked: exact).
Result<std::optional<int64_t>> ftsBound(sql::Connection& c, const std::string& match) {
  SP_ASSIGN(auto rows, c.query("SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rowid "
                               "DESC LIMIT 1 OFFSET " +
                                   std::to_string(kCandidates - 1),
                               {match}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].i64(0));
}

// SQLite: the best `limit` valid articles among the FTS matches of `match` (from rowid `bound`
// on, when set), ranked inside the index (bm25 with the column weights, no article row read);
// only the best `window` rowids are joined and checked for validity. A full window that leaves
// fewer than `limit` valid articles is widened to every candidate (expired articles are few).
Result<std::vector<SearchHit>> ftsRanked(sql::Connection& c, const std::string& match,
                                         const SearchQuery& s, std::optional<int64_t> bound) {
  std::vector<SearchHit> out;
  for (int64_t window : {std::max<int64_t>(40, s.limit * 4), int64_t{0}}) {
    std::string sub = std::string(
                          "SELECT rowid AS rid, -rank AS score FROM kb_fts WHERE kb_fts MATCH ? "
                          "AND rank MATCH '") +
                      kBm25Weights + "'" +
                      (bound ? " AND rowid >= " + std::to_string(*bound) : std::string()) +
                      " ORDER BY rank" +
                      (window ? " LIMIT " + std::to_string(window) : std::string());
    // Validity is checked here, on the window's rows in rank order (an article is parsed only
    // once kept): so a window that held every candidate is known and never asked again.
    std::string sq = std::string("SELECT ") + kCols + ", m.score FROM (" + sub +
                     ") m CROSS JOIN kb_articles a ON a.rowid = m.rid ORDER BY m.score DESC, "
                     "a.title_it";
    SP_ASSIGN(auto rows, c.query(sq, {match}));
    out.clear();
    for (auto& r : rows) {
      if (static_cast<int64_t>(out.size()) >= s.limit) break;
      if (r.str(3) != "published") continue;
      auto from = r.optStr(8), until = r.optStr(9);
      if ((from && *from > s.today) || (until && *until < s.today)) continue;
      out.push_back(SearchHit{articleFrom(r), r.f64(kNCols)});
    }
    bool windowFull = window && static_cast<int64_t>(rows.size()) == window;
    if (static_cast<int64_t>(out.size()) < s.limit && windowFull) continue;
    return out;
  }
  return out;
}

// PostgreSQL: the best `limit` articles among the first kCandidates matches the GIN index gives
// (`titles`: matched on the titles' lexemes only, the expression indexes over ts_filter(…, '{a}')),
// ranked with ts_rank over the whole tsvector. Only the candidates' tsvectors are read and
// ranked, and only the best `limit` articles' rows are then read whole.
// `itLexemes`: `it` is already a tsquery of Italian lexemes (the suggestions' rarest words).
Result<std::vector<SearchHit>> pgRanked(sql::Connection& c, const SearchQuery& s,
                                        const std::string& it, const std::string& en,
                                        bool titles, bool itLexemes = false) {
  std::vector<SearchHit> out;
  std::string rank, cond;
  std::vector<sql::Value> p;
  auto col = [titles](const char* tsv) {
    return titles ? std::string("ts_filter(a.") + tsv + ", '{a}')" : std::string("a.") + tsv;
  };
  if (!it.empty()) {
    const char* tq = itLexemes ? "CAST(? AS tsquery)" : "to_tsquery('italian', ?)";
    rank = std::string("ts_rank(k.tsv_it, ") + tq + ")";
    cond = col("tsv_it") + " @@ " + tq;
  }
  if (!en.empty()) {
    rank += std::string(rank.empty() ? "" : " + ") + "ts_rank(k.tsv_en, to_tsquery('english', ?))";
    cond += std::string(cond.empty() ? "" : " OR ") + col("tsv_en") +
            " @@ to_tsquery('english', ?)";
  }
  std::string inner =
      "SELECT a.id, a.title_it, a.tsv_it, a.tsv_en FROM kb_articles a WHERE a.ente_id = ? AND "
      "a.status = 'published' AND (" +
      cond + ")";
  if (!it.empty()) p.push_back(it);
  if (!en.empty()) p.push_back(en);
  std::vector<sql::Value> ip{s.enteId};
  if (!it.empty()) ip.push_back(it);
  if (!en.empty()) ip.push_back(en);
  validOn(inner, ip, s.today);
  linkedTo(inner, ip, "office", s.officeId);
  inner += " LIMIT " + std::to_string(kCandidates);
  for (auto& v : ip) p.push_back(std::move(v));
  std::string q = std::string("SELECT ") + kCols + ", m.score FROM (SELECT k.id, k.title_it, " +
                  rank + " AS score FROM (" + inner +
                  ") k ORDER BY score DESC, k.title_it LIMIT ?) m JOIN kb_articles a ON a.id = "
                  "m.id ORDER BY m.score DESC, a.title_it";
  p.push_back(s.limit);
  SP_ASSIGN(auto rows, c.query(q, p));
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(SearchHit{articleFrom(r), r.f64(kNCols)});
  return out;
}

// PostgreSQL's counterpart of rarest(): the text's Italian lexemes (as to_tsvector makes them)
// ordered by how common the planner's statistics say they are in kb_articles.tsv_it
// (pg_stats.most_common_elems, gathered by ANALYZE / autovacuum; a lexeme not listed is rarer
// than every listed one), the kSuggestTerms rarest as a tsquery "'a' | 'b' | …". Lexemes come
// from accent-folded text: letters and digits only, nothing to escape. "" when none, or when
// the table has no statistics yet (then every word is used, as on a small base).
Result<std::string> pgRarest(sql::Connection& c, const std::string& text) {
  SP_ASSIGN(auto analyzed,
            c.query("SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = "
                    "'kb_articles' AND attname = 'tsv_it' AND most_common_elems IS NOT NULL",
                    {}));
  if (analyzed.empty()) return std::string();  // no statistics yet: every word (a small base)
  SP_ASSIGN(auto rows,
            c.query("SELECT w FROM unnest(tsvector_to_array(to_tsvector('italian', ?))) AS w "
                    "ORDER BY COALESCE((SELECT st.most_common_elem_freqs[array_position("
                    "st.most_common_elems::text::text[], w)] FROM pg_stats st WHERE "
                    "st.schemaname = current_schema() AND st.tablename = 'kb_articles' AND "
                    "st.attname = 'tsv_it'), 0), w LIMIT " +
                        std::to_string(kSuggestTerms),
                    {foldedText(text)}));
  std::string out;
  for (auto& r : rows) {
    std::string w = r.str(0);
    if (w.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos) continue;
    out += (out.empty() ? "'" : " | '") + w + "'";
  }
  return out;
}

// The title tier's hits first, then the whole text's that are not among them, `limit` in all.
std::vector<SearchHit> titlesFirst(std::vector<SearchHit> top, std::vector<SearchHit> rest,
                                   int64_t limit) {
  for (auto& h : rest) {
    if (static_cast<int64_t>(top.size()) >= limit) break;
    bool dup = std::any_of(top.begin(), top.end(),
                           [&](const SearchHit& t) { return t.article.id == h.article.id; });
    if (!dup) top.push_back(std::move(h));
  }
  return top;
}

// Any word (OR, suggestions and the fallback): ranked together. Every word (AND), SQLite: when
// fewer than kCandidates articles match, all of them ranked together (exact); when more, the
// ranking is bounded to kCandidates and so the articles whose title has every word come first
// (ranked among themselves), then the others. PostgreSQL: the title tier always first
// (README, "Search").
Result<std::vector<SearchHit>> searchOnce(sql::Connection& c, const SearchQuery& s) {
  std::vector<SearchHit> out;
  if (c.dialect() == sql::Dialect::kSqlite) {
    std::vector<std::string> itTokens = tokens(s.text, Lang::kIt);
    if (s.any) {
      SP_ASSIGN(itTokens, rarest(c, std::move(itTokens)));
    }
    std::string it = ftsTerms(itTokens, s.any);
    std::string en = s.english ? ftsTerms(tokens(s.text, Lang::kEn), s.any) : "";
    if (it.empty() && en.empty()) return out;
    auto match = [&](bool titles) {
      std::string m = "ente:\"" + s.enteId + "\" AND ";
      if (s.officeId) m += "ente:\"" + *s.officeId + "\" AND ";
      m += "(";
      if (!it.empty()) m += std::string(titles ? "{title_it}" : "{title_it body_it}") + ": (" + it + ")";
      if (!en.empty()) {
        m += std::string(it.empty() ? "" : " OR ") + (titles ? "{title_en}" : "{title_en body_en}") +
             ": (" + en + ")";
      }
      return m + ")";
    };
    std::string all = match(false);
    SP_ASSIGN(auto bound, ftsBound(c, all));
    // Fewer matches than kCandidates (any real base): every one ranked, exact.
    if (s.any || !bound) return ftsRanked(c, all, s, bound);
    std::string titles = match(true);
    SP_ASSIGN(auto titleBound, ftsBound(c, titles));
    SP_ASSIGN(auto top, ftsRanked(c, titles, s, titleBound));
    if (static_cast<int64_t>(top.size()) >= s.limit) return top;
    SP_ASSIGN(auto rest, ftsRanked(c, all, s, bound));
    return titlesFirst(std::move(top), std::move(rest), s.limit);
  }
  std::string it = pgQuery(s.text, Lang::kIt, s.any);
  std::string en = s.english ? pgQuery(s.text, Lang::kEn, s.any) : "";
  if (it.empty() && en.empty()) return out;
  if (s.any && !s.english && !it.empty()) {
    SP_ASSIGN(std::string rare, pgRarest(c, s.text));
    if (!rare.empty()) return pgRanked(c, s, rare, en, false, true);
  }
  if (s.any) return pgRanked(c, s, it, en, false);
  // PostgreSQL cannot tell how many articles match without reading them (the GIN index gives
  // row sets, not counts), so an AND query always asks the title tier first: one query when
  // the titles give `limit` articles (measured: the full tier first, then titles when capped,
  // cost a second query on most common-word searches).
  SP_ASSIGN(auto top, pgRanked(c, s, it, en, true));
  if (static_cast<int64_t>(top.size()) >= s.limit) return top;
  SP_ASSIGN(auto all, pgRanked(c, s, it, en, false));
  return titlesFirst(std::move(top), std::move(all), s.limit);
}

}  // namespace

Result<std::vector<SearchHit>> search(sql::Connection& c, const SearchQuery& s) {
  if (!s.preferOffice) return searchOnce(c, s);
  // The office's own best articles and the ente's best ones, merged with the office's scores
  // doubled (kPreferOfficeBoost): they come first among comparable matches, the others stay.
  SearchQuery own = s;
  own.preferOffice.reset();
  own.officeId = s.preferOffice;
  SP_ASSIGN(auto mine, searchOnce(c, own));
  SearchQuery all = s;
  all.preferOffice.reset();
  all.limit = s.limit * 2;
  SP_ASSIGN(auto hits, searchOnce(c, all));
  for (auto& h : mine) h.score *= kPreferOfficeBoost;
  for (auto& h : hits) {
    const auto& o = h.article.officeIds;
    if (std::find(o.begin(), o.end(), *s.preferOffice) != o.end()) continue;  // in `mine`
    mine.push_back(std::move(h));
  }
  std::stable_sort(mine.begin(), mine.end(), [](const SearchHit& x, const SearchHit& y) {
    return x.score > y.score;
  });
  if (static_cast<int64_t>(mine.size()) > s.limit) mine.resize(static_cast<size_t>(s.limit));
  return mine;
}

Status insertVersion(sql::Connection& c, const std::string& articleId, const ArticleVersion& v) {
  SP_TRY(
      c.exec("INSERT INTO kb_versions(article_id, version, status, at, author_id, author_name, "
             "title_it, snapshot) VALUES(?,?,?,?,?,?,?,?)",
             {articleId, v.version, statusName(v.status), v.at, sql::optText(v.authorId),
              sql::optText(v.authorName), v.titleIt, v.snapshot}));
  return okStatus();
}

Result<std::vector<ArticleVersion>> versions(sql::Connection& c, const std::string& articleId) {
  SP_ASSIGN(auto rows, c.query("SELECT version, status, at, author_id, author_name, title_it "
                               "FROM kb_versions WHERE article_id = ? ORDER BY version DESC",
                               {articleId}));
  std::vector<ArticleVersion> out;
  for (auto& r : rows) {
    ArticleVersion v;
    v.version = r.i64(0);
    v.status = parseStatus(r.str(1)).value_or(ArticleStatus::kDraft);
    v.at = r.i64(2);
    v.authorId = r.optStr(3);
    v.authorName = r.optStr(4);
    v.titleIt = r.str(5);
    out.push_back(std::move(v));
  }
  return out;
}

Result<ArticleVersion> version(sql::Connection& c, const std::string& articleId, int64_t n) {
  SP_ASSIGN(auto rows, c.query("SELECT version, status, at, author_id, author_name, title_it, "
                               "snapshot FROM kb_versions WHERE article_id = ? AND version = ?",
                               {articleId, n}));
  if (rows.empty()) return makeError(Errc::kNotFound, "versione non trovata");
  const auto& r = rows[0];
  ArticleVersion v;
  v.version = r.i64(0);
  v.status = parseStatus(r.str(1)).value_or(ArticleStatus::kDraft);
  v.at = r.i64(2);
  v.authorId = r.optStr(3);
  v.authorName = r.optStr(4);
  v.titleIt = r.str(5);
  v.snapshot = r.str(6);
  return v;
}

Status insertFeedback(sql::Connection& c, const std::string& id, const Article& a, bool helpful,
                      const std::string& context, int64_t at) {
  SP_TRY(
      c.exec("INSERT INTO kb_feedback(id, article_id, ente_id, helpful, context, at) "
             "VALUES(?,?,?,?,?,?)",
             {id, a.id, a.enteId, int64_t{helpful ? 1 : 0}, context, at}));
  return okStatus();
}

Result<bool> markEnded(sql::Connection& c, const std::string& enteId, const std::string& id) {
  SP_ASSIGN(int64_t n, c.exec("UPDATE kb_feedback SET ended = 1 WHERE id = ? AND ente_id = ? "
                              "AND helpful = 1",
                              {id, enteId}));
  return n == 1;
}

Result<FeedbackCounts> feedbackCounts(sql::Connection& c, const std::string& articleId) {
  SP_ASSIGN(auto rows, c.query("SELECT helpful, COUNT(*), SUM(ended) FROM kb_feedback WHERE "
                               "article_id = ? GROUP BY helpful",
                               {articleId}));
  FeedbackCounts out;
  for (auto& r : rows) {
    (r.i64(0) ? out.helpful : out.notHelpful) = r.i64(1);
    if (r.i64(0)) out.ended = r.i64(2);
  }
  return out;
}

Result<std::map<std::string, FeedbackCounts>> feedbackByArticle(sql::Connection& c,
                                                                const std::string& enteId) {
  SP_ASSIGN(auto rows,
            c.query("SELECT article_id, helpful, COUNT(*), SUM(ended) FROM kb_feedback WHERE "
                    "ente_id = ? GROUP BY article_id, helpful",
                    {enteId}));
  std::map<std::string, FeedbackCounts> out;
  for (auto& r : rows) {
    auto& f = out[r.str(0)];
    (r.i64(1) ? f.helpful : f.notHelpful) = r.i64(2);
    if (r.i64(1)) f.ended = r.i64(3);
  }
  return out;
}

}  // namespace sportello::knowledge::store
