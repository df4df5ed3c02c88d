// context_list_projects: every project with its counts, plus where the store lives (DESIGN §6).
#include "storage/project_match.h"
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;

struct ContextListProjectsArgs {
  std::optional<std::string> project_id;  // absent: every project
};

struct ContextListProjectsReply {
  std::string only;  // a project id, or "*"
  std::string default_project;
  std::vector<storage::ProjectInfo> projects;
  storage::StoreStats stats;
};

Result<ContextListProjectsArgs> decode(const Fields& in) {
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kRead);
  if (!project.ok()) return project.status();
  return ContextListProjectsArgs{*project};
}

Result<ContextListProjectsReply> run(const ToolContext& ctx, const ContextListProjectsArgs& args) {
  ContextListProjectsReply reply{args.project_id.value_or("*"), ctx.default_project->get(), {}, {}};
  Result<std::vector<storage::ProjectInfo>> infos = ctx.store.list_projects();
  if (!infos.ok()) return infos.status();
  Result<storage::StoreStats> stats = ctx.store.stats();
  if (!stats.ok()) return stats.status();
  reply.projects = std::move(infos).value();
  reply.stats = std::move(stats).value();
  return reply;
}

mcp::Json encode(const ContextListProjectsReply& reply) {
  mcp::Json projects = mcp::Json::array();
  for (const storage::ProjectInfo& p : reply.projects) {
    if (reply.only != "*" && !storage::same_project_id(p.project_id, reply.only)) continue;  // ids match ignoring case
    mcp::Json project = {{"project_id", p.project_id},
                        {"active_count", p.active_count},
                        {"active_tokens", p.active_tokens},
                        {"stashed_count", p.stashed_count},
                        {"stashed_tokens", p.stashed_tokens},
                        {"last_updated", p.last_updated.empty() ? mcp::Json(nullptr) : mcp::Json(p.last_updated)}};
    // The directory the project belongs to (issue 8), when a server claimed it for one.
    if (!p.root_path.empty()) project["root_path"] = p.root_path;
    projects.push_back(std::move(project));
  }
  const storage::StoreStats& stats = reply.stats;
  mcp::Json store = {{"path", stats.path},
                     {"snapshot_bytes", stats.snapshot_bytes},
                     {"journal_bytes", stats.journal_bytes},
                     {"stashed_segments", stats.stashed_segments},
                     {"stashed_tokens", stats.stashed_tokens}};
  std::string summary = count_of(projects.size(), "project") +
                        (reply.only == "*" ? std::string() : " matching '" + reply.only + "'") +
                        "; default project '" + reply.default_project + "'. Store " + stats.path + " (" +
                        with_commas(static_cast<int64_t>(stats.snapshot_bytes + stats.journal_bytes)) +
                        " bytes). Search a project with context_search_stashed.";
  return {{"projects", std::move(projects)},
          {"default_project", reply.default_project},
          {"store", std::move(store)},
          {"summary", std::move(summary)}};
}

}  // namespace

ToolBinding context_list_projects_tool() { return bind_tool<&decode, &run, &encode>("context_list_projects"); }

}  // namespace tools
