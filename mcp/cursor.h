// Opaque pagination cursors for list methods (MCP 2024-11-05 utilities/pagination): base64 of
// "<scope>:<offset>". Clients must treat them as opaque; the server rejects anything it did not
// issue for that scope (-32602).
//
// Contract: pure, never throws, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mcp {

std::string encode_cursor(std::string_view scope, size_t offset);

// The offset, or nullopt when `cursor` is not valid base64 of "<scope>:<decimal offset>".
std::optional<size_t> decode_cursor(std::string_view scope, std::string_view cursor);

}  // namespace mcp
