#include "platform/static_files.h"

#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string rel = "/" + fs::relative(it->path(), dir, ec).generic_string();
    StaticFile f;
    f.body = ss.str();
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
  return sf;
}

const StaticFile* StaticFiles::find(std::string_view path) const {
  auto it = files_.find(std::string(path));
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace sportello
