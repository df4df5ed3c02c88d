// `ooc` / `ooc serve`: the MCP server over stdin/stdout (DESIGN §5). The caller has already routed
// spdlog to stderr.
#pragma once

#include <string>

#include "tools/config.h"

namespace tools {

// The initialize `instructions`: the stash/search/retrieve workflow in a few lines.
const std::string& server_instructions();

// Opens the store with a new session (loading in the background), registers the tools and serves
// until end of input or SIGTERM/SIGINT/SIGHUP, then ends the session (its working set goes to the
// stash). Returns the exit status: 0 on a clean end.
int serve_mcp(const Config& config, const std::string& default_project);

}  // namespace tools
