// context_list_projects: every project with its counts, plus where the store lives (DESIGN §6).
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {

mcp::ToolResult context_list_projects(const ToolContext& ctx, const mcp::Json& args) {
  std::string only = "*";
  if (args.contains("project_id")) {
    storage::Result<std::string> project = project_argument(args, ctx.default_project, ProjectUse::kRead);
    if (!project.ok()) return error_result(project.status());
    only = *project;
  }
  storage::Result<std::vector<storage::ProjectInfo>> infos = ctx.store.list_projects();
  if (!infos.ok()) return error_result(infos.status());
  storage::Result<storage::StoreStats> stats = ctx.store.stats();
  if (!stats.ok()) return error_result(stats.status());

  mcp::Json projects = mcp::Json::array();
  for (const storage::ProjectInfo& p : *infos) {
    if (only != "*" && p.project_id != only) continue;
    projects.push_back({{"project_id", p.project_id},
                        {"active_count", p.active_count},
                        {"active_tokens", p.active_tokens},
                        {"stashed_count", p.stashed_count},
                        {"stashed_tokens", p.stashed_tokens},
                        {"last_updated", p.last_updated.empty() ? mcp::Json(nullptr) : mcp::Json(p.last_updated)}});
  }
  mcp::Json store = {{"path", stats->path},
                     {"snapshot_bytes", stats->snapshot_bytes},
                     {"journal_bytes", stats->journal_bytes},
                     {"stashed_segments", stats->stashed_segments},
                     {"stashed_tokens", stats->stashed_tokens}};
  std::string summary = count_of(projects.size(), "project") +
                        (only == "*" ? std::string() : " matching '" + only + "'") + "; default project '" +
                        ctx.default_project + "'. Store " + stats->path + " (" +
                        with_commas(static_cast<int64_t>(stats->snapshot_bytes + stats->journal_bytes)) +
                        " bytes). Search a project with context_search_stashed.";
  return mcp::ToolResult::success({{"projects", std::move(projects)},
                                   {"default_project", ctx.default_project},
                                   {"store", std::move(store)},
                                   {"summary", std::move(summary)}});
}

}  // namespace tools
