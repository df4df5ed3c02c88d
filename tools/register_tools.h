// Pairs every descriptor of schemas::tool_descriptors() with its handler (tools.h) in a registry.
#pragma once

#include <string>

#include "mcp/tool_registry.h"
#include "tools/tools.h"

namespace tools {

// Registers the seven tools. Returns an error text (empty on success) when a descriptor has no
// handler, a handler has no descriptor, or the registry rejects a descriptor: the caller must
// refuse to start. Handlers keep a copy of `ctx` (and so a reference to its Store).
std::string register_tools(mcp::ToolRegistry& registry, const ToolContext& ctx);

}  // namespace tools
