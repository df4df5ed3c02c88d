// The MCP methods the server implements, one function each, as pure functions of the config,
// the tool registry and the params. Internal to mcp/ (server.cpp dispatches to them).
//
// Contract: never throw; a failure is an Outcome carrying a JSON-RPC error. Results here are
// era-neutral; server.cpp adds the 2026-07-28 decorations (resultType, _meta, cache hints).
#pragma once

#include <optional>
#include <string>

#include "mcp/json.h"
#include "mcp/server.h"
#include "mcp/tool_registry.h"

namespace mcp::methods {

struct Error {
  int code;
  std::string message;
  std::optional<Json> data;
};

struct Outcome {
  Json result;                 // valid when !error
  std::optional<Error> error;

  static Outcome ok(Json r) { return Outcome{std::move(r), std::nullopt}; }
  static Outcome fail(int code, std::string message, std::optional<Json> data = std::nullopt) {
    return Outcome{Json(), Error{code, std::move(message), std::move(data)}};
  }
};

// Declared capabilities: tools always; logging only in the legacy era (2026-07-28 removed
// logging/setLevel, and this server sends no notifications/message).
Json capabilities(bool modern);
Json server_info(const ServerConfig& config);

// initialize: negotiates the version (stored in `negotiated`) and describes the server.
Outcome initialize(const ServerConfig& config, const Json& params, std::string& negotiated);
// server/discover (2026-07-28): supported versions, capabilities, instructions.
Outcome discover(const ServerConfig& config);
Outcome tools_list(const ServerConfig& config, const ToolRegistry& tools, const Json& params);
Outcome tools_call(const ToolRegistry& tools, const Json& params);
Outcome set_log_level(const ServerConfig& config, const Json& params);

}  // namespace mcp::methods
