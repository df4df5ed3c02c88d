// context_search_stashed: ranked keyword + metadata search over stashed segments (DESIGN §4, §6).
// Results carry snippets and metadata, never full text.
#include "tools/arguments.h"
#include "tools/cursor.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

struct ContextSearchStashedArgs {
  std::optional<std::string> project_id;  // "*" allowed
  std::string query;
  storage::SearchFilters filters;
  mcp::Json filters_json;  // as sent (null when absent): part of the cursor's fingerprint
  std::string mode = "ranked";
  bool include_superseded = false;
  Page page;
};

struct ContextSearchStashedReply {
  std::string project;
  size_t offset = 0;
  bool paged = false;
  std::string fingerprint;
  storage::SearchPage page;
};

std::string no_match_summary(const std::string& project, const storage::SearchPage& page, bool paged) {
  if (paged) {
    return "No more results: this page is past the last of " +
           with_commas(static_cast<int64_t>(page.total_matches)) + " matches.";
  }
  const auto& others = page.other_projects_with_matches;
  if (project != "*" && !others.empty()) {
    return "No matches in project '" + project + "'; matches exist in " + quoted_list(others) +
           " — pass project_id '*' or " + (others.size() == 1 ? "'" + others[0] + "'" : "one of them") + ".";
  }
  return "No matches in " + project_phrase(project) +
         ". Try fewer or other keywords, mode 'substring' for exact text, looser filters, or project_id '*'.";
}

Result<ContextSearchStashedArgs> decode(const Fields& in) {
  ContextSearchStashedArgs args;
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kRead);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  std::optional<std::string> query;
  if (Status s = in.read_string("query", query); !s.ok()) return s;
  args.query = query.value_or("");
  Result<std::optional<storage::SearchFilters>> filters = decode_filters(in);
  if (!filters.ok()) return filters.status();
  args.filters = filters->value_or(storage::SearchFilters{});
  const mcp::Json* filters_json = in.find("filters");
  args.filters_json = filters_json != nullptr ? *filters_json : mcp::Json(nullptr);
  std::optional<std::string> mode;
  if (Status s = in.read_string("mode", mode); !s.ok()) return s;
  args.mode = mode.value_or("ranked");
  if (args.mode != "ranked" && args.mode != "substring") {
    return Status::invalid_argument("mode: must be 'ranked' or 'substring'");
  }
  std::optional<bool> include_superseded;
  if (Status s = in.read_bool("include_superseded", include_superseded); !s.ok()) return s;
  args.include_superseded = include_superseded.value_or(false);
  Result<Page> page = decode_page(in);
  if (!page.ok()) return page.status();
  args.page = std::move(page).value();
  return args;
}

Result<ContextSearchStashedReply> run(const ToolContext& ctx, const ContextSearchStashedArgs& args) {
  storage::SearchRequest request;
  request.project_id = project_or_default(ctx, args.project_id);
  request.query = args.query;
  request.filters = args.filters;
  request.mode = args.mode == "substring" ? storage::SearchMode::kSubstring : storage::SearchMode::kRanked;
  request.limit = args.page.limit;
  request.include_superseded = args.include_superseded;
  ContextSearchStashedReply reply;
  reply.project = request.project_id;
  // The cursor continues exactly this search: project, query, filters, mode and include_superseded
  // (not the limit).
  mcp::Json search = {{"p", request.project_id}, {"q", request.query}, {"f", args.filters_json}, {"m", args.mode}};
  if (args.include_superseded) search["s"] = true;
  reply.fingerprint = fingerprint(mcp::dump_compact(search));
  reply.paged = args.page.cursor.has_value();
  if (reply.paged) {
    Result<size_t> offset = decode_cursor(*args.page.cursor, reply.fingerprint);
    if (!offset.ok()) return offset.status();
    request.offset = *offset;
  }
  reply.offset = request.offset;
  Result<storage::SearchPage> page = ctx.store.search_stashed(request);
  if (!page.ok()) return page.status();
  reply.page = std::move(page).value();
  return reply;
}

mcp::Json encode(const ContextSearchStashedReply& reply) {
  const storage::SearchPage& page = reply.page;
  mcp::Json results = mcp::Json::array();
  for (const storage::SearchHit& hit : page.hits) results.push_back(hit_to_json(hit, reply.project == "*"));
  const size_t end = reply.offset + page.hits.size();
  const bool more = end < page.total_matches;

  std::string summary;
  if (page.hits.empty()) {
    summary = no_match_summary(reply.project, page, reply.paged && page.total_matches > 0);
  } else {
    summary = "Found " + count_of(page.total_matches, "match", "matches") + " in " + project_phrase(reply.project) +
              "; showing " + std::to_string(reply.offset + 1) + "-" + std::to_string(end) +
              ". Get full text with context_retrieve_stashed(segment_ids)" +
              (more ? "; more with cursor: next_cursor." : ".");
  }
  mcp::Json out = {{"results", std::move(results)},
                   {"total_matches", page.total_matches},
                   {"summary", std::move(summary)}};
  if (more) out["next_cursor"] = encode_cursor(end, reply.fingerprint);
  if (!page.other_projects_with_matches.empty()) {
    out["other_projects_with_matches"] = page.other_projects_with_matches;
  }
  return out;
}

}  // namespace

ToolBinding context_search_stashed_tool() { return bind_tool<&decode, &run, &encode>("context_search_stashed"); }

}  // namespace tools
