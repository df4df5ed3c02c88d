// context_delete: delete segments from the working set, the stash, or both (DESIGN §6).
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {

mcp::ToolResult context_delete(const ToolContext& ctx, const mcp::Json& args) {
  storage::Result<std::string> project = project_argument(args, ctx.default_project, ProjectUse::kWrite);
  if (!project.ok()) return error_result(project.status());
  storage::Result<std::vector<std::string>> ids = id_list_argument(args, "segment_ids");
  if (!ids.ok()) return error_result(ids.status());
  if (ids->empty()) return error_result(storage::Status::invalid_argument("segment_ids: pass at least one id"));
  std::string tier_name = "all";
  if (args.contains("tier") && args["tier"].is_string()) tier_name = args["tier"].get<std::string>();
  std::optional<storage::Tier> tier;
  if (tier_name == "working") {
    tier = storage::Tier::kWorking;
  } else if (tier_name == "stashed") {
    tier = storage::Tier::kStashed;
  } else if (tier_name != "all") {
    return error_result(storage::Status::invalid_argument("tier: must be 'working', 'stashed' or 'all'"));
  }

  storage::Result<storage::DeleteOutcome> outcome = ctx.store.delete_segments(*project, *ids, tier);
  if (!outcome.ok()) return error_result(outcome.status());

  mcp::Json deleted = mcp::Json::array();
  std::vector<std::string> deleted_ids;
  for (const storage::DeleteOutcome::Deleted& d : outcome->deleted) {
    mcp::Json tiers = mcp::Json::array();
    for (storage::Tier t : d.tiers) tiers.push_back(std::string(storage::to_string(t)));
    deleted.push_back({{"segment_id", d.segment_id}, {"tiers", std::move(tiers)}});
    deleted_ids.push_back(d.segment_id);
  }
  const std::string where = tier_name == "all" ? std::string("working set and stash")
                                               : tier_name == "working" ? std::string("working set")
                                                                        : std::string("stash");
  std::string summary;
  if (deleted_ids.empty()) {
    summary = "Nothing deleted: no segment with these ids in the " + where + " of " + project_phrase(*project) +
              ". Check ids with context_search_stashed or context_get_working_set.";
  } else {
    summary = "Deleted " + count_of(deleted_ids.size(), "segment") + " (" + quoted_list(deleted_ids) +
              ") from the " + where + " of " + project_phrase(*project) + ".";
    if (!outcome->not_found.empty()) summary += " Not found: " + quoted_list(outcome->not_found) + ".";
  }
  return mcp::ToolResult::success({{"project_id", *project},
                                   {"deleted", std::move(deleted)},
                                   {"not_found", outcome->not_found},
                                   {"summary", std::move(summary)}});
}

}  // namespace tools
