// Content encodings: which one a client accepts, and gzip for dynamic answers. Static assets
// are compressed at build time (web/scripts/precompress.mjs writes .br and .gz copies) and
// chosen here per request; JSON and text answers above kCompressMinBytes are gzipped as they
// leave (HttpServer), so a slow phone downloads a fifth of the bytes.
#pragma once

#include <string>
#include <string_view>

namespace sportello {

enum class Encoding { kIdentity, kGzip, kBrotli };

// Answers smaller than this are sent as they are: the headers would cost more than the saving.
inline constexpr size_t kCompressMinBytes = 1024;

// The encoding to send among those available, from an Accept-Encoding header (RFC 9110
// §12.5.3): q-values, "*", "x-gzip", "identity;q=0" ignored (identity is always possible).
// The highest q wins; on a tie brotli, then gzip, then identity. No header: identity.
Encoding chooseEncoding(std::string_view acceptEncoding, bool brotli, bool gzip);

// "br", "gzip", "" for identity.
std::string_view encodingName(Encoding e);

// gzip (RFC 1952) of `body` with zlib at `level` (1 fastest … 9 smallest).
std::string gzipBody(std::string_view body, int level = 5);

// Whether a Content-Type is worth compressing: text, JSON, JavaScript, SVG, calendars.
bool compressibleType(std::string_view contentType);

}  // namespace sportello
