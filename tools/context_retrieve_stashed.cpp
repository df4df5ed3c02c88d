// context_retrieve_stashed: full stashed segments by id, optionally restored to the working set
// (the stash keeps its copy), within an optional token budget (DESIGN §6).
#include <cstddef>

#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

// Moves segments past kMaxResponseTextBytes (always keeping the first) to the front of `omitted`;
// returns their ids.
std::vector<std::string> trim_to_response_budget(storage::RetrieveOutcome& outcome) {
  std::vector<std::string> left_out;
  size_t bytes = 0;
  size_t kept = 0;
  for (; kept < outcome.segments.size(); ++kept) {
    bytes += outcome.segments[kept].text.size();
    if (kept > 0 && bytes > kMaxResponseTextBytes) break;
  }
  for (size_t i = kept; i < outcome.segments.size(); ++i) {
    left_out.push_back(outcome.segments[i].segment_id);
    outcome.tokens -= outcome.segments[i].tokens;
  }
  outcome.segments.resize(kept);
  outcome.omitted.insert(outcome.omitted.begin(), left_out.begin(), left_out.end());
  return left_out;
}

}  // namespace

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

  storage::Result<storage::RetrieveOutcome> outcome = ctx.store.retrieve(*project, *ids, false, max_tokens);
  if (!outcome.ok()) return error_result(outcome.status());
  const std::vector<std::string> too_large = trim_to_response_budget(*outcome);
  if (restore) {
    // Restore exactly what is returned, so the working set mirrors what the agent received.
    std::vector<std::string> kept;
    for (const storage::Segment& segment : outcome->segments) kept.push_back(segment.segment_id);
    storage::Result<storage::RetrieveOutcome> restored = ctx.store.retrieve(*project, kept, true, 0);
    if (!restored.ok()) return error_result(restored.status());
    outcome->segments = std::move(restored->segments);
    outcome->active_tokens = restored->active_tokens;
  }

  mcp::Json segments = mcp::Json::array();
  for (const storage::Segment& segment : outcome->segments) segments.push_back(segment_to_json(segment, true));

  std::string summary = "Retrieved " + count_of(outcome->segments.size(), "segment") + " (" +
                        with_commas(outcome->tokens) + " tokens) from " + project_phrase(*project) + ".";
  if (restore && !outcome->segments.empty()) {
    summary += *project == "*" ? std::string(" Restored to the working sets of their projects; the stash keeps its copy.")
                               : " Restored to the working set (now " + with_commas(outcome->active_tokens) +
                                     " tokens); the stash keeps its copy.";
  }
  if (!too_large.empty()) {
    summary += " Left out to keep the response small: " + quoted_list(too_large) + "; retrieve them in another call.";
  }
  if (outcome->omitted.size() > too_large.size()) {
    summary += " Left out to stay within max_tokens " + with_commas(max_tokens) + ": " +
               quoted_list({outcome->omitted.begin() + static_cast<std::ptrdiff_t>(too_large.size()), outcome->omitted.end()}) +
               "; raise max_tokens or retrieve them separately.";
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
