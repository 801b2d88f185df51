#include "platform/i18n.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <vector>

namespace sportello::i18n {

namespace {

// errors_en.tsv, embedded by CMake as a raw string literal (see CMakeLists.txt).
constexpr std::string_view kErrorsEnTsv =
#include "errors_en_tsv.inc"
    ;

constexpr std::string_view kHole = "{}";

struct Pattern {
  std::vector<std::string> pieces;  // literal text around the holes: holes = pieces.size() - 1
  std::string english;              // with as many holes
  size_t literalSize = 0;
};

struct Catalog {
  std::unordered_map<std::string, std::string> exact;
  std::vector<Pattern> patterns;  // longest literal text first: the most specific wins
};

std::vector<std::string> splitHoles(std::string_view s) {
  std::vector<std::string> out;
  size_t from = 0;
  for (size_t at; (at = s.find(kHole, from)) != std::string_view::npos; from = at + kHole.size()) {
    out.emplace_back(s.substr(from, at - from));
  }
  out.emplace_back(s.substr(from));
  return out;
}

Catalog load() {
  Catalog c;
  std::string_view rest = kErrorsEnTsv;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;  // the catalog test refuses such a line
    std::string it(line.substr(0, tab));
    std::string en(line.substr(tab + 1));
    if (it.find(kHole) == std::string::npos) {
      c.exact.emplace(std::move(it), std::move(en));
      continue;
    }
    Pattern p;
    p.pieces = splitHoles(it);
    for (const auto& piece : p.pieces) p.literalSize += piece.size();
    p.english = std::move(en);
    c.patterns.push_back(std::move(p));
  }
  std::stable_sort(c.patterns.begin(), c.patterns.end(), [](const Pattern& a, const Pattern& b) {
    return a.literalSize > b.literalSize;
  });
  return c;
}

const Catalog& catalog() {
  static const Catalog c = load();
  return c;
}

// Matches `s` against pieces[i..] where a hole (non-empty) precedes pieces[i] (i > 0).
bool matchFrom(std::string_view s, const std::vector<std::string>& pieces, size_t i,
               std::vector<std::string_view>& holes) {
  const std::string& lit = pieces[i];
  bool last = i + 1 == pieces.size();
  if (last) {
    if (s.size() <= lit.size() || s.substr(s.size() - lit.size()) != lit) return false;
    holes.push_back(s.substr(0, s.size() - lit.size()));
    return true;
  }
  // The hole takes at least one character; try each place the next literal occurs.
  for (size_t at = s.find(lit, 1); at != std::string_view::npos; at = s.find(lit, at + 1)) {
    holes.push_back(s.substr(0, at));
    if (matchFrom(s.substr(at + lit.size()), pieces, i + 1, holes)) return true;
    holes.pop_back();
  }
  return false;
}

std::optional<std::string> lookup(std::string_view message, int depth) {
  const Catalog& c = catalog();
  if (auto it = c.exact.find(std::string(message)); it != c.exact.end()) return it->second;
  for (const auto& p : c.patterns) {
    const std::string& head = p.pieces.front();
    if (message.substr(0, head.size()) != head) continue;
    std::vector<std::string_view> holes;
    if (!matchFrom(message.substr(head.size()), p.pieces, 1, holes)) continue;
    // A hole holding a known message (an error wrapped in another) is translated too.
    std::string out;
    size_t from = 0, n = 0;
    for (size_t at; (at = p.english.find(kHole, from)) != std::string::npos && n < holes.size();
         from = at + kHole.size(), ++n) {
      out.append(p.english, from, at - from);
      std::optional<std::string> inner;
      if (depth < 2) inner = lookup(holes[n], depth + 1);
      out.append(inner ? *inner : std::string(holes[n]));
    }
    out.append(p.english, from);
    return out;
  }
  return std::nullopt;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<Lang> supported(std::string_view tag) {
  std::string t = lower(tag.substr(0, tag.find('-')));
  if (t == "it") return Lang::kIt;
  if (t == "en") return Lang::kEn;
  return std::nullopt;
}

// q-value of "q=0.5" (RFC 9110 §12.4.2); a malformed one counts as 0 (not acceptable).
double qValue(std::string_view params) {
  double q = 1.0;
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') continue;
    std::string_view v = p.substr(2);
    if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return 0;
    q = v[0] - '0';
    if (v.size() > 1) {
      if (v[1] != '.') return 0;
      double scale = 0.1;
      for (char ch : v.substr(2)) {
        if (ch < '0' || ch > '9') return 0;
        q += (ch - '0') * scale;
        scale /= 10;
      }
    }
    if (q > 1) return 0;
  }
  return q;
}

}  // namespace

const char* langTag(Lang l) {
  return l == Lang::kEn ? "en" : "it";
}

std::optional<Lang> queryLang(std::string_view query) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (kv.substr(0, 5) == "lang=" && kv.size() <= 10) {
      std::string v = lower(kv.substr(5));
      if (v == "it") return Lang::kIt;
      if (v == "en") return Lang::kEn;
    }
  }
  return std::nullopt;
}

Lang requestLang(std::string_view query, std::string_view acceptLanguage) {
  if (auto q = queryLang(query)) return *q;
  std::optional<Lang> best;
  double bestQ = 0;
  while (!acceptLanguage.empty()) {
    size_t comma = acceptLanguage.find(',');
    std::string_view item = acceptLanguage.substr(0, comma);
    acceptLanguage =
        comma == std::string_view::npos ? std::string_view() : acceptLanguage.substr(comma + 1);
    size_t semi = item.find(';');
    auto lang = supported(trim(item.substr(0, semi)));
    if (!lang) continue;
    double q = semi == std::string_view::npos ? 1.0 : qValue(item.substr(semi + 1));
    if (q > bestQ) {
      bestQ = q;
      best = lang;
    }
  }
  return best.value_or(Lang::kIt);
}

Lang requestLang(const http::RawRequest& req) {
  std::string_view target{req.target().data(), req.target().size()};
  size_t q = target.find('?');
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  auto al = req[http::bhttp::field::accept_language];
  return requestLang(query, std::string_view(al.data(), al.size()));
}

std::string translate(std::string_view message, Lang lang) {
  if (lang == Lang::kIt || message.empty()) return std::string(message);
  auto en = lookup(message, 0);
  return en ? std::move(*en) : std::string(message);
}

namespace {

// Rewrites the "message" of a JSON error body with `fn(italian)`.
template <class Fn>
void rewriteMessage(http::Response& res, Fn fn) {
  auto ct = res[http::bhttp::field::content_type];
  if (std::string_view(ct.data(), ct.size()).rfind("application/json", 0) != 0) return;
  Json body = Json::parse(res.body(), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return;
  Json& err = body["error"];
  if (!err.contains("message") || !err["message"].is_string()) return;
  err["message"] = fn(err["message"].get_ref<const std::string&>());
  res.body() = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  res.prepare_payload();
}

}  // namespace

void localizeError(http::Response& res, Lang lang) {
  if (res.result_int() < 400) return;
  res.set(http::bhttp::field::content_language, langTag(lang));
  if (lang == Lang::kIt) return;
  rewriteMessage(res, [lang](const std::string& it) { return translate(it, lang); });
}

void localizeErrorBilingual(http::Response& res) {
  if (res.result_int() < 400) return;
  res.set(http::bhttp::field::content_language, "it, en");
  rewriteMessage(res, [](const std::string& it) {
    std::string en = translate(it, Lang::kEn);
    return en == it ? it : it + " / " + en;
  });
}

}  // namespace sportello::i18n
