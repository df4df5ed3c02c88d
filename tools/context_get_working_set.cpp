// context_get_working_set: the active segments of this server process (DESIGN §2 tiers, §6), a
// page at a time (limit, cursor: issue 10 #14).
#include "tools/arguments.h"
#include "tools/cursor.h"
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
  Page page;
};

// Working-set pages are longer than search's: the whole set is usually wanted.
constexpr size_t kDefaultWorkingSetLimit = 100;

struct ContextGetWorkingSetReply {
  std::string project;
  std::optional<std::string> task_id;
  bool include_text = false;
  std::vector<storage::Segment> segments;
  size_t offset = 0;
  size_t limit = kDefaultWorkingSetLimit;
  std::string fingerprint;
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
  Result<Page> page = decode_page(in);
  if (!page.ok()) return page.status();
  args.page = std::move(page).value();
  if (in.find("limit") == nullptr) args.page.limit = kDefaultWorkingSetLimit;
  return args;
}

Result<ContextGetWorkingSetReply> run(const ToolContext& ctx, const ContextGetWorkingSetArgs& args) {
  ContextGetWorkingSetReply reply;
  reply.project = project_or_default(ctx, args.project_id);
  reply.task_id = args.task_id;
  reply.include_text = args.include_text;
  reply.limit = args.page.limit;
  reply.fingerprint = fingerprint(mcp::dump_compact(
      mcp::Json{{"p", reply.project}, {"t", args.task_id ? mcp::Json(*args.task_id) : mcp::Json()}}));
  if (args.page.cursor) {
    Result<size_t> offset = decode_cursor(*args.page.cursor, reply.fingerprint);
    if (!offset.ok()) return offset.status();
    reply.offset = *offset;
  }
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
  size_t matching = 0;  // segments of the task (all of them without one), on every page
  size_t text_bytes = 0;
  size_t without_text = 0;  // segments whose text would push the response over budget
  for (const storage::Segment& segment : reply.segments) {
    active_tokens += segment.tokens;
    if (task && segment.task_id != task) continue;
    const size_t index = matching++;
    if (index < reply.offset || index >= reply.offset + reply.limit) continue;
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

  const size_t end = reply.offset + listed;
  mcp::Json next_cursor = end < matching ? mcp::Json(encode_cursor(end, reply.fingerprint)) : mcp::Json(nullptr);
  std::string summary;
  if (reply.segments.empty()) {
    summary = "The working set of " + project_phrase(reply.project) + " is empty. Add segments with context_store.";
  } else {
    summary = count_of(listed, "active segment") + (task ? " of task '" + *task + "'" : "") + " in " +
              project_phrase(reply.project) + " (" + with_commas(listed_tokens) + " tokens; working set " +
              with_commas(active_tokens) + "). Stash what you no longer need in context with context_stash.";
  }
  if (listed < matching) {
    summary += " Showing " + with_commas(static_cast<int64_t>(reply.offset + (listed > 0 ? 1 : 0))) + "-" +
               with_commas(static_cast<int64_t>(end)) + " of " + with_commas(static_cast<int64_t>(matching)) +
               (next_cursor.is_null() ? "." : "; more with cursor: next_cursor.");
  }
  if (without_text > 0) {
    summary += " Text left out of " + count_of(without_text, "segment") +
               " to keep the response small; narrow with task_id.";
  }
  return {{"project_id", reply.project},
          {"segments", std::move(segments)},
          {"total", matching},
          {"next_cursor", std::move(next_cursor)},
          {"active_tokens", active_tokens},
          {"summary", std::move(summary)}};
}

}  // namespace

ToolBinding context_get_working_set_tool() {
  return bind_tool<&decode, &run, &encode>("context_get_working_set");
}

}  // namespace tools
