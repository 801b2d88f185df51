// UTF-8 text measured as people count it: the limits on names, messages and comments are in
// characters (code points), not bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace sportello {

// Number of Unicode code points in valid UTF-8 (invalid input → nullopt).
std::optional<size_t> utf8Length(std::string_view s);

}  // namespace sportello
