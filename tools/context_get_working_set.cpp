// context_get_working_set: the active segments of this server process (DESIGN §2 tiers, §6), a
// page at a time (limit, cursor: issue 10 #14), how full the window is, and with free_tokens the
// dry-run analysis of what to stash or delete (issue 11 #6, #7; tools/budget.h).
#include "storage/time_format.h"
#include "tools/arguments.h"
#include "tools/budget.h"
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
  bool verbose = false;
  std::optional<int64_t> free_tokens;  // the drop analysis
  Page page;
};

// Working-set pages are longer than search's: the whole set is usually wanted.
constexpr size_t kDefaultWorkingSetLimit = 100;

struct ContextGetWorkingSetReply {
  std::string project;
  std::optional<std::string> task_id;
  bool include_text = false;
  bool verbose = false;
  Budget budget;
  std::optional<DropPlan> drop;
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
  std::optional<bool> verbose;
  if (Status s = in.read_bool("verbose", verbose); !s.ok()) return s;
  args.verbose = verbose.value_or(false);
  if (Status s = in.read_int("free_tokens", 0, args.free_tokens); !s.ok()) return s;
  Result<Page> page = decode_page(in);
  if (!page.ok()) return page.status();
  args.page = std::move(page).value();
  if (in.find("limit") == nullptr) args.page.limit = kDefaultWorkingSetLimit;
  return args;
}

// The drop analysis over `working` and the stash of `project`: stashed logs and messages older
// than a day, and superseded segments, are delete candidates; segments tagged ref:<id> for any
// candidate count as references.
Result<DropPlan> analyze_drop(const ToolContext& ctx, const std::string& project,
                              const std::vector<storage::Segment>& working, int64_t free_tokens) {
  const int64_t now = ctx.store.clock().now_ms();
  storage::SearchRequest old;
  old.project_id = project;
  old.filters.types = {storage::SegmentType::kLog, storage::SegmentType::kMessage};
  old.filters.created_before = storage::format_rfc3339_ms(now - 86'400'000);
  old.filters.pinned = false;
  old.limit = 50;
  Result<storage::SearchPage> found = ctx.store.search_stashed(old);
  if (!found.ok()) return found.status();
  std::vector<storage::Segment> stashed;
  for (storage::SearchHit& hit : found->hits) stashed.push_back(std::move(hit.segment));
  storage::SearchRequest superseded;  // replaced by a newer segment: the first to delete
  superseded.project_id = project;
  superseded.include_superseded = true;
  superseded.filters.superseded = true;
  superseded.filters.pinned = false;
  superseded.limit = 50;
  Result<storage::SearchPage> replaced = ctx.store.search_stashed(superseded);
  if (!replaced.ok()) return replaced.status();
  for (storage::SearchHit& hit : replaced->hits) stashed.push_back(std::move(hit.segment));
  std::vector<storage::Segment> referencing = working;
  storage::SearchRequest refs;
  refs.project_id = project;
  for (const storage::Segment& s : working) refs.filters.tags_any.push_back("ref:" + s.segment_id);
  for (const storage::Segment& s : stashed) refs.filters.tags_any.push_back("ref:" + s.segment_id);
  refs.limit = 100;
  if (!refs.filters.tags_any.empty()) {
    Result<storage::SearchPage> referrers = ctx.store.search_stashed(refs);
    if (!referrers.ok()) return referrers.status();
    for (storage::SearchHit& hit : referrers->hits) referencing.push_back(std::move(hit.segment));
  }
  return plan_drop(working, stashed, referencing, free_tokens, now);
}

Result<ContextGetWorkingSetReply> run(const ToolContext& ctx, const ContextGetWorkingSetArgs& args) {
  ContextGetWorkingSetReply reply;
  reply.project = project_or_default(ctx, args.project_id);
  reply.task_id = args.task_id;
  reply.include_text = args.include_text;
  reply.verbose = args.verbose;
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
  Result<Budget> budget = measure_budget(ctx);
  if (!budget.ok()) return budget.status();
  reply.budget = std::move(budget).value();
  if (args.free_tokens) {
    Result<DropPlan> drop = analyze_drop(ctx, reply.project, reply.segments, *args.free_tokens);
    if (!drop.ok()) return drop.status();
    reply.drop = std::move(drop).value();
  }
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
    segments.push_back(segment_to_json(
        segment, {.with_text = with_text, .verbose = reply.verbose, .with_project = reply.project == "*"}));
    listed_tokens += segment.tokens;
    ++listed;
  }

  const size_t end = reply.offset + listed;
  const bool more = end < matching;
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
               (more ? "; more with cursor: next_cursor." : ".");
  }
  if (without_text > 0) {
    summary += " Text left out of " + count_of(without_text, "segment") +
               " to keep the response small; narrow with task_id.";
  }
  mcp::Json out = {{"project_id", reply.project},
                   {"segments", std::move(segments)},
                   {"total", matching},
                   {"active_tokens", active_tokens},
                   {"summary", std::move(summary)}};
  if (more) out["next_cursor"] = encode_cursor(end, reply.fingerprint);
  add_budget(reply.budget, out);
  if (reply.drop) {
    std::vector<std::string> stash, remove;
    for (const DropCandidate& c : reply.drop->candidates) (c.action == "stash" ? stash : remove).push_back(c.segment_id);
    std::string next = " Drop analysis (dry run, nothing changed): ";
    if (stash.empty() && remove.empty()) {
      next += "no candidates (pinned segments are never proposed).";
    } else {
      if (!stash.empty()) {
        next += "context_stash(segment_ids) of " + quoted_list(stash) + " frees " + with_commas(reply.drop->freed) +
                " of the " + with_commas(reply.drop->target) + " tokens asked";
      }
      if (!remove.empty()) {
        next += std::string(stash.empty() ? "" : "; ") + "context_delete(segment_ids, tier: 'stashed') of " +
                quoted_list(remove) + " removes stale stashed copies";
      }
      next += ". Reasons in drop_plan.";
    }
    out["summary"] = out["summary"].get<std::string>() + next;
    out["drop_plan"] = drop_plan_to_json(*reply.drop);
  }
  return out;
}

}  // namespace

ToolBinding context_get_working_set_tool() {
  return bind_tool<&decode, &run, &encode>("context_get_working_set");
}

}  // namespace tools
