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

// The server when the configuration is unusable (`problem` names the setting, its value and the
// allowed ones): no store is opened; initialize, ping and tools/list are answered as usual and
// every tools/call is an isError "CONFIG_ERROR: <problem>; fix the setting in your MCP client's
// env and restart", so the user reads the reason in the client instead of "failed to connect".
int serve_mcp_config_error(const std::string& problem);

}  // namespace tools
