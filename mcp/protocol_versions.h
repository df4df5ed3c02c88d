// The protocol revisions this server speaks: one row per revision saying what it has, so dispatch
// (server.cpp) and capabilities (methods.cpp) read features from the table instead of comparing
// version strings.
//
// Legacy revisions (2024-11-05 .. 2025-11-25) open a session with initialize; the modern revision
// 2026-07-28 is stateless and carries its version in every request's params._meta. This server
// serves both (MCP 2026-07-28 basic/versioning: "dual-era").
//
// Contract: pure functions over a constant table; thread-safe. Returned rows and references live
// for the whole program.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"

namespace mcp::protocol {

enum class Era { kLegacy, kModern };

struct Revision {
  std::string_view version;
  Era era;
  bool initialize;       // the initialize handshake opens a session
  bool batches;          // JSON-RPC batches MUST be received (not initialize inside one)
  bool ping;             // ping
  bool logging;          // the logging capability and logging/setLevel
  bool stateless_meta;   // every request carries protocolVersion + clientCapabilities in _meta
  bool server_discover;  // server/discover
  bool result_type;      // results carry resultType and serverInfo in _meta
  bool cache_hints;      // cacheable results (tools/list, server/discover) carry ttlMs, cacheScope
  bool completions;      // the completions capability is declared (completion/complete is served
                         // in every revision that has a Features provider)
  bool titles;           // title on prompts/resources/templates, _meta on resource contents
  int resource_not_found;  // the JSON-RPC error code of resources/read for an unknown URI
};

// Reserved _meta keys of MCP 2026-07-28 (basic/index).
inline constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

// Every supported revision, newest first.
std::span<const Revision> revisions();
// The row of `version`, or nullptr when this server does not speak it.
const Revision* find(std::string_view version);

const Revision& latest_legacy();  // 2025-11-25
const Revision& latest_modern();  // 2026-07-28

// The versions of one era, newest first (the "supported" list of a -32022 error).
std::vector<std::string> versions(Era era);
// Modern then legacy, newest first: what server/discover lists as supportedVersions.
std::vector<std::string> all_versions();

// MCP 2024-11-05 lifecycle: a supported legacy version is echoed; anything else (unknown, newer,
// modern, not a string, absent) gets the latest legacy revision.
const Revision& negotiate_legacy(const Json& requested);

}  // namespace mcp::protocol
