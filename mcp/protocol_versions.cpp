#include "mcp/protocol_versions.h"

#include <array>

namespace mcp::protocol {
namespace {

// Where each column comes from:
// - initialize, ping, logging: MCP 2024-11-05 lifecycle and utilities; MCP 2026-07-28 changelog
//   removed the initialize handshake, ping and logging/setLevel (stateless revision).
// - batches: MCP 2025-03-26 basic ("MUST support receiving JSON-RPC batches"); MCP 2025-06-18
//   changelog removed JSON-RPC batching.
// - stateless_meta, server_discover, result_type, cache_hints: MCP 2026-07-28 basic/index,
//   server/discover and utilities/caching (ttlMs and cacheScope on cacheable results).
// - compl: MCP 2025-03-26 changelog added the `completions` server capability (completion/complete
//   itself is in 2024-11-05 utilities/completion, undeclared).
// - title: MCP 2025-06-18 changelog added `title` (BaseMetadata) and `_meta` on more types.
// - nf (resources/read of an unknown URI): MCP 2024-11-05 .. 2025-11-25 server/resources "Resource
//   not found: -32002"; MCP 2026-07-28 server/resources: servers MUST answer -32602 (Invalid
//   params) and MUST NOT use -32002.
constexpr Era kL = Era::kLegacy;
constexpr Era kM = Era::kModern;
constexpr int kR = -32002;  // Resource not found (legacy)
constexpr int kP = -32602;  // Invalid params
constexpr std::array<Revision, 5> kRevisions = {{
    // version     era  init   batch  ping   log    meta   disc   rtype  cache  compl  title  nf
    {"2026-07-28", kM,  false, false, false, false, true,  true,  true,  true,  true,  true,  kP},
    {"2025-11-25", kL,  true,  false, true,  true,  false, false, false, false, true,  true,  kR},
    {"2025-06-18", kL,  true,  false, true,  true,  false, false, false, false, true,  true,  kR},
    {"2025-03-26", kL,  true,  true,  true,  true,  false, false, false, false, true,  false, kR},
    {"2024-11-05", kL,  true,  false, true,  true,  false, false, false, false, false, false, kR},
}};
static_assert(kRevisions[0].era == kM && kRevisions[1].era == kL,
              "newest first: the latest modern row, then the latest legacy row");

}  // namespace

std::span<const Revision> revisions() { return kRevisions; }

const Revision* find(std::string_view version) {
  for (const Revision& revision : kRevisions) {
    if (revision.version == version) return &revision;
  }
  return nullptr;
}

const Revision& latest_legacy() { return kRevisions[1]; }
const Revision& latest_modern() { return kRevisions[0]; }

std::vector<std::string> versions(Era era) {
  std::vector<std::string> out;
  for (const Revision& revision : kRevisions) {
    if (revision.era == era) out.emplace_back(revision.version);
  }
  return out;
}

std::vector<std::string> all_versions() {
  std::vector<std::string> all = versions(Era::kModern);
  for (std::string& version : versions(Era::kLegacy)) all.push_back(std::move(version));
  return all;
}

const Revision& negotiate_legacy(const Json& requested) {
  if (!requested.is_string()) return latest_legacy();
  const Revision* revision = find(requested.get_ref<const std::string&>());
  return revision != nullptr && revision->initialize ? *revision : latest_legacy();
}

}  // namespace mcp::protocol
