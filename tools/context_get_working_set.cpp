// context_get_working_set: the active segments of this server process (DESIGN §2 tiers, §6).
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

struct ContextGetWorkingSetArgs {
  std::optional<std::string> project_id;  // "*" allowed
  std::optional<std::string> task_id;
  bool include_text = false;
};

struct ContextGetWorkingSetReply {
  std::string project;
  std::optional<std::string> task_id;
  bool include_text = false;
  std::vector<storage::Segment> segments;
};

Result<ContextGetWorkingSetArgs> decode(const Fields& in) {
  ContextGetWorkingSetArgs args;
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kRead);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  if (Status s = in.read_string("task_id", args.task_id); !s.ok()) return s;
  std::optional<bool> include_text;
  if (Status s = in.read_bool("include_text", include_text); !s.ok()) return s;
  args.include_text = include_text.value_or(false);
  return args;
}

Result<ContextGetWorkingSetReply> run(const ToolContext& ctx, const ContextGetWorkingSetArgs& args) {
  ContextGetWorkingSetReply reply{project_or_default(ctx, args.project_id), args.task_id, args.include_text, {}};
  Result<std::vector<storage::Segment>> loaded = ctx.store.load_segments(reply.project);
  if (!loaded.ok()) return loaded.status();
  reply.segments = std::move(loaded).value();
  return reply;
}

mcp::Json encode(const ContextGetWorkingSetReply& reply) {
  const std::optional<std::string>& task = reply.task_id;
  mcp::Json segments = mcp::Json::array();
  int64_t active_tokens = 0;
  int64_t listed_tokens = 0;
  size_t listed = 0;
  size_t text_bytes = 0;
  size_t without_text = 0;  // segments whose text would push the response over budget
  for (const storage::Segment& segment : reply.segments) {
    active_tokens += segment.tokens;
    if (task && segment.task_id != task) continue;
    bool with_text = reply.include_text;
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
  if (reply.segments.empty()) {
    summary = "The working set of " + project_phrase(reply.project) + " is empty. Add segments with context_store.";
  } else {
    summary = count_of(listed, "active segment") + (task ? " of task '" + *task + "'" : "") + " in " +
              project_phrase(reply.project) + " (" + with_commas(listed_tokens) + " tokens; working set " +
              with_commas(active_tokens) + "). Stash what you no longer need in context with context_stash.";
  }
  if (without_text > 0) {
    summary += " Text left out of " + count_of(without_text, "segment") +
               " to keep the response small; narrow with task_id.";
  }
  return {{"project_id", reply.project},
          {"segments", std::move(segments)},
          {"active_tokens", active_tokens},
          {"summary", std::move(summary)}};
}

}  // namespace

ToolBinding context_get_working_set_tool() {
  return bind_tool<&decode, &run, &encode>("context_get_working_set");
}

}  // namespace tools
