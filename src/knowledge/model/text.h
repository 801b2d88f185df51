// The knowledge base's text rules, pure and deterministic: how Italian (and English) text becomes
// search tokens, how an article's slug is made from its title, and the date checks.
//
// Tokens (both databases index and query the same way): lowercase UTF-8, split on anything that
// is not a letter or a digit (apostrophes too: "d'identità" → "d", "identità"), stop words and
// one-letter words dropped, each word stemmed by Snowball (libstemmer, "italian" or "english"),
// then accents folded ("identità" → "ident"). So "carta identità", "carta identita" and
// "Carta d'identità elettronica" share "cart ident"; "certificati" and "certificato" share
// "certific".
//
// Thread-safety: every function is safe to call from any thread. Snowball stemmers are not
// thread-safe; each thread lazily creates its own (thread_local), never shared.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sportello::knowledge {

enum class Lang { kIt, kEn };

// Lowercases ASCII and the Latin-1 / Latin Extended-A capitals, and folds accented Latin letters
// to their base letter ("Identità" → "identita", "PERCHÉ" → "perche"). Other code points are
// kept as they are; invalid UTF-8 bytes are dropped.
std::string foldAccents(std::string_view utf8);

// The words of `text`, lowercased (accents kept): runs of letters and digits.
std::vector<std::string> words(std::string_view text);

// Whether `w` (lowercase, accents folded or not) is a stop word of `lang`.
bool isStopWord(std::string_view w, Lang lang);

// The search tokens of `text`: words() minus stop words and one-letter words, stemmed, folded.
std::vector<std::string> tokens(std::string_view text, Lang lang);
// tokens() joined by single spaces (what the SQLite FTS table indexes).
std::string tokenStream(std::string_view text, Lang lang);

// Accent-folded lowercase words joined by spaces, stop words kept (what PostgreSQL's
// to_tsvector('italian'|'english', …) receives: it stems and drops stop words itself).
std::string foldedText(std::string_view text);

// The words of a query as PostgreSQL to_tsquery text: folded, stop words dropped, joined by
// " & " (all) or " | " (any). Only letters and digits reach it: no tsquery syntax can be
// injected. "" when no word is left.
std::string pgQuery(std::string_view text, Lang lang, bool any);

// A URL slug from a title: accents folded, lowercase ASCII letters and digits separated by
// single '-', Italian elisions before an apostrophe dropped ("Carta d'identità elettronica" →
// "carta-identita-elettronica"), at most 80 characters, never ending in '-'. "" when the title
// has no letter or digit.
std::string makeSlug(std::string_view title);
// Whether `s` is a slug as makeSlug makes them (1–80 characters of [a-z0-9-], no leading,
// trailing or double '-').
bool validSlug(std::string_view s);
// `base`, or `base-2`, `base-3`, … : the first one `taken` says is free.
template <class Taken>
std::string freeSlug(const std::string& base, Taken taken) {
  if (!taken(base)) return base;
  for (int n = 2;; ++n) {
    std::string s = base + "-" + std::to_string(n);
    if (!taken(s)) return s;
  }
}

// Strict "YYYY-MM-DD" with a real date.
bool validDate(std::string_view s);

}  // namespace sportello::knowledge
