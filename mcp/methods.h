// The MCP methods the server implements, one function each, as pure functions of the config,
// the tool registry and the params. Internal to mcp/ (server.cpp dispatches to them).
//
// Contract: never throw; a failure is an Outcome carrying a JSON-RPC error. Results here are
// era-neutral; server.cpp adds the 2026-07-28 decorations (resultType, _meta, cache hints).
#pragma once

#include <optional>
#include <string>

#include "mcp/json.h"
#include "mcp/protocol_versions.h"
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

// Declared capabilities in `revision`: tools always; logging where the revision has it (this
// server sends no notifications/message, so only logging/setLevel stands behind it); with
// `features`: resources and prompts (no subscribe, no listChanged: nothing is ever notified) and
// completions where the revision declares it.
Json capabilities(const protocol::Revision& revision, bool features);
Json server_info(const ServerConfig& config);

// initialize, once server.cpp has negotiated `revision`: describes the server.
Outcome initialize(const ServerConfig& config, const protocol::Revision& revision, bool features);
// server/discover: every supported version, the capabilities of `revision`, instructions.
Outcome discover(const ServerConfig& config, const protocol::Revision& revision, bool features);
Outcome tools_list(const ServerConfig& config, const ToolRegistry& tools, const Json& params);
Outcome tools_call(const ToolRegistry& tools, const Json& params);
Outcome set_log_level(const ServerConfig& config, const Json& params);

}  // namespace mcp::methods
