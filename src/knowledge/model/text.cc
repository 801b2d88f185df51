#include "knowledge/model/text.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <memory>
#include <unordered_set>

namespace sportello::knowledge {

namespace {

// Decodes one UTF-8 code point at s[i], advancing i; -1 for an invalid byte (skipped).
int32_t next(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = 0;
  int32_t cp = 0;
  if ((b & 0xE0) == 0xC0) {
    extra = 1;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    extra = 2;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    extra = 3;
    cp = b & 0x07;
  } else {
    return -1;
  }
  if (i + extra > s.size()) {
    i = s.size();
    return -1;
  }
  for (int k = 0; k < extra; ++k) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
    ++i;
  }
  return cp;
}

void append(std::string& out, int32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int32_t lowerCp(int32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x138 && cp != 0x149 && cp != 0x17F) {
    // Latin Extended-A pairs: capital even, small odd, except 0x139–0x148 and 0x179–0x17E.
    bool shifted = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    bool capital = shifted ? (cp % 2 == 1) : (cp % 2 == 0);
    if (cp == 0x178) return 0xFF;
    return capital ? cp + 1 : cp;
  }
  return cp;
}

// The base letters of a (lowercase) accented Latin letter; nullptr when it is not one.
const char* foldCp(int32_t cp) {
  if (cp >= 0xDF && cp <= 0xFF) {
    static const std::array<const char*, 33> k = {
        "ss", "a", "a", "a", "a", "a", "a", "ae",    "c", "e", "e", "e", "e", "i", "i",  "i", "i",
        "d",  "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};
    return k[static_cast<size_t>(cp - 0xDF)];
  }
  struct R {
    int32_t from, to;
    const char* base;
  };
  static const R kExtA[] = {
      {0x100, 0x105, "a"},  {0x106, 0x10D, "c"}, {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
      {0x11C, 0x123, "g"},  {0x124, 0x127, "h"}, {0x128, 0x131, "i"}, {0x134, 0x135, "j"},
      {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14B, "n"}, {0x14C, 0x151, "o"},
      {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"}, {0x162, 0x167, "t"},
      {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"}, {0x179, 0x17E, "z"}};
  for (const auto& r : kExtA) {
    if (cp >= r.from && cp <= r.to) return r.base;
  }
  return nullptr;
}

// Letters and digits; everything else (ASCII punctuation, apostrophes, Latin-1 symbols, general
// punctuation, currency, arrows, CJK punctuation) separates words.
bool wordCp(int32_t cp) {
  if (cp < 0x80) return std::isalnum(cp) != 0;
  if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  if (cp >= 0xFE00 && cp <= 0xFE6F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF20) return false;
  return true;
}

const std::unordered_set<std::string_view>& stopIt() {
  static const std::unordered_set<std::string_view> k = {
      "ad",        "al",     "allo",   "ai",     "agli",    "all",     "agl",    "alla",
      "alle",      "con",    "col",    "coi",    "da",      "dal",     "dallo",  "dai",
      "dagli",     "dall",   "dagl",   "dalla",  "dalle",   "di",      "del",    "dello",
      "dei",       "degli",  "dell",   "degl",   "della",   "delle",   "in",     "nel",
      "nello",     "nei",    "negli",  "nell",   "negl",    "nella",   "nelle",  "su",
      "sul",       "sullo",  "sui",    "sugli",  "sull",    "sugl",    "sulla",  "sulle",
      "per",       "tra",    "fra",    "io",     "tu",      "lui",     "lei",    "noi",
      "voi",       "loro",   "mio",    "mia",    "miei",    "mie",     "tuo",    "tua",
      "tuoi",      "tue",    "suo",    "sua",    "suoi",    "sue",     "nostro", "nostra",
      "nostri",    "nostre", "vostro", "vostra", "vostri",  "vostre",  "mi",     "ti",
      "ci",        "vi",     "lo",     "la",     "li",      "le",      "gli",    "ne",
      "il",        "un",     "uno",    "una",    "ma",      "ed",      "se",     "perche",
      "anche",     "come",   "dov",    "dove",   "che",     "chi",     "cui",    "non",
      "piu",       "quale",  "quali",  "quanto", "quanti",  "quanta",  "quante", "quello",
      "quelli",    "quella", "quelle", "questo", "questi",  "questa",  "queste", "si",
      "tutto",     "tutti",  "ho",     "hai",    "ha",      "abbiamo", "avete",  "hanno",
      "sono",      "sei",    "siamo",  "siete",  "essere",  "avere",   "era",    "ero",
      "cosa",      "posso",  "puo",    "devo",   "deve",    "voglio",  "vorrei", "buongiorno",
      "buonasera", "salve",  "grazie", "ciao",   "gentile", "ok",      "sto",    "sta",
      "mai",       "gia",    "ancora", "poi",    "qui",     "qua",     "oppure", "pero",
      "quando",    "ecco",   "molto",  "poco",   "solo",    "ogni",    "nessun", "nessuno",
      "altro",     "altra",  "altri",  "altre",  "fare",    "fatto",   "vostri", "cioe",
      "circa",     "sempre", "so",     "sa",     "sapere",  "bisogna", "serve",  "servono"};
  return k;
}

const std::unordered_set<std::string_view>& stopEn() {
  static const std::unordered_set<std::string_view> k = {
      "an",    "the",   "of",     "to",     "in",    "on",    "for", "and",  "or",    "is",
      "are",   "be",    "with",   "by",     "at",    "from",  "as",  "it",   "its",   "this",
      "that",  "you",   "we",     "my",     "your",  "our",   "how", "what", "can",   "do",
      "does",  "if",    "not",    "no",     "me",    "he",    "she", "they", "them",  "his",
      "her",   "was",   "were",   "been",   "have",  "has",   "had", "will", "would", "should",
      "could", "there", "here",   "when",   "where", "which", "who", "why",  "about", "into",
      "than",  "then",  "so",     "but",    "also",  "any",   "all", "some", "need",  "want",
      "hello", "hi",    "please", "thanks", "thank", "get",   "am"};
  return k;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using StemmerPtr = std::unique_ptr<sb_stemmer, StemmerDeleter>;

// This thread's stemmer for `lang` (Snowball stemmers keep state between calls).
sb_stemmer* stemmer(Lang lang) {
  thread_local StemmerPtr it(sb_stemmer_new("italian", "UTF_8"));
  thread_local StemmerPtr en(sb_stemmer_new("english", "UTF_8"));
  return lang == Lang::kIt ? it.get() : en.get();
}

std::string stem(const std::string& w, Lang lang) {
  sb_stemmer* s = stemmer(lang);
  if (!s) return w;  // impossible with Debian's libstemmer; harmless: the word itself
  const sb_symbol* r =
      sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(w.data()), static_cast<int>(w.size()));
  if (!r) return w;
  return std::string(reinterpret_cast<const char*>(r), static_cast<size_t>(sb_stemmer_length(s)));
}

// Number of code points of `w`.
size_t length(std::string_view w) {
  size_t n = 0;
  for (size_t i = 0; i < w.size();) {
    if (next(w, i) >= 0) ++n;
  }
  return n;
}

}  // namespace

std::string foldAccents(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    int32_t cp = next(s, i);
    if (cp < 0) continue;
    cp = lowerCp(cp);
    if (const char* f = cp >= 0x80 ? foldCp(cp) : nullptr) {
      out += f;
    } else {
      append(out, cp);
    }
  }
  return out;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (size_t i = 0; i < s.size();) {
    int32_t cp = next(s, i);
    if (cp < 0) continue;
    if (wordCp(cp)) {
      append(w, lowerCp(cp));
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

bool isStopWord(std::string_view w, Lang lang) {
  std::string f = foldAccents(w);
  const auto& set = lang == Lang::kIt ? stopIt() : stopEn();
  return set.count(f) > 0;
}

std::vector<std::string> tokens(std::string_view text, Lang lang) {
  std::vector<std::string> out;
  for (auto& w : words(text)) {
    if (length(w) < 2 || isStopWord(w, lang)) continue;
    out.push_back(foldAccents(stem(w, lang)));
  }
  return out;
}

std::string tokenStream(std::string_view text, Lang lang) {
  std::string out;
  for (auto& t : tokens(text, lang)) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

std::string foldedText(std::string_view text) {
  std::string out;
  for (auto& w : words(text)) {
    if (!out.empty()) out.push_back(' ');
    out += foldAccents(w);
  }
  return out;
}

std::string pgQuery(std::string_view text, Lang lang, bool any) {
  std::string out;
  std::unordered_set<std::string> seen;
  for (auto& w : words(text)) {
    if (length(w) < 2 || isStopWord(w, lang)) continue;
    std::string f = foldAccents(w);
    if (!seen.insert(f).second) continue;
    if (!out.empty()) out += any ? " | " : " & ";
    out += f;
  }
  return out;
}

std::string makeSlug(std::string_view title) {
  static const std::unordered_set<std::string_view> kElisions = {
      "l",     "d", "un", "dell", "dall", "nell", "sull", "all", "coll", "quell",
      "quest", "c", "s",  "m",    "t",    "v",    "n",    "dev", "tutt", "sant"};
  std::string f = foldAccents(title);
  std::string out, w;
  auto flush = [&](bool elided) {
    if (w.empty()) return;
    if (!(elided && kElisions.count(w))) {
      if (!out.empty()) out.push_back('-');
      out += w;
    }
    w.clear();
  };
  for (size_t i = 0; i < f.size(); ++i) {
    auto c = static_cast<unsigned char>(f[i]);
    if (c < 0x80 && std::isalnum(c)) {
      w.push_back(static_cast<char>(c));
      continue;
    }
    bool apostrophe = c == '\'' || (c == 0xE2 && f.compare(i, 3, "\xE2\x80\x99") == 0);
    flush(apostrophe);
  }
  flush(false);
  if (out.size() > 80) {
    out.resize(80);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out;
}

bool validSlug(std::string_view s) {
  if (s.empty() || s.size() > 80 || s.front() == '-' || s.back() == '-') return false;
  char prev = 0;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

bool validDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = std::stoi(std::string(s.substr(5, 2)));
  int d = std::stoi(std::string(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

}  // namespace sportello::knowledge
