// context_retrieve_stashed: full stashed segments by id, optionally restored to the working set
// (the stash keeps its copy), within an optional token budget (DESIGN §6).
#include <cstddef>

#include "tools/arguments.h"
#include "tools/budget.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

struct ContextRetrieveStashedArgs {
  bool restore = false;
  std::optional<std::string> project_id;  // "*": restore copies into each segment's own project
  std::vector<std::string> segment_ids;
  int64_t max_tokens = 0;                 // 0: no budget
  bool verbose = false;
};

struct ContextRetrieveStashedReply {
  std::string project;
  bool restore = false;
  int64_t max_tokens = 0;
  bool verbose = false;
  storage::RetrieveOutcome outcome;
  std::vector<std::string> too_large;  // left out by kMaxResponseTextBytes (first in outcome.omitted)
  Budget budget;  // after a restore
};

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

Result<ContextRetrieveStashedArgs> decode(const Fields& in) {
  ContextRetrieveStashedArgs args;
  std::optional<bool> restore;
  if (Status s = in.read_bool("restore", restore); !s.ok()) return s;
  args.restore = restore.value_or(false);
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kRead);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  Result<std::vector<std::string>> ids = decode_ids(in, "segment_ids");
  if (!ids.ok()) return ids.status();
  if (ids->empty()) {
    return Status::invalid_argument("segment_ids: pass at least one id (find ids with context_search_stashed)");
  }
  args.segment_ids = std::move(ids).value();
  std::optional<int64_t> max_tokens;
  if (Status s = in.read_int("max_tokens", 1, max_tokens); !s.ok()) return s;
  args.max_tokens = max_tokens.value_or(0);
  std::optional<bool> verbose;
  if (Status s = in.read_bool("verbose", verbose); !s.ok()) return s;
  args.verbose = verbose.value_or(false);
  return args;
}

Result<ContextRetrieveStashedReply> run(const ToolContext& ctx, const ContextRetrieveStashedArgs& args) {
  ContextRetrieveStashedReply reply{project_or_default(ctx, args.project_id), args.restore, args.max_tokens, args.verbose, {}, {}, {}};
  Result<storage::RetrieveOutcome> outcome = ctx.store.retrieve(reply.project, args.segment_ids, false, args.max_tokens);
  if (!outcome.ok()) return outcome.status();
  reply.outcome = std::move(outcome).value();
  reply.too_large = trim_to_response_budget(reply.outcome);
  if (args.restore) {
    // Restore exactly what is returned, so the working set mirrors what the agent received.
    std::vector<std::string> kept;
    for (const storage::Segment& segment : reply.outcome.segments) kept.push_back(segment.segment_id);
    Result<storage::RetrieveOutcome> restored = ctx.store.retrieve(reply.project, kept, true, 0);
    if (!restored.ok()) return restored.status();
    reply.outcome.segments = std::move(restored->segments);
    reply.outcome.active_tokens = restored->active_tokens;
    Result<Budget> budget = measure_budget(ctx);
    if (!budget.ok()) return budget.status();
    reply.budget = std::move(budget).value();
  }
  return reply;
}

mcp::Json encode(const ContextRetrieveStashedReply& reply) {
  const storage::RetrieveOutcome& outcome = reply.outcome;
  const std::string& project = reply.project;
  mcp::Json segments = mcp::Json::array();
  for (const storage::Segment& segment : outcome.segments) segments.push_back(segment_to_json(segment, {.with_text = true, .verbose = reply.verbose, .with_project = project == "*"}));

  std::string summary = "Retrieved " + count_of(outcome.segments.size(), "segment") + " (" +
                        with_commas(outcome.tokens) + " tokens) from " + project_phrase(project) + ".";
  if (reply.restore && !outcome.segments.empty()) {
    summary += project == "*" ? std::string(" Restored to the working sets of their projects; the stash keeps its copy.")
                              : " Restored to the working set (now " + with_commas(outcome.active_tokens) +
                                    " tokens); the stash keeps its copy.";
  }
  if (!reply.too_large.empty()) {
    summary += " Left out to keep the response small: " + quoted_list(reply.too_large) +
               "; retrieve them in another call.";
  }
  if (outcome.omitted.size() > reply.too_large.size()) {
    const auto budget_omitted = outcome.omitted.begin() + static_cast<std::ptrdiff_t>(reply.too_large.size());
    summary += " Left out to stay within max_tokens " + with_commas(reply.max_tokens) + ": " +
               quoted_list({budget_omitted, outcome.omitted.end()}) + "; raise max_tokens or retrieve them separately.";
  }
  if (!outcome.not_found.empty()) {
    summary += " Not found: " + quoted_list(outcome.not_found) + "; check the ids with context_search_stashed.";
  }
  mcp::Json out = {{"project_id", project},
                   {"segments", std::move(segments)},
                   {"tokens", outcome.tokens},
                   {"summary", std::move(summary)}};
  if (!outcome.not_found.empty() || reply.verbose) out["not_found"] = outcome.not_found;
  if (!outcome.omitted.empty() || reply.verbose) out["omitted"] = outcome.omitted;
  if (reply.restore && project != "*") out["active_tokens"] = outcome.active_tokens;
  if (reply.restore) add_budget(reply.budget, out);
  return out;
}

}  // namespace

ToolBinding context_retrieve_stashed_tool() {
  return bind_tool<&decode, &run, &encode>("context_retrieve_stashed");
}

}  // namespace tools
