#include "platform/compress.h"

#include <zlib.h>

#include <cstdlib>

namespace sportello {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// The q of one list member ("gzip;q=0.5" → 0.5); a malformed q counts as 0 (not acceptable).
double qOf(std::string_view params) {
  double q = 1.0;
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? "" : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string v(p.substr(2));
      char* end = nullptr;
      q = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || q < 0 || q > 1) q = 0;
    }
  }
  return q;
}

}  // namespace

Encoding chooseEncoding(std::string_view header, bool brotli, bool gzip) {
  double br = -1, gz = -1, star = -1;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view name = trim(item.substr(0, semi));
    double q = qOf(semi == std::string_view::npos ? "" : item.substr(semi + 1));
    if (iequals(name, "br"))
      br = q;
    else if (iequals(name, "gzip") || iequals(name, "x-gzip"))
      gz = q;
    else if (name == "*")
      star = q;
  }
  if (br < 0) br = star;
  if (gz < 0) gz = star;
  double bestQ = 0;
  Encoding best = Encoding::kIdentity;
  if (brotli && br > bestQ) bestQ = br, best = Encoding::kBrotli;
  if (gzip && gz > bestQ) bestQ = gz, best = Encoding::kGzip;
  return best;
}

std::string_view encodingName(Encoding e) {
  switch (e) {
    case Encoding::kBrotli:
      return "br";
    case Encoding::kGzip:
      return "gzip";
    case Encoding::kIdentity:
      break;
  }
  return "";
}

std::string gzipBody(std::string_view body, int level) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&z, body.size()));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string{};
}

bool compressibleType(std::string_view ct) {
  return ct.rfind("text/", 0) == 0 || ct.rfind("application/json", 0) == 0 ||
         ct.rfind("application/problem+json", 0) == 0 ||
         ct.rfind("application/manifest+json", 0) == 0 || ct.rfind("image/svg+xml", 0) == 0 ||
         ct.rfind("application/javascript", 0) == 0;
}

}  // namespace sportello
