#include "platform/static_files.h"

#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "platform/compress.h"

namespace sportello {

namespace fs = std::filesystem;

std::string contentTypeFor(std::string_view p) {
  auto ends = [&](std::string_view s) {
    return p.size() >= s.size() && p.substr(p.size() - s.size()) == s;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".woff")) return "font/woff";
  if (ends(".ttf")) return "font/ttf";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  if (ends(".webmanifest")) return "application/manifest+json";
  if (ends(".mp3")) return "audio/mpeg";
  if (ends(".wav")) return "audio/wav";
  return "application/octet-stream";
}

Result<std::unique_ptr<StaticFiles>> StaticFiles::load(const std::string& dir) {
  auto sf = std::make_unique<StaticFiles>();
  sf->dir_ = dir;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return sf;
  auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto endsWith = [](const std::string& s, std::string_view x) {
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
  };
  std::vector<std::string> variants;  // "/assets/x.js.br": attached after the walk
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string rel = "/" + fs::relative(it->path(), dir, ec).generic_string();
    if (endsWith(rel, ".br") || endsWith(rel, ".gz")) {
      variants.push_back(rel);
      continue;
    }
    StaticFile f;
    f.body = read(it->path());
    f.contentType = contentTypeFor(rel);
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(f.body.data()), f.body.size(), md);
    static constexpr char hex[] = "0123456789abcdef";
    f.etag = "\"";
    for (int i = 0; i < 8; ++i) {
      f.etag.push_back(hex[md[i] >> 4]);
      f.etag.push_back(hex[md[i] & 15]);
    }
    f.etag += "\"";
    f.cacheControl =
        rel.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
    sf->files_.emplace(std::move(rel), std::move(f));
  }
  if (ec)
    return makeError(Errc::kInternal, "cannot read web assets in " + dir + ": " + ec.message());
  for (const auto& v : variants) {
    auto base = sf->files_.find(v.substr(0, v.size() - 3));
    if (base == sf->files_.end()) continue;  // a stray copy: not served at all
    (endsWith(v, ".br") ? base->second.br : base->second.gz) = read(fs::path(dir) / v.substr(1));
  }
  return sf;
}

http::Response staticAnswer(const StaticFile& f, std::string_view acceptEncoding,
                            std::string_view ifNoneMatch, std::string_view cacheControl) {
  namespace bhttp = http::bhttp;
  Encoding e = chooseEncoding(acceptEncoding, !f.br.empty(), !f.gz.empty());
  std::string etag = f.etag;
  if (e != Encoding::kIdentity) {
    etag.insert(etag.size() - 1, e == Encoding::kBrotli ? "-br" : "-gz");
  }
  bool vary = !f.br.empty() || !f.gz.empty();
  std::string_view cc = cacheControl.empty() ? std::string_view(f.cacheControl) : cacheControl;
  // If-None-Match: a list of ETags, possibly weak (W/"…"), or "*".
  bool match = false;
  while (!ifNoneMatch.empty() && !match) {
    size_t comma = ifNoneMatch.find(',');
    std::string_view tag = ifNoneMatch.substr(0, comma);
    ifNoneMatch = comma == std::string_view::npos ? "" : ifNoneMatch.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
    match = tag == etag || tag == "*";
  }
  http::Response res{match ? bhttp::status::not_modified : bhttp::status::ok, 11};
  res.set(bhttp::field::etag, etag);
  res.set(bhttp::field::cache_control, cc);
  if (vary) res.set(bhttp::field::vary, "Accept-Encoding");
  if (match) return res;
  res.set(bhttp::field::content_type, f.contentType);
  if (e != Encoding::kIdentity) res.set(bhttp::field::content_encoding, encodingName(e));
  res.body() = e == Encoding::kBrotli ? f.br : e == Encoding::kGzip ? f.gz : f.body;
  res.prepare_payload();
  return res;
}

const StaticFile* StaticFiles::find(std::string_view path) const {
  auto it = files_.find(std::string(path));
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace sportello
