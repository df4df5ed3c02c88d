// The human commands of `ooc` (DESIGN §7): each prints readable lines (JSON Lines for export) to
// `out`, errors to `err`, and returns the exit status. They take an open Store so tests can run
// them on a temporary one. The reading commands (stats, list, search, show; cli_reads.cpp) print
// one JSON document instead when asked for JSON.
//
// Exit statuses, the same for every command: 0 ok, 1 failure, 2 usage or configuration error
// (found by cli.cpp before these run), 3 damaged store (verify).
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "storage/store.h"

namespace tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kDamagedStore = 3;

struct CommandContext {
  storage::Store& store;
  std::string project;  // a project id, or "*" for every project
  std::ostream& out;
  std::ostream& err;
  bool progress = false;  // draw a progress line on `err` (a terminal) during long work
};

struct SearchOptions {
  std::string query = {};
  std::string task = {};
  std::vector<std::string> tags = {};
  size_t limit = 20;
  bool substring = false;
  bool json = false;
};

int run_stats(const CommandContext& ctx, bool json = false);
// The projects (ctx.project "*": all; else the one matching it case-insensitively).
int run_list(const CommandContext& ctx, bool json = false);
int run_search(const CommandContext& ctx, const SearchOptions& options);
int run_show(const CommandContext& ctx, const std::string& segment_id, bool json = false);
// JSON Lines of every stashed segment (of ctx.project) to `file`, or to ctx.out when empty.
int run_export(const CommandContext& ctx, const std::string& file);
// All-or-nothing: every line is checked first; bad lines are reported with their numbers. `file`
// is read to end of file (a pipe, FIFO or /dev/stdin too); "-" reads `in` (std::cin by default).
// Input with no segment lines is an error: nothing is imported and the status is 1.
int run_import(const CommandContext& ctx, const std::string& file, const storage::SegmentLimits& limits);
int run_import(const CommandContext& ctx, const std::string& file, const storage::SegmentLimits& limits,
               std::istream& in);
int run_compact(const CommandContext& ctx);
// Checks the files without opening a Store; exit status kDamagedStore (3) when damaged.
int run_verify(const std::string& storage_path, std::ostream& out, std::ostream& err, bool progress = false);

}  // namespace tools
