// The capture and resume commands of `ooc` (issue 8): `ooc primer`, `ooc stash`, and the input
// reader that `ooc import` and `ooc stash` share. Same conventions as cli_commands.h: output to
// ctx.out, errors to ctx.err, the exit status returned (0 ok, 1 failure; usage errors are 2 and
// are caught by the parser in cli.cpp before these run).
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "storage/status.h"
#include "tools/cli_commands.h"
#include "tools/primer.h"

namespace tools {

// All bytes of `path` read to end of file: a regular file, a pipe, a FIFO, /dev/stdin or a process
// substitution (never trusting the size a stat reports, which is 0 for pipes). "-" reads `in`.
storage::Result<std::string> read_all_input(const std::string& path, std::istream& in);

struct PrimerOptions {
  int64_t max_tokens = kDefaultPrimerTokens;
  bool json = false;  // the context_primer tool's structuredContent instead of Markdown
};

// ctx.project must be one project (not "*").
int run_primer(const CommandContext& ctx, const PrimerOptions& options);

struct StashOptions {
  std::string file = {};       // read the text from this file; empty: from `in`
  std::string lines = {};      // "A:B" (1-based, inclusive) of `file`
  std::string id = {};         // segment id; empty: generated
  std::string type = {};       // a segment type name; empty: note
  std::string task = {};
  std::vector<std::string> tags = {};
  std::string file_path = {};  // metadata; defaults to `file` when that is given
};

// Stores and stashes one segment of ctx.project (not "*") and prints its id. Empty text is an error.
int run_stash(const CommandContext& ctx, const StashOptions& options, std::istream& in);

}  // namespace tools
