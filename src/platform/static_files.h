// The built web assets (web/dist), loaded into memory at start: small,
// immutable, and served without touching the disk. Hashed files under /assets/
// are cached for a year; HTML pages are revalidated (ETag). The build leaves a
// brotli `x.br` and a gzip `x.gz` beside each compressible file
// (web/scripts/precompress.mjs): they are loaded as that file's variants, never
// served under their own names, and chosen by the request's Accept-Encoding.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "platform/http.h"

namespace sportello {

struct StaticFile {
  std::string body;
  std::string contentType;
  std::string etag;  // of the identity body; a variant's is etag + "-br" / "-gz" inside the quotes
  std::string cacheControl;
  std::string br;  // empty: no brotli copy
  std::string gz;  // empty: no gzip copy
};

// The answer to a GET of `f`: the smallest encoding `acceptEncoding` allows, with its own ETag,
// `Vary: Accept-Encoding` when there are variants, or 304 when `ifNoneMatch` names that ETag.
// `cacheControl` empty: the file's own.
http::Response staticAnswer(const StaticFile& f, std::string_view acceptEncoding,
                            std::string_view ifNoneMatch, std::string_view cacheControl = {});

class StaticFiles {
 public:
  // Loads every regular file below `dir` (no symlinks followed outside it). An
  // empty or missing dir gives an empty set (the API still works) and a
  // warning.
  static Result<std::unique_ptr<StaticFiles>> load(const std::string& dir);
  const StaticFile* find(std::string_view path) const;  // "/assets/x.js", "/offices.html"
  size_t size() const { return files_.size(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unordered_map<std::string, StaticFile> files_;
};

std::string contentTypeFor(std::string_view path);

}  // namespace sportello
