// JSON-RPC 2.0 envelope helpers: error codes, response builders, id rules.
//
// Contract: pure, never throw (beyond std::bad_alloc), thread-safe.
// Unknown ids: a reply to a message whose id could not be read (parse error, invalid request)
// OMITS "id" instead of sending "id": null. JSON-RPC 2.0 says null, but MCP's schema makes the id
// optional from 2025-11-25 and the official SDK clients drop replies with "id": null as
// undecodable (mcp-spec-checklist item 7).
#pragma once

#include <optional>
#include <string>

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

}  // namespace mcp::jsonrpc
