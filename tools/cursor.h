// Opaque pagination cursors of context_search_stashed: base64url of {"o":offset,"q":fingerprint},
// where the fingerprint covers the project, query, filters and mode, so a cursor only continues
// the search it came from. (The MCP -32602 rule is for tools/list cursors; a bad search cursor
// is an isError INVALID_ARGUMENT result.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/status.h"

namespace tools {

// FNV-1a 64 as 16 hex digits: stable across processes and builds.
std::string fingerprint(std::string_view bytes);

std::string encode_cursor(size_t offset, const std::string& fingerprint);

// The offset, or invalid_argument "cursor: ..." when the text is not a cursor or belongs to a
// different search.
storage::Result<size_t> decode_cursor(std::string_view cursor, const std::string& fingerprint);

}  // namespace tools
