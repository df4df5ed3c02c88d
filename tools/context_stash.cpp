// context_stash: move working-set segments to durable storage (DESIGN §6). Segments are chosen by
// id, by query/filters over the working set, and/or given inline (store + stash in one batch).
#include <algorithm>
#include <cctype>
#include <set>

#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

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

// Appends the ids of working-set segments selected by query/filters to `ids` (no duplicates).
storage::Status select_from_working_set(const ToolContext& ctx, const std::string& project,
                                        const mcp::Json& args, std::vector<std::string>& ids) {
  const std::string query = args.contains("query") && args["query"].is_string()
                                ? args["query"].get<std::string>() : std::string();
  const bool has_filters = args.contains("filters") && !args["filters"].is_null();
  if (query.empty() && !has_filters) return storage::Status::ok_status();
  storage::Result<storage::SearchFilters> filters =
      parse_filters(has_filters ? args["filters"] : mcp::Json(nullptr), "filters");
  if (!filters.ok()) return filters.status();
  storage::Result<std::vector<storage::Segment>> segments = ctx.store.load_segments(project);
  if (!segments.ok()) return segments.status();
  const std::vector<std::string> words = split_words(query);
  std::set<std::string> seen(ids.begin(), ids.end());
  for (const storage::Segment& segment : *segments) {
    if (filters->accepts(segment) && matches_words(segment, words) && seen.insert(segment.segment_id).second) {
      ids.push_back(segment.segment_id);
    }
  }
  return storage::Status::ok_status();
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

}  // namespace

mcp::ToolResult context_stash(const ToolContext& ctx, const mcp::Json& args) {
  storage::Result<std::string> project = project_argument(args, ctx.default_project, ProjectUse::kWrite);
  if (!project.ok()) return error_result(project.status());
  storage::Result<std::vector<std::string>> ids = id_list_argument(args, "segment_ids");
  if (!ids.ok()) return error_result(ids.status());
  auto drafts = parse_drafts(args, "segments");
  if (!drafts.ok()) return error_result(drafts.status());
  const bool selects = args.contains("query") || args.contains("filters");
  if (ids->empty() && drafts->empty() && !selects) {
    return error_result(storage::Status::invalid_argument(
        "pass segment_ids, a query and/or filters over the working set, or inline segments"));
  }
  if (storage::Status s = select_from_working_set(ctx, *project, args, *ids); !s.ok()) return error_result(s);
  const bool dry_run = bool_argument(args, "dry_run", false);
  // Nothing selected: a dry run still reports the totals without writing an empty batch.
  const bool nothing = ids->empty() && drafts->empty();

  storage::Result<storage::StashOutcome> outcome =
      ctx.store.stash(*project, *ids, std::move(drafts).value(), dry_run || nothing);
  if (!outcome.ok()) return error_result(outcome.status());

  mcp::Json stashed = mcp::Json::array();
  for (const storage::StoredSegment& s : outcome->stashed) {
    stashed.push_back({{"segment_id", s.segment_id}, {"tokens", s.tokens}});
  }
  return mcp::ToolResult::success({{"project_id", *project},
                                   {"dry_run", dry_run},
                                   {"stashed", std::move(stashed)},
                                   {"not_found", outcome->not_found},
                                   {"tokens_freed", outcome->tokens_freed},
                                   {"active_tokens", outcome->active_tokens},
                                   {"stashed_tokens", outcome->stashed_tokens},
                                   {"summary", summary_of(*outcome, dry_run)}});
}

}  // namespace tools
