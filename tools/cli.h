// The `ooc` command line (DESIGN §7), parsed with CLI11. No arguments or `serve`: the MCP server.
// Human commands: stats, search, show, export, import, compact, verify; capture and resume:
// primer, stash, hook claude-code <event> (issue 8). Common flags: --storage,
// --project, --log-level, --version, --help. Errors go to stderr with a non-zero exit status.
//
// Human commands read every project unless --project (or OUT_OF_CONTEXT_PROJECT) names one: a
// person at a shell rarely knows which project an agent used.
#pragma once

namespace tools {

// Parses and runs; returns the exit status (2 for usage and configuration errors).
int run_cli(int argc, char** argv);

}  // namespace tools
