// context_delete: delete segments from the working set (the default), the stash, or both (DESIGN
// §6, §9). Pinned segments need force (issue 11 #1); without a tier the stash is never touched and
// the reply names the stashed copies it kept (#2).
#include <algorithm>

#include "tools/arguments.h"
#include "tools/budget.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

struct ContextDeleteArgs {
  std::optional<std::string> project_id;
  std::vector<std::string> segment_ids;
  std::string tier_name = "working";   // working | stashed | all
  std::optional<storage::Tier> tier = storage::Tier::kWorking;  // nullopt: both
  bool force = false;                  // delete pinned segments too
};

struct ContextDeleteReply {
  std::string project;
  std::string tier_name;
  storage::DeleteOutcome outcome;
  Budget budget;
};

Result<ContextDeleteArgs> decode(const Fields& in) {
  ContextDeleteArgs args;
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kWrite);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  Result<std::vector<std::string>> ids = decode_ids(in, "segment_ids");
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return Status::invalid_argument("segment_ids: pass at least one id");
  args.segment_ids = std::move(ids).value();
  std::optional<std::string> tier;
  if (Status s = in.read_string("tier", tier); !s.ok()) return s;
  args.tier_name = tier.value_or("working");
  if (args.tier_name == "working") {
    args.tier = storage::Tier::kWorking;
  } else if (args.tier_name == "stashed") {
    args.tier = storage::Tier::kStashed;
  } else if (args.tier_name == "all") {
    args.tier = std::nullopt;
  } else {
    return Status::invalid_argument("tier: must be 'working', 'stashed' or 'all'");
  }
  std::optional<bool> force;
  if (Status s = in.read_bool("force", force); !s.ok()) return s;
  args.force = force.value_or(false);
  return args;
}

Result<ContextDeleteReply> run(const ToolContext& ctx, const ContextDeleteArgs& args) {
  ContextDeleteReply reply{project_or_default(ctx, args.project_id), args.tier_name, {}, {}};
  Result<storage::DeleteOutcome> outcome = ctx.store.delete_segments(reply.project, args.segment_ids, args.tier, args.force);
  if (!outcome.ok()) return outcome.status();
  reply.outcome = std::move(outcome).value();
  Result<Budget> budget = measure_budget(ctx);
  if (!budget.ok()) return budget.status();
  reply.budget = std::move(budget).value();
  return reply;
}

mcp::Json encode(const ContextDeleteReply& reply) {
  mcp::Json deleted = mcp::Json::array();
  std::vector<std::string> deleted_ids;
  for (const storage::DeleteOutcome::Deleted& d : reply.outcome.deleted) {
    mcp::Json tiers = mcp::Json::array();
    for (storage::Tier t : d.tiers) tiers.push_back(std::string(storage::to_string(t)));
    deleted.push_back({{"segment_id", d.segment_id}, {"tiers", std::move(tiers)}});
    deleted_ids.push_back(d.segment_id);
  }
  const std::string where = reply.tier_name == "all"       ? std::string("working set and stash")
                            : reply.tier_name == "working" ? std::string("working set")
                                                           : std::string("stash");
  std::string summary;
  if (deleted_ids.empty()) {
    summary = "Nothing deleted: no segment with these ids in the " + where + " of " + project_phrase(reply.project) +
              ". Check ids with context_search_stashed or context_get_working_set.";
  } else {
    summary = "Deleted " + count_of(deleted_ids.size(), "segment") + " (" + quoted_list(deleted_ids) +
              ") from the " + where + " of " + project_phrase(reply.project) + ".";
    if (!reply.outcome.not_found.empty()) summary += " Not found: " + quoted_list(reply.outcome.not_found) + ".";
  }
  // Stashed copies this call left alone: of segments it deleted from the working set, and of ids
  // that are only in the stash (not found in the working set).
  const std::vector<std::string>& kept = reply.outcome.kept_stashed;
  std::vector<std::string> copies, only_stashed;
  for (const std::string& id : kept) {
    const bool removed = std::find(deleted_ids.begin(), deleted_ids.end(), id) != deleted_ids.end();
    (removed ? copies : only_stashed).push_back(id);
  }
  if (!copies.empty()) {
    summary += " Kept the stashed " + std::string(copies.size() == 1 ? "copy" : "copies") + " of " +
               quoted_list(copies) + "; to delete " + (copies.size() == 1 ? "it" : "them") +
               " too, call again with tier: 'stashed'.";
  }
  if (!only_stashed.empty()) {
    summary += " Only in the stash, kept: " + quoted_list(only_stashed) + "; to delete " +
               (only_stashed.size() == 1 ? "it" : "them") + ", call again with tier: 'stashed'.";
  }
  mcp::Json out = {{"project_id", reply.project}, {"deleted", std::move(deleted)}, {"summary", std::move(summary)}};
  if (!reply.outcome.not_found.empty()) out["not_found"] = reply.outcome.not_found;
  if (!kept.empty()) out["kept_stashed"] = kept;
  add_budget(reply.budget, out);
  return out;
}

}  // namespace

ToolBinding context_delete_tool() { return bind_tool<&decode, &run, &encode>("context_delete"); }

}  // namespace tools
