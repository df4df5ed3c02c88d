// RFC 3339 timestamps. The canonical form is UTC with 'Z' and milliseconds:
// "2026-11-28T19:02:20.123Z". Canonical strings sort chronologically, which the engine relies on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace storage {

// Milliseconds since the epoch -> canonical RFC 3339.
std::string format_rfc3339_ms(int64_t epoch_ms);

// Any RFC 3339 date-time ("2026-01-02T03:04:05Z", "...05.5+02:00", lower-case 't'/'z') or a plain
// date ("2026-01-02", midnight UTC) -> epoch milliseconds. nullopt when not a valid date-time.
std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

// Parses then formats: nullopt when invalid.
std::optional<std::string> canonical_rfc3339(std::string_view text);

}  // namespace storage
