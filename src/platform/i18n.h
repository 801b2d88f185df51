// The language of an answer, and the English of the server's error messages.
//
// Error messages are written in Italian at their call site; that text is the key (msgid,
// gettext-style) of one English catalog, platform/i18n/errors_en.tsv, compiled into the
// binary. A key may hold `{}` for a dynamic part ("campo obbligatorio: {}"): the text there is
// kept as is (or translated too when it is itself a known message). The translation is applied
// once, when a response is written (platform/server.cc), never at the call sites.
// Thread-safe: the catalog is built once, on first use, and only read afterwards.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "platform/http.h"

namespace sportello::i18n {

enum class Lang { kIt, kEn };

const char* langTag(Lang l);  // "it", "en"

// The request's language: `lang=it|en` in the query string when present and supported, else the
// supported language with the highest q in Accept-Language (the first listed on a tie), else
// Italian.
Lang requestLang(std::string_view query, std::string_view acceptLanguage);
// `lang=it|en` of a query string, when present and supported.
std::optional<Lang> queryLang(std::string_view query);
Lang requestLang(const http::RawRequest& req);

// `message` (Italian) in `lang`; a message with no English entry is returned unchanged.
std::string translate(std::string_view message, Lang lang);

// For an error response (status ≥ 400): sets Content-Language and, when the body is a JSON
// {"error":{…,"message":…}}, puts the message in `lang`. `code`, `field` and every other member
// stay as they are. Any other response is left untouched.
void localizeError(http::Response& res, Lang lang);
// The same for an error whose request's language cannot be known (refused before any header
// was read): the message in Italian and in English, "italiano / English" (the Italian alone
// when there is no English entry), and Content-Language "it, en".
void localizeErrorBilingual(http::Response& res);

}  // namespace sportello::i18n
