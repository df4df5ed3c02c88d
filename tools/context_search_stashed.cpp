// context_search_stashed: ranked keyword + metadata search over stashed segments (DESIGN §4, §6).
// Results carry snippets and metadata, never full text.
#include "tools/arguments.h"
#include "tools/cursor.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

constexpr size_t kDefaultLimit = 10;
constexpr size_t kMaxLimit = 100;

std::string no_match_summary(const std::string& project, const storage::SearchPage& page, bool paged) {
  if (paged) return "No more results: this page is past the last of " + with_commas(static_cast<int64_t>(page.total_matches)) + " matches.";
  const auto& others = page.other_projects_with_matches;
  if (project != "*" && !others.empty()) {
    return "No matches in project '" + project + "'; matches exist in " + quoted_list(others) +
           " — pass project_id '*' or " + (others.size() == 1 ? "'" + others[0] + "'" : "one of them") + ".";
  }
  return "No matches in " + project_phrase(project) +
         ". Try fewer or other keywords, mode 'substring' for exact text, looser filters, or project_id '*'.";
}

}  // namespace

mcp::ToolResult context_search_stashed(const ToolContext& ctx, const mcp::Json& args) {
  storage::Result<std::string> project = project_argument(args, ctx.default_project, ProjectUse::kRead);
  if (!project.ok()) return error_result(project.status());

  storage::SearchRequest request;
  request.project_id = *project;
  if (args.contains("query") && args["query"].is_string()) request.query = args["query"].get<std::string>();
  const mcp::Json filters_json = args.contains("filters") ? args["filters"] : mcp::Json(nullptr);
  storage::Result<storage::SearchFilters> filters = parse_filters(filters_json, "filters");
  if (!filters.ok()) return error_result(filters.status());
  request.filters = std::move(filters).value();
  std::string mode = "ranked";
  if (args.contains("mode") && args["mode"].is_string()) mode = args["mode"].get<std::string>();
  if (mode != "ranked" && mode != "substring") {
    return error_result(storage::Status::invalid_argument("mode: must be 'ranked' or 'substring'"));
  }
  request.mode = mode == "substring" ? storage::SearchMode::kSubstring : storage::SearchMode::kRanked;
  request.limit = kDefaultLimit;
  if (args.contains("limit")) {
    const mcp::Json& limit = args["limit"];
    if (!limit.is_number_integer() || limit.get<int64_t>() < 1 || limit.get<int64_t>() > static_cast<int64_t>(kMaxLimit)) {
      return error_result(storage::Status::invalid_argument("limit: must be an integer from 1 to 100"));
    }
    request.limit = static_cast<size_t>(limit.get<int64_t>());
  }
  // The cursor continues exactly this search: project, query, filters and mode (not the limit).
  const std::string print = fingerprint(mcp::dump_compact(
      mcp::Json{{"p", request.project_id}, {"q", request.query}, {"f", filters_json}, {"m", mode}}));
  const bool paged = args.contains("cursor") && args["cursor"].is_string();
  if (paged) {
    storage::Result<size_t> offset = decode_cursor(args["cursor"].get<std::string>(), print);
    if (!offset.ok()) return error_result(offset.status());
    request.offset = *offset;
  }

  storage::Result<storage::SearchPage> page = ctx.store.search_stashed(request);
  if (!page.ok()) return error_result(page.status());

  mcp::Json results = mcp::Json::array();
  for (const storage::SearchHit& hit : page->hits) results.push_back(hit_to_json(hit));
  const size_t end = request.offset + page->hits.size();
  mcp::Json next_cursor = end < page->total_matches ? mcp::Json(encode_cursor(end, print)) : mcp::Json(nullptr);

  std::string summary;
  if (page->hits.empty()) {
    summary = no_match_summary(*project, *page, paged && page->total_matches > 0);
  } else {
    summary = "Found " + count_of(page->total_matches, "match", "matches") + " in " + project_phrase(*project) +
              "; showing " + std::to_string(request.offset + 1) + "-" + std::to_string(end) +
              ". Get full text with context_retrieve_stashed(segment_ids)" +
              (next_cursor.is_null() ? "." : "; more with cursor: next_cursor.");
  }
  mcp::Json out = {{"results", std::move(results)},
                   {"total_matches", page->total_matches},
                   {"next_cursor", std::move(next_cursor)},
                   {"summary", std::move(summary)}};
  if (!page->other_projects_with_matches.empty()) {
    out["other_projects_with_matches"] = page->other_projects_with_matches;
  }
  return mcp::ToolResult::success(std::move(out));
}

}  // namespace tools
