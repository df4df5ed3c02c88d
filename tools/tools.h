// The seven MCP tools of DESIGN §6. Each is a plain function of the store and its arguments;
// arguments were already validated against schemas/tools/<name>.json by mcp::ToolRegistry, and
// each tool adds the domain checks a schema cannot express. Tools never throw: failures come back
// as isError results with a stable code (see result_json.h).
#pragma once

#include <string>

#include "mcp/json.h"
#include "mcp/tool_registry.h"
#include "storage/store.h"

namespace tools {

// What every tool needs. The Store outlives the registry that holds handlers using it.
struct ToolContext {
  storage::Store& store;
  std::string default_project;  // see project_id.h
};

mcp::ToolResult context_delete(const ToolContext& ctx, const mcp::Json& args);
mcp::ToolResult context_get_working_set(const ToolContext& ctx, const mcp::Json& args);
mcp::ToolResult context_list_projects(const ToolContext& ctx, const mcp::Json& args);
mcp::ToolResult context_retrieve_stashed(const ToolContext& ctx, const mcp::Json& args);
mcp::ToolResult context_search_stashed(const ToolContext& ctx, const mcp::Json& args);
mcp::ToolResult context_stash(const ToolContext& ctx, const mcp::Json& args);
mcp::ToolResult context_store(const ToolContext& ctx, const mcp::Json& args);

}  // namespace tools
