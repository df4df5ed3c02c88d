// The JSON type used across mcp/ and tools/ (nlohmann::json with implicit conversions disabled).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace mcp {

using Json = nlohmann::json;

// Compact one-line serialization that never throws on invalid UTF-8 (replaced with U+FFFD).
inline std::string dump_compact(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace mcp
