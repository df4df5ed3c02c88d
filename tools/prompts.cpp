// The prompts of StoreFeatures (tools/features.h): `resume` (the session primer as a user
// message) and `checkpoint` (what to store and stash before the window is compacted).
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/segment.h"
#include "tools/features.h"
#include "tools/primer.h"
#include "tools/result_json.h"

namespace tools {
namespace {

using mcp::FeatureError;
using mcp::FeatureResult;
using Reply = FeatureResult<mcp::PromptReply>;

// The checkpoint lists at most this many working-set segments (the rest are counted).
constexpr size_t kCheckpointListed = 50;

std::optional<std::string> arg(const std::map<std::string, std::string>& args, const char* name) {
  const auto it = args.find(name);
  if (it == args.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// project_id argument (validated) or the default project.
std::optional<std::string> project_arg(const ToolContext& ctx,
                                       const std::map<std::string, std::string>& args,
                                       std::string& error) {
  std::optional<std::string> project = arg(args, "project_id");
  if (!project) return ctx.default_project->get();
  if (storage::Status s = storage::validate_project_id(*project); !s.ok()) {
    error = "Invalid params: " + s.message();
    return std::nullopt;
  }
  return project;
}

std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "\"" : ", \"") + id + "\"";
  return "[" + out + "]";
}

Reply resume(const ToolContext& ctx, const std::map<std::string, std::string>& args) {
  std::string error;
  const std::optional<std::string> project = project_arg(ctx, args, error);
  if (!project) return Reply::fail(FeatureError::Kind::kInvalidParams, error);
  int64_t max_tokens = kDefaultPrimerTokens;
  if (const std::optional<std::string> text = arg(args, "max_tokens")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), max_tokens);
    if (ec != std::errc() || end != text->data() + text->size() || max_tokens < kMinPrimerTokens ||
        max_tokens > kMaxPrimerTokens) {
      return Reply::fail(FeatureError::Kind::kInvalidParams,
                         "Invalid params: max_tokens must be a whole number " +
                             std::to_string(kMinPrimerTokens) + ".." +
                             std::to_string(kMaxPrimerTokens) + ", got '" + *text + "'");
    }
  }
  storage::Result<Primer> primer = build_primer(ctx.store, *project, max_tokens);
  if (!primer.ok()) return Reply::fail(FeatureError::Kind::kInternal, primer.status().message());
  std::string text = primer->markdown;
  if (!text.empty() && text.back() != '\n') text += "\n";
  text += primer->retrieve_ids.empty()
              ? "\nContinue from here; find anything else with context_search_stashed (project_id \"" +
                    *project + "\")."
              : "\nBefore you continue, call context_retrieve_stashed with the ids above that you "
                "need (project_id \"" + *project + "\", segment_ids " +
                    id_list(primer->retrieve_ids) + "); find anything else with "
                    "context_search_stashed.";
  mcp::PromptReply reply;
  reply.description = "Resume project '" + *project + "' where the last session stopped";
  reply.messages.push_back({"user", std::move(text)});
  return Reply::ok(std::move(reply));
}

Reply checkpoint(const ToolContext& ctx, const std::map<std::string, std::string>& args) {
  std::string error;
  const std::optional<std::string> project = project_arg(ctx, args, error);
  if (!project) return Reply::fail(FeatureError::Kind::kInvalidParams, error);
  storage::Result<std::vector<storage::Segment>> working = ctx.store.load_segments(*project);
  if (!working.ok()) return Reply::fail(FeatureError::Kind::kInternal, working.status().message());
  std::vector<storage::Segment>& segments = *working;
  // Most recently touched first: the current task is the one of the newest working segment.
  std::stable_sort(segments.begin(), segments.end(), [](const auto& a, const auto& b) {
    return a.last_touched_at > b.last_touched_at;
  });
  std::optional<std::string> task = arg(args, "task_id");
  if (!task) {
    for (const storage::Segment& s : segments) {
      if (s.task_id) {
        task = s.task_id;
        break;
      }
    }
  }
  int64_t tokens = 0;
  std::vector<std::string> ids;
  for (const storage::Segment& s : segments) {
    tokens += s.tokens;
    if (ids.size() < kCheckpointListed) ids.push_back(s.segment_id);
  }
  const std::string task_json = task ? ", task_id \"" + *task + "\"" : "";
  std::string text = "Checkpoint of project '" + *project +
                     "' before your context window is compacted: what is not stored now is lost.\n\n";
  if (segments.empty()) {
    text += "Working set: empty (nothing stored in this session yet).\n";
  } else {
    text += "Working set: " + std::to_string(segments.size()) + " segment" +
            (segments.size() == 1 ? "" : "s") + ", " + with_commas(tokens) +
            " tokens, not stashed yet:\n";
    for (size_t i = 0; i < segments.size() && i < kCheckpointListed; ++i) {
      const storage::Segment& s = segments[i];
      text += "- `" + s.segment_id + "` · " + std::string(storage::to_string(s.type));
      if (s.task_id) text += " · " + *s.task_id;
      text += " · " + with_commas(s.tokens) + " tokens — " + primer_title(s.text) + "\n";
    }
    if (segments.size() > kCheckpointListed) {
      text += "- ... and " + std::to_string(segments.size() - kCheckpointListed) +
              " more (context_get_working_set lists them)\n";
    }
  }
  text += "\nDo this now, in order:\n";
  text += "1. context_store what you will need later and have not stored yet: decisions and why, "
          "file contents you read, command output, notes (project_id \"" + *project + "\"" +
          task_json + ").\n";
  text += "2. context_store one segment of type \"summary\"" +
          (task ? " for task \"" + *task + "\"" : std::string()) +
          ": what was done, the decisions taken, open questions and the next steps.\n";
  text += ids.empty()
              ? "3. context_stash what you stored in steps 1 and 2 (segment_ids: the ids they "
                "returned).\n"
              : "3. context_stash everything you no longer need verbatim, at least segment_ids " +
                    id_list(ids) +
                    " plus the ids of steps 1 and 2.\n";
  text += "After the compaction, the resume prompt (or context_primer) brings the essentials back.";
  mcp::PromptReply reply;
  reply.description = "Stash what matters from project '" + *project + "' before compaction";
  reply.messages.push_back({"user", std::move(text)});
  return Reply::ok(std::move(reply));
}

}  // namespace

std::vector<mcp::Prompt> StoreFeatures::prompts() const {
  return {
      {"checkpoint", "Checkpoint before compaction",
       "Tells the agent exactly what to store and stash before its context window is compacted.",
       {{"project_id", "Project (default: the server's default project)", false},
        {"task_id", "Task to summarize (default: the task of the newest working segment)", false}}},
      {"resume", "Resume the last session",
       "The session primer: pinned segments, the last session's unstashed ones, the current task, "
       "decisions and summaries, and the ids to retrieve.",
       {{"project_id", "Project (default: the server's default project)", false},
        {"max_tokens", "Token budget of the primer, 100..20000 (default 2000)", false}}},
  };
}

Reply StoreFeatures::get_prompt(const std::string& name,
                                const std::map<std::string, std::string>& args) {
  if (name == "resume") return resume(ctx_, args);
  if (name == "checkpoint") return checkpoint(ctx_, args);
  return Reply::fail(FeatureError::Kind::kInvalidParams, "Unknown prompt: '" + name + "'");
}

}  // namespace tools
