// The reading commands of `ooc` (cli_commands.h): stats, list, search and show, as readable lines
// or, with --json, as one JSON document on stdout (the field names of the matching tools).
#include <iomanip>
#include <iostream>

#include "mcp/json.h"
#include "storage/project_match.h"
#include "tools/cli_commands.h"
#include "tools/result_json.h"

namespace tools {
namespace {

int fail(const CommandContext& ctx, const storage::Status& status) {
  ctx.err << "ooc: " << status.to_string() << "\n";
  return 1;
}

std::string one_line(std::string text, size_t max_chars) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
  return text;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// As context_list_projects lists a project.
mcp::Json project_to_json(const storage::ProjectInfo& p) {
  return {{"project_id", p.project_id},
          {"active_count", p.active_count},
          {"active_tokens", p.active_tokens},
          {"stashed_count", p.stashed_count},
          {"stashed_tokens", p.stashed_tokens},
          {"last_updated", p.last_updated.empty() ? mcp::Json(nullptr) : mcp::Json(p.last_updated)}};
}

mcp::Json projects_to_json(const std::vector<storage::ProjectInfo>& projects) {
  mcp::Json out = mcp::Json::array();
  for (const storage::ProjectInfo& p : projects) out.push_back(project_to_json(p));
  return out;
}

// One document, indented for people; `jq` and every JSON parser read it whole.
void print_json(const CommandContext& ctx, const mcp::Json& document) {
  ctx.out << document.dump(2, ' ', false, mcp::Json::error_handler_t::replace) << "\n";
}

void print_project_table(std::ostream& out, const std::vector<storage::ProjectInfo>& projects) {
  out << std::left << std::setw(32) << "PROJECT" << std::setw(10) << "STASHED" << std::setw(14) << "TOKENS"
      << "LAST UPDATED\n";
  for (const storage::ProjectInfo& p : projects) {
    out << std::setw(32) << p.project_id << std::setw(10) << p.stashed_count << std::setw(14)
        << with_commas(p.stashed_tokens) << (p.last_updated.empty() ? "-" : p.last_updated) << "\n";
  }
}

}  // namespace

int run_stats(const CommandContext& ctx, bool json) {
  storage::Result<storage::StoreStats> stats = ctx.store.stats();
  if (!stats.ok()) return fail(ctx, stats.status());
  storage::Result<std::vector<storage::ProjectInfo>> projects = ctx.store.list_projects();
  if (!projects.ok()) return fail(ctx, projects.status());
  if (json) {
    print_json(ctx, {{"path", stats->path},
                     {"journal_path", stats->journal_path},
                     {"snapshot_bytes", stats->snapshot_bytes},
                     {"journal_bytes", stats->journal_bytes},
                     {"journal_seq", stats->journal_seq},
                     {"stashed_segments", stats->stashed_segments},
                     {"stashed_tokens", stats->stashed_tokens},
                     {"index_postings", stats->index_postings},
                     {"index_bytes", stats->index_bytes},
                     {"ranked_index_source", stats->ranked_index_source},
                     {"recovery_notes", stats->recovery_notes},
                     {"projects", projects_to_json(*projects)}});
    return 0;
  }
  std::ostream& out = ctx.out;
  out << "store      " << stats->path << "\n"
      << "snapshot   " << with_commas(static_cast<int64_t>(stats->snapshot_bytes)) << " bytes\n"
      << "journal    " << with_commas(static_cast<int64_t>(stats->journal_bytes)) << " bytes (seq "
      << stats->journal_seq << ")\n"
      << "projects   " << stats->projects << "\n"
      << "stashed    " << count_of(stats->stashed_segments, "segment") << ", "
      << with_commas(stats->stashed_tokens) << " tokens\n"
      << "index      " << with_commas(static_cast<int64_t>(stats->index_postings)) << " postings, "
      << with_commas(static_cast<int64_t>(stats->index_bytes)) << " bytes"
      << (stats->ranked_index_source.empty() ? "" : " (" + stats->ranked_index_source + ")") << "\n";
  for (const std::string& note : stats->recovery_notes) out << "recovered  " << note << "\n";
  if (projects->empty()) return 0;
  out << "\n";
  print_project_table(out, *projects);
  return 0;
}

int run_list(const CommandContext& ctx, bool json) {
  storage::Result<std::vector<storage::ProjectInfo>> all = ctx.store.list_projects();
  if (!all.ok()) return fail(ctx, all.status());
  std::vector<storage::ProjectInfo> projects;
  for (const storage::ProjectInfo& p : *all) {
    if (ctx.project == "*" || storage::same_project_id(p.project_id, ctx.project)) projects.push_back(p);
  }
  if (json) {
    print_json(ctx, {{"projects", projects_to_json(projects)}});
    return 0;
  }
  if (projects.empty()) {
    ctx.out << (ctx.project == "*" ? "no projects yet\n" : "no project '" + ctx.project + "'\n");
    return 0;
  }
  print_project_table(ctx.out, projects);
  return 0;
}

int run_search(const CommandContext& ctx, const SearchOptions& options) {
  storage::SearchRequest request;
  request.project_id = ctx.project;
  request.query = options.query;
  request.mode = options.substring ? storage::SearchMode::kSubstring : storage::SearchMode::kRanked;
  request.limit = options.limit;
  if (!options.task.empty()) request.filters.task_id = options.task;
  request.filters.tags = options.tags;
  storage::Result<storage::SearchPage> page = ctx.store.search_stashed(request);
  if (!page.ok()) return fail(ctx, page.status());
  if (options.json) {
    mcp::Json results = mcp::Json::array();
    for (const storage::SearchHit& hit : page->hits) results.push_back(hit_to_json(hit, true));
    print_json(ctx, {{"project", ctx.project},
                     {"query", options.query},
                     {"total_matches", page->total_matches},
                     {"results", std::move(results)},
                     {"other_projects_with_matches", page->other_projects_with_matches}});
    return 0;
  }
  ctx.out << count_of(page->total_matches, "match", "matches") << " in " << project_phrase(ctx.project);
  if (page->hits.size() < page->total_matches) ctx.out << " (showing " << page->hits.size() << ")";
  ctx.out << "\n";
  if (!page->other_projects_with_matches.empty()) {
    ctx.out << "matches in other projects: " << join(page->other_projects_with_matches)
            << " (omit --project to search them all)\n";
  }
  for (const storage::SearchHit& hit : page->hits) {
    const storage::Segment& s = hit.segment;
    ctx.out << "\n" << std::fixed << std::setprecision(2) << std::setw(7) << std::right << hit.score << "  "
            << s.segment_id << "  [" << s.project_id << "] " << storage::to_string(s.type) << ", "
            << with_commas(s.tokens) << " tokens, " << s.created_at;
    if (s.task_id) ctx.out << ", task " << *s.task_id;
    if (s.file_path) ctx.out << ", " << *s.file_path;
    if (!s.tags.empty()) ctx.out << ", tags " << join(s.tags);
    ctx.out << "\n         " << one_line(hit.snippet, 200) << "\n";
  }
  return 0;
}

int run_show(const CommandContext& ctx, const std::string& segment_id, bool json) {
  storage::Result<storage::RetrieveOutcome> outcome = ctx.store.retrieve(ctx.project, {segment_id}, false, 0);
  if (!outcome.ok()) return fail(ctx, outcome.status());
  if (outcome->segments.empty()) {
    ctx.err << "ooc: no stashed segment '" << segment_id << "' in " << project_phrase(ctx.project)
            << "; find ids with `ooc search`\n";
    return 1;
  }
  const storage::Segment& s = outcome->segments.front();
  if (json) {
    print_json(ctx, segment_to_json(s, {.with_text = true, .verbose = true}));
    return 0;
  }
  std::ostream& out = ctx.out;
  out << "segment_id   " << s.segment_id << "\n"
      << "project      " << s.project_id << "\n"
      << "type         " << storage::to_string(s.type) << "\n";
  if (s.task_id) out << "task         " << *s.task_id << "\n";
  if (s.topic_id) out << "topic        " << *s.topic_id << "\n";
  if (s.file_path) {
    out << "file         " << *s.file_path;
    if (s.line_range) out << ":" << s.line_range->start << "-" << s.line_range->end;
    out << "\n";
  }
  if (!s.tags.empty()) out << "tags         " << join(s.tags) << "\n";
  out << "created      " << s.created_at << "\n"
      << "touched      " << s.last_touched_at << "\n"
      << "tokens       " << with_commas(s.tokens) << (s.pinned ? "  (pinned)" : "") << "\n\n"
      << s.text << (s.text.empty() || s.text.back() == '\n' ? "" : "\n");
  return 0;
}

}  // namespace tools
