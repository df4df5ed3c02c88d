// Server: JSON-RPC 2.0 + MCP over one line at a time. Pure: handle() maps a request line to the
// reply line (or nothing). Knows nothing of storage; tools come from a ToolRegistry.
//
// Legacy lifecycle (2024-11-05 .. 2025-11-25) and the stateless 2026-07-28 revision are served
// by the same object (dual-era). Thread safety: one thread calls handle().
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mcp/json.h"
#include "mcp/tool_registry.h"

namespace mcp {

struct ServerConfig {
  std::string name = "ooc";
  std::string title = "ooc: out of context";
  std::string version = "0.0.0";
  std::string instructions;  // sent in initialize / server/discover
  // Called for logging/setLevel with an RFC 5424 level name ("debug" .. "emergency").
  std::function<void(const std::string& level)> on_set_log_level;
};

class Server {
 public:
  Server(ServerConfig config, const ToolRegistry& tools);
  ~Server();

  // One incoming line (already stripped of its newline). Returns the reply line, or nullopt for
  // notifications, responses and blank input.
  std::optional<std::string> handle(std::string_view line);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcp
