// Strict reading of JSON request bodies: wrong types, out-of-range values and
// unknown fields are errors naming the field, so a bad request is refused
// before anything changes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sportello {

using Json = nlohmann::json;

// [toJson(item)…] of a list of typed views (each view's toJson, found by argument-dependent
// lookup in its own namespace).
template <class Range>
Json jsonArray(const Range& items) {
  Json arr = Json::array();
  for (const auto& i : items) arr.push_back(toJson(i));
  return arr;
}

// Parses `text` as JSON, strictly: a leading byte order mark and duplicate keys in any object
// are refused (kInvalid, the duplicate key as the field), as is anything that is not JSON.
Result<Json> parseStrictJson(std::string_view text);

// Parses `body` as a JSON object, strictly (see parseStrictJson; kInvalid otherwise; an empty
// body is an empty object when `emptyIsObject`).
Result<Json> parseJsonObject(std::string_view body, bool emptyIsObject = false);

struct StrOpt {
  size_t maxLen = 500;
  bool required = false;
  bool multiline = false;  // allow \n \r \t
  bool allowEmpty = true;
};

// Reads the fields of one JSON object. Each getter returns true when the field
// was present and valid (and writes `out`), false when absent or invalid; the
// first error is kept and returned by finish(), which also rejects fields
// nobody asked for.
class Fields {
 public:
  explicit Fields(const Json& obj, std::string prefix = {});

  bool str(std::string_view key, std::string& out, StrOpt opt = {});
  // Present as a string or null (null → nullopt).
  bool optStr(std::string_view key, std::optional<std::string>& out, StrOpt opt = {});
  bool integer(std::string_view key, int64_t& out, int64_t min, int64_t max, bool required = false);
  bool boolean(std::string_view key, bool& out, bool required = false);
  bool strArray(std::string_view key, std::vector<std::string>& out, size_t maxItems,
                StrOpt itemOpt = {}, bool required = false);
  // Raw nested value (array/object), type-checked by the caller; marks the key
  // as known.
  const Json* raw(std::string_view key, Json::value_t type, bool required = false);
  bool has(std::string_view key) const;
  // Present and null (a nullable field: check this before reading it with a typed getter).
  bool isNull(std::string_view key) const;

  void fail(std::string_view key, std::string message);
  bool failed() const { return err_.has_value(); }
  std::string path(std::string_view key) const;
  Status finish();

 private:
  const Json& obj_;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
  std::optional<Error> err_;
};

// Checks a string for control characters (allowed: \n \r \t when multiline).
bool cleanText(std::string_view s, bool multiline);

}  // namespace sportello
