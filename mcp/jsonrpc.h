// JSON-RPC 2.0 envelope helpers: error codes, response builders, id rules.
//
// Contract: pure, never throw (beyond std::bad_alloc), thread-safe.
// Unknown ids: a reply to a message whose id could not be read (parse error, invalid request)
// OMITS "id" instead of sending "id": null. JSON-RPC 2.0 says null, but MCP's schema makes the id
// optional from 2025-11-25 and the official SDK clients drop replies with "id": null as
// undecodable (mcp-spec-checklist item 7).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"

namespace mcp::jsonrpc {

enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  // MCP 2026-07-28 UnsupportedProtocolVersionError.
  kUnsupportedProtocolVersion = -32022,
};

// A request id is a string or an integer (MCP: never null, objects, arrays or fractions).
bool is_valid_id(const Json& id);

// {"jsonrpc":"2.0","id":id,"result":result}
Json result_response(const Json& id, Json result);

// {"jsonrpc":"2.0","id":id?,"error":{"code","message","data"?}}; id omitted when nullopt.
Json error_response(const std::optional<Json>& id, int code, std::string message,
                    std::optional<Json> data = std::nullopt);

// What one cheap pass over a message's raw bytes finds before it is parsed, so that costly input
// is refused before parsing builds it (issue 10 #11, #20). Strings are skipped; the bytes need
// not be valid JSON (the parser decides that).
struct RawScan {
  size_t depth = 0;   // deepest nesting of [ and {, counted up to max_depth + 1 (then the scan stops)
  size_t values = 0;  // arrays, objects and elements after a ',': at least the message's values - 1
  std::vector<std::pair<size_t, size_t>> overflowing;  // [offset, length) of numbers beyond a double
};
RawScan scan_raw(std::string_view line, size_t max_depth);

// `line` with every overflowing number of `scan` replaced by 0 (same structure, parseable).
std::string without_overflowing_numbers(std::string_view line, const RawScan& scan);

// The top-level "id" of a message, read without building it (a SAX pass that keeps nothing
// else): nullopt when the message is not an object or the id is missing, invalid, or after a
// parse error.
std::optional<Json> read_id(std::string_view line);

}  // namespace mcp::jsonrpc
