// context_stash: move working-set segments to durable storage (DESIGN §6). Segments are chosen by
// id, by query/filters over the working set, and/or given inline (store + stash in one batch).
#include <algorithm>
#include <cctype>
#include <set>

#include "tools/arguments.h"
#include "tools/budget.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The working-set query: every whitespace-separated word occurs (ASCII case-insensitive) in the
// text, id, file path or tags.
bool matches_words(const storage::Segment& segment, const std::vector<std::string>& words) {
  std::string haystack = lower(segment.text) + "\n" + lower(segment.segment_id) + "\n" +
                         lower(segment.file_path.value_or(""));
  for (const std::string& tag : segment.tags) haystack += "\n" + lower(tag);
  return std::all_of(words.begin(), words.end(),
                     [&](const std::string& w) { return haystack.find(w) != std::string::npos; });
}

std::vector<std::string> split_words(const std::string& query) {
  std::vector<std::string> words;
  std::string word;
  for (char c : lower(query) + " ") {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

struct ContextStashArgs {
  std::optional<std::string> project_id;
  std::vector<std::string> segment_ids;
  std::vector<storage::SegmentDraft> segments;  // inline: stored and stashed in one batch
  std::optional<std::string> query;             // over the working set
  std::optional<storage::SearchFilters> filters;  // over the working set
  bool dry_run = false;
};

struct ContextStashReply {
  std::string project;
  bool dry_run = false;
  storage::StashOutcome outcome;
  std::vector<std::string> pinned_kept;  // matched the query/filters but pinned: not stashed
  Budget budget;
};

// Appends the ids of working-set segments selected by query/filters to `ids` (no duplicates).
// Pinned segments are never selected (issue 11 #1): they go to `pinned_kept`; superseded ones
// never either (#3): explicit ids only.
Status select_from_working_set(const ToolContext& ctx, const std::string& project, const ContextStashArgs& args,
                               std::vector<std::string>& ids, std::vector<std::string>& pinned_kept) {
  const std::string query = args.query.value_or("");
  if (query.empty() && !args.filters) return Status::ok_status();
  const storage::SearchFilters filters = args.filters.value_or(storage::SearchFilters{});
  Result<std::vector<storage::Segment>> segments = ctx.store.load_segments(project);
  if (!segments.ok()) return segments.status();
  const std::vector<std::string> words = split_words(query);
  std::set<std::string> seen(ids.begin(), ids.end());
  for (const storage::Segment& segment : *segments) {
    if (segment.superseded_by) continue;  // selected by explicit id only (issue 11 #3)
    if (!filters.accepts(segment) || !matches_words(segment, words) || seen.count(segment.segment_id) > 0) continue;
    if (segment.pinned) {
      pinned_kept.push_back(segment.segment_id);
      continue;
    }
    seen.insert(segment.segment_id);
    ids.push_back(segment.segment_id);
  }
  return Status::ok_status();
}

std::string summary_of(const storage::StashOutcome& outcome, bool dry_run) {
  std::string summary;
  if (outcome.stashed.empty()) {
    summary = "Nothing stashed: no matching segment in the working set.";
  } else if (dry_run) {
    summary = "Dry run: would stash " + count_of(outcome.stashed.size(), "segment") + " (" +
              with_commas(outcome.tokens_freed) + " tokens freed); nothing changed. Call again without "
              "dry_run to stash.";
  } else {
    summary = "Stashed " + count_of(outcome.stashed.size(), "segment") + " (" + with_commas(outcome.tokens_freed) +
              " tokens freed). Find " + (outcome.stashed.size() == 1 ? "it" : "them") +
              " later with context_search_stashed.";
  }
  if (!outcome.not_found.empty()) {
    summary += " Not in the working set: " + quoted_list(outcome.not_found) +
               " (see context_get_working_set).";
  }
  return summary;
}

Result<ContextStashArgs> decode(const Fields& in) {
  ContextStashArgs args;
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kWrite);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  Result<std::vector<std::string>> ids = decode_ids(in, "segment_ids");
  if (!ids.ok()) return ids.status();
  args.segment_ids = std::move(ids).value();
  Result<std::vector<storage::SegmentDraft>> drafts = decode_drafts(in);
  if (!drafts.ok()) return drafts.status();
  args.segments = std::move(drafts).value();
  if (Status s = in.read_string("query", args.query); !s.ok()) return s;
  Result<std::optional<storage::SearchFilters>> filters = decode_filters(in);
  if (!filters.ok()) return filters.status();
  args.filters = std::move(filters).value();
  std::optional<bool> dry_run;
  if (Status s = in.read_bool("dry_run", dry_run); !s.ok()) return s;
  args.dry_run = dry_run.value_or(false);
  return args;
}

Result<ContextStashReply> run(const ToolContext& ctx, ContextStashArgs args) {
  if (args.segment_ids.empty() && args.segments.empty() && !args.query && !args.filters) {
    return Status::invalid_argument("pass segment_ids, a query and/or filters over the working set, or inline segments");
  }
  ContextStashReply reply{project_or_default(ctx, args.project_id), args.dry_run, {}, {}, {}};
  std::vector<std::string> ids = args.segment_ids;
  if (Status s = select_from_working_set(ctx, reply.project, args, ids, reply.pinned_kept); !s.ok()) return s;
  // Nothing selected: a dry run still reports the totals without writing an empty batch.
  const bool nothing = ids.empty() && args.segments.empty();
  Result<storage::StashOutcome> outcome = ctx.store.stash(reply.project, ids, std::move(args.segments), args.dry_run || nothing);
  if (!outcome.ok()) return outcome.status();
  reply.outcome = std::move(outcome).value();
  Result<Budget> budget = measure_budget(ctx);
  if (!budget.ok()) return budget.status();
  reply.budget = std::move(budget).value();
  return reply;
}

mcp::Json encode(const ContextStashReply& reply) {
  const storage::StashOutcome& outcome = reply.outcome;
  mcp::Json stashed = mcp::Json::array();
  for (const storage::StoredSegment& s : outcome.stashed) {
    mcp::Json item = {{"segment_id", s.segment_id}, {"tokens", s.tokens}, {"revision", s.revision}};
    if (!s.duplicates.empty()) item["duplicates"] = duplicates_to_json(s.duplicates);
    stashed.push_back(std::move(item));
  }
  std::string summary = summary_of(outcome, reply.dry_run) + duplicates_sentence(outcome.stashed);
  if (!reply.pinned_kept.empty()) {
    summary += " Kept pinned: " + quoted_list(reply.pinned_kept) + " (a query never stashes pins; name them in segment_ids).";
  }
  mcp::Json out = {{"project_id", reply.project},
                   {"stashed", std::move(stashed)},
                   {"tokens_freed", outcome.tokens_freed},
                   {"active_tokens", outcome.active_tokens},
                   {"stashed_tokens", outcome.stashed_tokens},
                   {"summary", std::move(summary)}};
  if (reply.dry_run) out["dry_run"] = true;
  if (!outcome.not_found.empty()) out["not_found"] = outcome.not_found;
  if (!reply.pinned_kept.empty()) out["pinned_kept"] = reply.pinned_kept;
  if (!reply.dry_run) add_budget(reply.budget, out);
  return out;
}

}  // namespace

ToolBinding context_stash_tool() { return bind_tool<&decode, &run, &encode>("context_stash"); }

}  // namespace tools
