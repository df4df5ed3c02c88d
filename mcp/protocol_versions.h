// Protocol revisions this server speaks, and the legacy version negotiation rule.
//
// Contract: pure functions over constant tables; thread-safe. Legacy revisions (2024-11-05 ..
// 2025-11-25) use the initialize handshake; modern revisions (2026-07-28) are stateless and carry
// their version in every request's params._meta (MCP basic/versioning: "dual-era").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"

namespace mcp::protocol {

inline constexpr std::string_view kLatestLegacy = "2025-11-25";
// MCP 2025-03-26 is the only revision with JSON-RPC batches (added there, removed in 2025-06-18).
inline constexpr std::string_view kBatchRevision = "2025-03-26";

// Reserved _meta keys of MCP 2026-07-28 (basic/index).
inline constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

// Newest first.
const std::vector<std::string>& legacy_versions();
const std::vector<std::string>& modern_versions();
// Modern then legacy, newest first: what server/discover lists as supportedVersions.
std::vector<std::string> all_versions();

bool is_legacy(std::string_view version);
bool is_modern(std::string_view version);

// MCP 2024-11-05 lifecycle: a supported requested version is echoed; anything else (unknown,
// newer, modern, not a string, absent) gets the latest legacy version.
std::string negotiate_legacy(const Json& requested);

}  // namespace mcp::protocol
