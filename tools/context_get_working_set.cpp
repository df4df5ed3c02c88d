// context_get_working_set: the active segments of this server process (DESIGN §2 tiers, §6).
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {

mcp::ToolResult context_get_working_set(const ToolContext& ctx, const mcp::Json& args) {
  storage::Result<std::string> project = project_argument(args, ctx.default_project, ProjectUse::kRead);
  if (!project.ok()) return error_result(project.status());
  std::optional<std::string> task;
  if (args.contains("task_id") && args["task_id"].is_string()) task = args["task_id"].get<std::string>();
  const bool include_text = bool_argument(args, "include_text", false);

  storage::Result<std::vector<storage::Segment>> loaded = ctx.store.load_segments(*project);
  if (!loaded.ok()) return error_result(loaded.status());

  mcp::Json segments = mcp::Json::array();
  int64_t active_tokens = 0;
  int64_t listed_tokens = 0;
  size_t listed = 0;
  size_t text_bytes = 0;
  size_t without_text = 0;  // segments whose text would push the response over budget
  for (const storage::Segment& segment : *loaded) {
    active_tokens += segment.tokens;
    if (task && segment.task_id != task) continue;
    bool with_text = include_text;
    if (with_text && listed > 0 && text_bytes + segment.text.size() > kMaxResponseTextBytes) {
      with_text = false;
      ++without_text;
    }
    if (with_text) text_bytes += segment.text.size();
    segments.push_back(segment_to_json(segment, with_text));
    listed_tokens += segment.tokens;
    ++listed;
  }

  std::string summary;
  if (loaded->empty()) {
    summary = "The working set of " + project_phrase(*project) + " is empty. Add segments with context_store.";
  } else {
    summary = count_of(listed, "active segment") + (task ? " of task '" + *task + "'" : "") + " in " +
              project_phrase(*project) + " (" + with_commas(listed_tokens) + " tokens; working set " +
              with_commas(active_tokens) + "). Stash what you no longer need in context with context_stash.";
  }
  if (without_text > 0) {
    summary += " Text left out of " + count_of(without_text, "segment") +
               " to keep the response small; narrow with task_id.";
  }
  return mcp::ToolResult::success({{"project_id", *project},
                                   {"segments", std::move(segments)},
                                   {"active_tokens", active_tokens},
                                   {"summary", std::move(summary)}});
}

}  // namespace tools
