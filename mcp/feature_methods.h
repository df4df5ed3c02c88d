// The MCP methods over a Features provider (mcp/features.h): resources/list,
// resources/templates/list, resources/read, prompts/list, prompts/get, completion/complete. Pure
// functions of the provider, the params and the revision; internal to mcp/ (server.cpp
// dispatches to them).
//
// Contract: never throw; protocol failures are Outcomes carrying the JSON-RPC error. Results are
// era-neutral except where the revision table says otherwise (title fields, the not-found code);
// server.cpp adds the 2026-07-28 decorations.
#pragma once

#include <cstddef>

#include "mcp/features.h"
#include "mcp/json.h"
#include "mcp/methods.h"
#include "mcp/protocol_versions.h"

namespace mcp::methods {

// MCP 2024-11-05 utilities/completion: at most 100 values per completion result.
inline constexpr size_t kMaxCompletionValues = 100;

Outcome resources_list(Features& features, const Json& params, const protocol::Revision& revision,
                       size_t page_size);
Outcome resource_templates_list(const Features& features, const Json& params,
                                const protocol::Revision& revision, size_t page_size);
Outcome resources_read(Features& features, const Json& params, const protocol::Revision& revision);
Outcome prompts_list(const Features& features, const Json& params,
                     const protocol::Revision& revision, size_t page_size);
Outcome prompts_get(Features& features, const Json& params);
Outcome complete(Features& features, const Json& params);

}  // namespace mcp::methods
