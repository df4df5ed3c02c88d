// context_store: add or update segments in the active working set (DESIGN §6).
#include "tools/arguments.h"
#include "tools/budget.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

struct ContextStoreArgs {
  std::optional<std::string> project_id;
  std::vector<storage::SegmentDraft> segments;  // at least one
};

struct ContextStoreReply {
  std::string project;
  storage::StoreOutcome outcome;
  Budget budget;
};

Result<ContextStoreArgs> decode(const Fields& in) {
  ContextStoreArgs args;
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kWrite);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  Result<std::vector<storage::SegmentDraft>> drafts = decode_drafts(in);
  if (!drafts.ok()) return drafts.status();
  if (drafts->empty()) return Status::invalid_argument("segments: pass at least one segment with a 'text'");
  args.segments = std::move(drafts).value();
  return args;
}

Result<ContextStoreReply> run(const ToolContext& ctx, ContextStoreArgs args) {
  ContextStoreReply reply{project_or_default(ctx, args.project_id), {}, {}};
  Result<storage::StoreOutcome> outcome = ctx.store.store_segments(reply.project, std::move(args.segments));
  if (!outcome.ok()) return outcome.status();
  reply.outcome = std::move(outcome).value();
  Result<Budget> budget = measure_budget(ctx);
  if (!budget.ok()) return budget.status();
  reply.budget = std::move(budget).value();
  return reply;
}

mcp::Json encode(const ContextStoreReply& reply) {
  mcp::Json stored = mcp::Json::array();
  int64_t tokens = 0;
  size_t replaced = 0;
  for (const storage::StoredSegment& s : reply.outcome.stored) {
    mcp::Json item = {{"segment_id", s.segment_id}, {"tokens", s.tokens}, {"revision", s.revision}};
    if (s.replaced) item["replaced"] = true;
    if (!s.duplicates.empty()) item["duplicates"] = duplicates_to_json(s.duplicates);
    stored.push_back(std::move(item));
    tokens += s.tokens;
    replaced += s.replaced ? 1 : 0;
  }
  std::string summary = "Stored " + count_of(reply.outcome.stored.size(), "segment") + " (" + with_commas(tokens) +
                        " tokens" + (replaced > 0 ? ", " + std::to_string(replaced) + " replaced" : "") +
                        ") in " + project_phrase(reply.project) + "; working set now " +
                        with_commas(reply.outcome.active_tokens) +
                        " tokens. Stash with context_stash when your context grows." +
                        duplicates_sentence(reply.outcome.stored);
  mcp::Json out = {{"project_id", reply.project},
                   {"stored", std::move(stored)},
                   {"active_tokens", reply.outcome.active_tokens},
                   {"summary", std::move(summary)}};
  add_budget(reply.budget, out);
  return out;
}

}  // namespace

ToolBinding context_store_tool() { return bind_tool<&decode, &run, &encode>("context_store"); }

}  // namespace tools
