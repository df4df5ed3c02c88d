// Server: JSON-RPC 2.0 + MCP over one line at a time. Pure: handle() maps a request line to the
// reply line (or nothing). Knows nothing of storage; tools come from a ToolRegistry.
//
// Legacy lifecycle (2024-11-05 .. 2025-11-25) and the stateless 2026-07-28 revision are served
// by the same object (dual-era): a request whose params._meta carries
// "io.modelcontextprotocol/protocolVersion" is handled statelessly in the modern way; everything
// else follows the legacy session negotiated by initialize. A client that has sent 2026-07-28
// requests and no initialize must keep sending _meta (-32602 otherwise). What each revision has
// is the table in mcp/protocol_versions.h; the routing rule is mcp/revision_router.h.
//
// Resources, prompts and completion are served (and declared) only when a Features provider is
// given (mcp/features.h); roots are asked for only when config.on_roots is set (mcp/roots_client.h).
//
// Contract: handle() never throws and never writes anywhere (stdout is the transport's): what the
// server sends on its own (roots/list requests) waits in take_outgoing(). The ToolRegistry and the
// Features must outlive the Server. Thread safety: one thread calls handle() and take_outgoing().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"
#include "mcp/tool_registry.h"

namespace mcp {

struct ServerConfig {
  std::string name = "ooc";
  std::string title = "ooc: out of context";
  std::string version = "0.0.0";
  std::string instructions;  // sent in initialize / server/discover (omitted when empty)
  // Called for logging/setLevel with an RFC 5424 level name ("debug" .. "emergency").
  std::function<void(const std::string& level)> on_set_log_level;
  // tools/list page size (>= 1; 0 counts as 1). Tests use small pages to exercise the cursor.
  size_t tools_page_size = 100;
  // resources/list, resources/templates/list and prompts/list page size (>= 1; 0 counts as 1).
  size_t list_page_size = 100;
  // 2026-07-28 cache hint on the static lists (tools/list, server/discover, prompts/list,
  // resources/templates/list); resources/list and resources/read change with the store: ttl 0.
  std::int64_t cache_ttl_ms = 3600000;
  // Called with the client's root URIs when a legacy client that declared `roots` answers
  // roots/list. Unset: the server never asks.
  std::function<void(const std::vector<std::string>& uris)> on_roots;
};

class Features;

class Server {
 public:
  Server(ServerConfig config, const ToolRegistry& tools, Features* features = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // One incoming line (already stripped of its newline). Returns the reply line (compact JSON,
  // no newline), or nullopt for notifications, responses, blank input and all-notification
  // batches.
  std::optional<std::string> handle(std::string_view line);

  // Requests the server sends to the client on its own (compact JSON lines, oldest first), queued
  // by handle(); the serve loop writes them after each handled line.
  std::vector<std::string> take_outgoing();

  // The protocol revision negotiated by the last initialize ("" before any).
  std::string_view negotiated_version() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcp
