// Pairs every descriptor of schemas::tool_descriptors() with its tool binding (tools.h) in a
// registry.
#pragma once

#include <vector>

#include "mcp/tool_registry.h"
#include "storage/status.h"
#include "tools/tools.h"

namespace tools {

// Every tool, sorted by name: one line each in register_tools.cpp.
const std::vector<ToolBinding>& tool_bindings();

// Registers every tool. invalid_argument naming every problem when a descriptor has no tool,
// a tool has no descriptor, or the registry rejects a descriptor: the caller must refuse to
// start. Handlers keep a copy of `ctx` (and so a reference to its Store).
storage::Status register_tools(mcp::ToolRegistry& registry, const ToolContext& ctx);

}  // namespace tools
