// The built web assets (web/dist), loaded into memory at start: small,
// immutable, and served without touching the disk. Hashed files under /assets/
// are cached for a year; HTML pages are revalidated (ETag).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace sportello {

struct StaticFile {
  std::string body;
  std::string contentType;
  std::string etag;
  std::string cacheControl;
};

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
