// The `ooc` command line (DESIGN §7), parsed with CLI11. No arguments or `serve`: the MCP server
// (on a terminal it first prints one line saying so and how to register it). Human commands:
// stats, list, search, show (each with --json), export, import, compact, verify; capture and
// resume: primer, stash, hook claude-code <event> (issue 8); the team store's schema: db migrate,
// db status (issue 14, db_command.h). Common flags: --storage, --project,
// --log-level, --version, --help. `ooc search` takes the rest of its words as the query.
// Errors go to stderr. Exit status: 0 ok, 1 failure, 2 usage or configuration error, 3 damaged
// store (verify). A configuration error does not stop the server: it serves CONFIG_ERROR results
// (serve.h). Progress lines go to stderr only when it is a terminal (cli_terminal.h).
//
// Human commands read every project unless --project (or OUT_OF_CONTEXT_PROJECT) names one: a
// person at a shell rarely knows which project an agent used.
#pragma once

#include <string>
#include <vector>

namespace tools {

// `args` (argv, program name first) with the words after `search` that are not its options
// gathered into one query after "--", in order: `ooc search refresh token -flaky --limit 5`
// becomes `ooc search --limit 5 -- "refresh token -flaky"`. Words after a "--" are query words
// too. Any other command line is returned unchanged.
std::vector<std::string> gather_search_query(const std::vector<std::string>& args);

// Parses and runs; returns the exit status.
int run_cli(int argc, char** argv);

}  // namespace tools
