#include "tools/cli_commands.h"

#include <iomanip>
#include <iostream>
#include <sstream>

#include "mcp/json.h"
#include "storage/file_system.h"
#include "storage/snapshot_reader.h"
#include "tools/cli_capture.h"
#include "tools/exported_segment.h"
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

}  // namespace

int run_stats(const CommandContext& ctx) {
  storage::Result<storage::StoreStats> stats = ctx.store.stats();
  if (!stats.ok()) return fail(ctx, stats.status());
  storage::Result<std::vector<storage::ProjectInfo>> projects = ctx.store.list_projects();
  if (!projects.ok()) return fail(ctx, projects.status());
  std::ostream& out = ctx.out;
  out << "store      " << stats->path << "\n"
      << "snapshot   " << with_commas(static_cast<int64_t>(stats->snapshot_bytes)) << " bytes\n"
      << "journal    " << with_commas(static_cast<int64_t>(stats->journal_bytes)) << " bytes (seq "
      << stats->journal_seq << ")\n"
      << "projects   " << stats->projects << "\n"
      << "stashed    " << count_of(stats->stashed_segments, "segment") << ", "
      << with_commas(stats->stashed_tokens) << " tokens\n"
      << "index      " << with_commas(static_cast<int64_t>(stats->index_postings)) << " postings, "
      << with_commas(static_cast<int64_t>(stats->index_bytes)) << " bytes\n";
  for (const std::string& note : stats->recovery_notes) out << "recovered  " << note << "\n";
  if (projects->empty()) return 0;
  out << "\n" << std::left << std::setw(32) << "PROJECT" << std::setw(10) << "STASHED" << std::setw(14)
      << "TOKENS" << "LAST UPDATED\n";
  for (const storage::ProjectInfo& p : *projects) {
    out << std::setw(32) << p.project_id << std::setw(10) << p.stashed_count << std::setw(14)
        << with_commas(p.stashed_tokens) << (p.last_updated.empty() ? "-" : p.last_updated) << "\n";
  }
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

int run_show(const CommandContext& ctx, const std::string& segment_id) {
  storage::Result<storage::RetrieveOutcome> outcome = ctx.store.retrieve(ctx.project, {segment_id}, false, 0);
  if (!outcome.ok()) return fail(ctx, outcome.status());
  if (outcome->segments.empty()) {
    ctx.err << "ooc: no stashed segment '" << segment_id << "' in " << project_phrase(ctx.project)
            << "; find ids with `ooc search`\n";
    return 1;
  }
  const storage::Segment& s = outcome->segments.front();
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

int run_export(const CommandContext& ctx, const std::string& file) {
  storage::Result<std::vector<storage::Segment>> segments = ctx.store.export_stashed(ctx.project);
  if (!segments.ok()) return fail(ctx, segments.status());
  std::string lines;
  for (const storage::Segment& s : *segments) lines += mcp::dump_compact(segment_to_json(s, true)) + "\n";
  if (file.empty()) {
    ctx.out << lines << std::flush;
    return 0;
  }
  if (storage::Status s = storage::posix_file_system().write_file_atomically(file, lines); !s.ok()) {
    return fail(ctx, s);
  }
  ctx.err << "Exported " << count_of(segments->size(), "segment") << " to " << file << "\n";
  return 0;
}

int run_import(const CommandContext& ctx, const std::string& file, const storage::SegmentLimits& limits) {
  return run_import(ctx, file, limits, std::cin);
}

namespace {

// A snapshot file (storage.json, or one recovery moved aside as storage.json.corrupt-<time>): every
// segment line that verifies is imported (working ones as stashed); damaged lines are named.
int import_snapshot(const CommandContext& ctx, const std::string& name, const std::string& bytes,
                    const storage::SegmentLimits& limits) {
  std::vector<storage::Segment> segments;
  size_t bad = 0;
  storage::SnapshotSink sink;
  const auto keep = [&](storage::Segment s) {
    s.tier = storage::Tier::kStashed;
    if (storage::Status st = storage::validate_segment(s, limits, name); !st.ok()) {
      ctx.err << "ooc: " << st.message() << "\n";
      ++bad;
      return;
    }
    segments.push_back(std::move(s));
  };
  sink.stashed = [&](storage::Segment s) {
    keep(std::move(s));
    return storage::Status::ok_status();
  };
  sink.working = [&](std::string, storage::Segment s) { keep(std::move(s)); };
  storage::Result<storage::SnapshotLoad> load = storage::read_snapshot_bytes(bytes, sink);
  if (!load.ok()) return fail(ctx, load.status());
  for (const std::string& d : load->damage) ctx.err << "ooc: " << name << ": " << d << "\n";
  if (segments.empty()) {
    ctx.err << "ooc: nothing imported: " << name << " holds no segment that verifies\n";
    return 1;
  }
  storage::Result<size_t> imported = ctx.store.import_stashed(std::move(segments));
  if (!imported.ok()) return fail(ctx, imported.status());
  ctx.out << "Imported " << count_of(*imported, "segment") << " from " << name << " (a snapshot";
  if (load->lost + bad > 0) ctx.out << "; " << count_of(load->lost + bad, "damaged segment line") << " skipped";
  ctx.out << ")\n";
  return 0;
}

}  // namespace

int run_import(const CommandContext& ctx, const std::string& file, const storage::SegmentLimits& limits,
               std::istream& in) {
  // Not FileSystem::read_file: it reads the size fstat reports, which is 0 for a pipe or FIFO.
  storage::Result<std::string> bytes = read_all_input(file, in);
  if (!bytes.ok()) return fail(ctx, bytes.status());
  const std::string name = file == "-" ? "standard input" : file;
  if (bytes->rfind("{\"version\":\"", 0) == 0) return import_snapshot(ctx, name, *bytes, limits);
  std::vector<storage::Segment> segments;
  size_t bad = 0;
  std::istringstream lines(*bytes);
  std::string line;
  for (size_t number = 1; std::getline(lines, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = name + ":" + std::to_string(number);
    mcp::Json value = mcp::Json::parse(line, nullptr, /*allow_exceptions=*/false);
    storage::Status problem = storage::Status::ok_status();
    if (value.is_discarded()) {
      problem = storage::Status::invalid_argument(where + ": not valid JSON");
    } else if (storage::Result<storage::Segment> segment = parse_exported_segment(value, where); !segment.ok()) {
      problem = segment.status();
    } else if (storage::Status s = storage::validate_segment(*segment, limits, where); !s.ok()) {
      problem = s;
    } else {
      segments.push_back(std::move(segment).value());
    }
    if (!problem.ok()) {
      ctx.err << "ooc: " << problem.message() << "\n";
      ++bad;
    }
  }
  if (bad > 0) {
    ctx.err << "ooc: nothing imported: " << count_of(bad, "bad line") << " in " << name << "\n";
    return 1;
  }
  if (segments.empty()) {
    ctx.err << "ooc: nothing imported: " << name << " has no segment lines (" << with_commas(static_cast<int64_t>(bytes->size()))
            << " bytes read); expected JSON Lines from ooc export\n";
    return 1;
  }
  storage::Result<size_t> imported = ctx.store.import_stashed(std::move(segments));
  if (!imported.ok()) return fail(ctx, imported.status());
  ctx.out << "Imported " << count_of(*imported, "segment") << " from " << name << "\n";
  return 0;
}

int run_compact(const CommandContext& ctx) {
  if (storage::Status s = ctx.store.compact(); !s.ok()) return fail(ctx, s);
  storage::Result<storage::StoreStats> stats = ctx.store.stats();
  if (!stats.ok()) return fail(ctx, stats.status());
  ctx.out << "Compacted " << stats->path << ": " << with_commas(static_cast<int64_t>(stats->snapshot_bytes))
          << " bytes, journal " << with_commas(static_cast<int64_t>(stats->journal_bytes)) << " bytes\n";
  return 0;
}

int run_verify(const std::string& storage_path, std::ostream& out, std::ostream& err) {
  storage::VerifyReport report = storage::Store::verify(storage_path, storage::posix_file_system());
  out << storage_path << ": " << count_of(report.segments, "segment") << ", "
      << count_of(report.journal_lines, "journal line") << "\n";
  for (const std::string& problem : report.problems) err << "problem: " << problem << "\n";
  out << (report.ok ? "OK\n" : "DAMAGED: run `ooc serve` or any command to repair (damaged files are moved aside)\n");
  return report.ok ? 0 : 1;
}

}  // namespace tools
