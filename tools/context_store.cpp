// context_store: add or update segments in the active working set (DESIGN §6).
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {

mcp::ToolResult context_store(const ToolContext& ctx, const mcp::Json& args) {
  storage::Result<std::string> project = project_argument(args, ctx.default_project, ProjectUse::kWrite);
  if (!project.ok()) return error_result(project.status());
  auto drafts = parse_drafts(args, "segments");
  if (!drafts.ok()) return error_result(drafts.status());
  if (drafts->empty()) {
    return error_result(storage::Status::invalid_argument("segments: pass at least one segment with a 'text'"));
  }

  storage::Result<storage::StoreOutcome> outcome = ctx.store.store_segments(*project, std::move(drafts).value());
  if (!outcome.ok()) return error_result(outcome.status());

  mcp::Json stored = mcp::Json::array();
  int64_t tokens = 0;
  size_t replaced = 0;
  for (const storage::StoredSegment& s : outcome->stored) {
    stored.push_back({{"segment_id", s.segment_id}, {"tokens", s.tokens}, {"replaced", s.replaced}});
    tokens += s.tokens;
    replaced += s.replaced ? 1 : 0;
  }
  std::string summary = "Stored " + count_of(outcome->stored.size(), "segment") + " (" + with_commas(tokens) +
                        " tokens" + (replaced > 0 ? ", " + std::to_string(replaced) + " replaced" : "") +
                        ") in " + project_phrase(*project) + "; working set now " +
                        with_commas(outcome->active_tokens) +
                        " tokens. Stash with context_stash when your context grows.";
  return mcp::ToolResult::success({{"project_id", *project},
                                   {"stored", std::move(stored)},
                                   {"active_tokens", outcome->active_tokens},
                                   {"summary", std::move(summary)}});
}

}  // namespace tools
