// The human commands of `ooc` (DESIGN §7): each prints readable lines (JSON Lines for export) to
// `out`, errors to `err`, and returns the exit status. They take an open Store so tests can run
// them on a temporary one.
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "storage/store.h"

namespace tools {

struct CommandContext {
  storage::Store& store;
  std::string project;  // a project id, or "*" for every project
  std::ostream& out;
  std::ostream& err;
};

struct SearchOptions {
  std::string query = {};
  std::string task = {};
  std::vector<std::string> tags = {};
  size_t limit = 20;
  bool substring = false;
};

int run_stats(const CommandContext& ctx);
int run_search(const CommandContext& ctx, const SearchOptions& options);
int run_show(const CommandContext& ctx, const std::string& segment_id);
// JSON Lines of every stashed segment (of ctx.project) to `file`, or to ctx.out when empty.
int run_export(const CommandContext& ctx, const std::string& file);
// All-or-nothing: every line is checked first; bad lines are reported with their numbers. `file`
// is read to end of file (a pipe, FIFO or /dev/stdin too); "-" reads `in` (std::cin by default).
// Input with no segment lines is an error: nothing is imported and the status is 1.
int run_import(const CommandContext& ctx, const std::string& file, const storage::SegmentLimits& limits);
int run_import(const CommandContext& ctx, const std::string& file, const storage::SegmentLimits& limits,
               std::istream& in);
int run_compact(const CommandContext& ctx);
// Checks the files without opening a Store; exit status 1 when damaged.
int run_verify(const std::string& storage_path, std::ostream& out, std::ostream& err);

}  // namespace tools
