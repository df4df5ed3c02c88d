// context_retrieve_stashed: full stashed segments by id, optionally restored to the working set
// (the stash keeps its copy), within an optional token budget (DESIGN §6).
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {

mcp::ToolResult context_retrieve_stashed(const ToolContext& ctx, const mcp::Json& args) {
  const bool restore = bool_argument(args, "restore", false);
  // With "*", restore copies each segment into the working set of its own project.
  storage::Result<std::string> project = project_argument(args, ctx.default_project, ProjectUse::kRead);
  if (!project.ok()) return error_result(project.status());
  storage::Result<std::vector<std::string>> ids = id_list_argument(args, "segment_ids");
  if (!ids.ok()) return error_result(ids.status());
  if (ids->empty()) {
    return error_result(storage::Status::invalid_argument(
        "segment_ids: pass at least one id (find ids with context_search_stashed)"));
  }
  int64_t max_tokens = 0;
  if (args.contains("max_tokens")) {
    const mcp::Json& value = args["max_tokens"];
    if (!value.is_number_integer() || value.get<int64_t>() < 1) {
      return error_result(storage::Status::invalid_argument("max_tokens: must be an integer >= 1"));
    }
    max_tokens = value.get<int64_t>();
  }

  storage::Result<storage::RetrieveOutcome> outcome = ctx.store.retrieve(*project, *ids, restore, max_tokens);
  if (!outcome.ok()) return error_result(outcome.status());

  mcp::Json segments = mcp::Json::array();
  for (const storage::Segment& segment : outcome->segments) segments.push_back(segment_to_json(segment, true));

  std::string summary = "Retrieved " + count_of(outcome->segments.size(), "segment") + " (" +
                        with_commas(outcome->tokens) + " tokens) from " + project_phrase(*project) + ".";
  if (restore && !outcome->segments.empty()) {
    summary += *project == "*" ? std::string(" Restored to the working sets of their projects; the stash keeps its copy.")
                               : " Restored to the working set (now " + with_commas(outcome->active_tokens) +
                                     " tokens); the stash keeps its copy.";
  }
  if (!outcome->omitted.empty()) {
    summary += " Left out to stay within max_tokens " + with_commas(max_tokens) + ": " +
               quoted_list(outcome->omitted) + "; raise max_tokens or retrieve them separately.";
  }
  if (!outcome->not_found.empty()) {
    summary += " Not found: " + quoted_list(outcome->not_found) +
               "; check the ids with context_search_stashed.";
  }
  mcp::Json out = {{"project_id", *project},
                   {"segments", std::move(segments)},
                   {"tokens", outcome->tokens},
                   {"not_found", outcome->not_found},
                   {"omitted", outcome->omitted},
                   {"summary", std::move(summary)}};
  if (restore && *project != "*") out["active_tokens"] = outcome->active_tokens;
  return mcp::ToolResult::success(std::move(out));
}

}  // namespace tools
