// The MCP tools of DESIGN §6 (and context_primer, issue 8), one file each (tools/<name>.cpp), bound as in tool.h.
// Arguments were already validated against schemas/tools/<name>.json by mcp::ToolRegistry; each
// tool's decoder adds the domain checks a schema cannot express. Tools never throw: failures come
// back as isError results with a stable code (tool.h error_result).
#pragma once

#include "tools/tool.h"

namespace tools {

ToolBinding context_delete_tool();
ToolBinding context_edit_tool();
ToolBinding context_get_working_set_tool();
ToolBinding context_list_projects_tool();
ToolBinding context_primer_tool();
ToolBinding context_retrieve_stashed_tool();
ToolBinding context_search_stashed_tool();
ToolBinding context_stash_tool();
ToolBinding context_store_tool();

}  // namespace tools
