#include "core/json_fields.h"

#include <set>
#include <vector>

namespace sportello {

Result<Json> parseStrictJson(std::string_view text) {
  // nlohmann skips a UTF-8 byte order mark silently; JSON over HTTP must not carry one
  // (RFC 8259 §8.1), and a reader that accepts it reads differently from one that does not.
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    return makeError(Errc::kInvalid, "JSON non valido: BOM all'inizio non ammesso");
  }
  // Duplicate keys: nlohmann keeps the last one, another reader (a proxy, a WAF) the first, so
  // the same bytes could mean two things. Refuse them, naming the key.
  std::vector<std::set<std::string>> open;
  std::string duplicate;
  Json::parser_callback_t cb = [&](int, Json::parse_event_t ev, Json& parsed) {
    switch (ev) {
      case Json::parse_event_t::object_start:
        open.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!open.empty()) open.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!open.empty() && parsed.is_string() &&
            !open.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  Json j = Json::parse(text, cb, /*allow_exceptions=*/false);
  if (j.is_discarded()) return makeError(Errc::kInvalid, "JSON non valido");
  if (!duplicate.empty()) {
    return makeError(Errc::kInvalid, "JSON non valido: chiave ripetuta: " + duplicate, duplicate);
  }
  return j;
}

Result<Json> parseJsonObject(std::string_view body, bool emptyIsObject) {
  if (body.empty() && emptyIsObject) return Json::object();
  SP_ASSIGN(Json j, parseStrictJson(body));
  if (!j.is_object()) return makeError(Errc::kInvalid, "atteso un oggetto JSON");
  return j;
}

bool cleanText(std::string_view s, bool multiline) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
      return false;
    }
  }
  return true;
}

Fields::Fields(const Json& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {}

std::string Fields::path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void Fields::fail(std::string_view key, std::string message) {
  if (!err_) err_ = Error{Errc::kInvalid, std::move(message), path(key)};
}

bool Fields::has(std::string_view key) const {
  return obj_.contains(key);
}

bool Fields::isNull(std::string_view key) const {
  auto it = obj_.find(key);
  return it != obj_.end() && it->is_null();
}

const Json* Fields::raw(std::string_view key, Json::value_t type, bool required) {
  seen_.emplace(key);
  auto it = obj_.find(key);
  if (it == obj_.end()) {
    if (required) fail(key, "campo obbligatorio: " + path(key));
    return nullptr;
  }
  if (it->type() != type) {
    fail(key, "tipo non valido per " + path(key));
    return nullptr;
  }
  return &*it;
}

static bool checkString(Fields& f, std::string_view key, const std::string& s, const StrOpt& opt) {
  if (s.size() > opt.maxLen) {
    f.fail(key, "testo troppo lungo in " + f.path(key) + " (massimo " + std::to_string(opt.maxLen) +
                    " caratteri)");
    return false;
  }
  if (!cleanText(s, opt.multiline)) {
    f.fail(key, "caratteri non ammessi in " + f.path(key));
    return false;
  }
  if (!opt.allowEmpty && s.empty()) {
    f.fail(key, "campo vuoto: " + f.path(key));
    return false;
  }
  return true;
}

bool Fields::str(std::string_view key, std::string& out, StrOpt opt) {
  seen_.emplace(key);
  auto it = obj_.find(key);
  if (it == obj_.end()) {
    if (opt.required) fail(key, "campo obbligatorio: " + path(key));
    return false;
  }
  if (!it->is_string()) {
    fail(key, "atteso un testo in " + path(key));
    return false;
  }
  const auto& s = it->get_ref<const std::string&>();
  if (opt.required) opt.allowEmpty = false;
  if (!checkString(*this, key, s, opt)) return false;
  out = s;
  return true;
}

bool Fields::optStr(std::string_view key, std::optional<std::string>& out, StrOpt opt) {
  seen_.emplace(key);
  auto it = obj_.find(key);
  if (it == obj_.end()) {
    if (opt.required) fail(key, "campo obbligatorio: " + path(key));
    return false;
  }
  if (it->is_null()) {
    out.reset();
    return true;
  }
  std::string s;
  opt.required = false;
  if (!str(key, s, opt)) return false;
  out = std::move(s);
  return true;
}

bool Fields::integer(std::string_view key, int64_t& out, int64_t min, int64_t max, bool required) {
  seen_.emplace(key);
  auto it = obj_.find(key);
  if (it == obj_.end()) {
    if (required) fail(key, "campo obbligatorio: " + path(key));
    return false;
  }
  if (!it->is_number_integer()) {
    fail(key, "atteso un numero intero in " + path(key));
    return false;
  }
  int64_t v = 0;
  if (it->is_number_unsigned()) {
    auto u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) {
      fail(key, "numero fuori intervallo in " + path(key));
      return false;
    }
    v = static_cast<int64_t>(u);
  } else {
    v = it->get<int64_t>();
  }
  if (v < min || v > max) {
    fail(key, "valore fuori intervallo in " + path(key) + " (" + std::to_string(min) + "–" +
                  std::to_string(max) + ")");
    return false;
  }
  out = v;
  return true;
}

bool Fields::boolean(std::string_view key, bool& out, bool required) {
  seen_.emplace(key);
  auto it = obj_.find(key);
  if (it == obj_.end()) {
    if (required) fail(key, "campo obbligatorio: " + path(key));
    return false;
  }
  if (!it->is_boolean()) {
    fail(key, "atteso true o false in " + path(key));
    return false;
  }
  out = it->get<bool>();
  return true;
}

bool Fields::strArray(std::string_view key, std::vector<std::string>& out, size_t maxItems,
                      StrOpt itemOpt, bool required) {
  const Json* a = raw(key, Json::value_t::array, required);
  if (!a) return false;
  if (a->size() > maxItems) {
    fail(key, "troppi elementi in " + path(key));
    return false;
  }
  std::vector<std::string> v;
  for (const auto& e : *a) {
    if (!e.is_string()) {
      fail(key, "attesi testi in " + path(key));
      return false;
    }
    const auto& s = e.get_ref<const std::string&>();
    if (!checkString(*this, key, s, itemOpt)) return false;
    v.push_back(s);
  }
  out = std::move(v);
  return true;
}

Status Fields::finish() {
  if (err_) return *err_;
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    if (!seen_.count(it.key())) {
      return Error{Errc::kInvalid, "campo sconosciuto: " + path(it.key()), path(it.key())};
    }
  }
  return okStatus();
}

}  // namespace sportello
