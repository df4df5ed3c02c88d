#include "tools/cli_commands.h"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "mcp/json.h"
#include "storage/file_system.h"
#include "storage/snapshot_reader.h"
#include "tools/cli_capture.h"
#include "tools/cli_terminal.h"
#include "tools/exported_segment.h"
#include "tools/result_json.h"

namespace tools {
namespace {

int fail(const CommandContext& ctx, const storage::Status& status) {
  ctx.err << "ooc: " << status.to_string() << "\n";
  return 1;
}

}  // namespace

int run_export(const CommandContext& ctx, const std::string& file) {
  storage::Result<std::vector<storage::Segment>> segments = ctx.store.export_stashed(ctx.project);
  if (!segments.ok()) return fail(ctx, segments.status());
  std::string lines;
  Progress progress(ctx.err, ctx.progress, "exporting");
  for (size_t i = 0; i < segments->size(); ++i) {
    lines += mcp::dump_compact(segment_to_json((*segments)[i], {.with_text = true, .verbose = true})) + "\n";
    progress.update(i + 1, segments->size());
  }
  progress.done();
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
  Progress progress(ctx.err, ctx.progress, "checking " + name + ", bytes");
  size_t consumed = 0;
  for (size_t number = 1; std::getline(lines, line); ++number) {
    consumed = std::min(bytes->size(), consumed + line.size() + 1);
    progress.update(consumed, bytes->size());
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
      progress.done();
      ctx.err << "ooc: " << problem.message() << "\n";
      ++bad;
    }
  }
  progress.done();
  if (bad > 0) {
    ctx.err << "ooc: nothing imported: " << count_of(bad, "bad line") << " in " << name << "\n";
    return 1;
  }
  if (segments.empty()) {
    ctx.err << "ooc: nothing imported: " << name << " has no segment lines (" << with_commas(static_cast<int64_t>(bytes->size()))
            << " bytes read); expected JSON Lines from ooc export\n";
    return 1;
  }
  progress.set_label("importing " + count_of(segments.size(), "segment") + "...");
  storage::Result<size_t> imported = ctx.store.import_stashed(std::move(segments));
  progress.done();
  if (!imported.ok()) return fail(ctx, imported.status());
  ctx.out << "Imported " << count_of(*imported, "segment") << " from " << name << "\n";
  return 0;
}

int run_compact(const CommandContext& ctx) {
  Progress progress(ctx.err, ctx.progress, "compacting...");
  progress.set_label("compacting...");
  storage::Status compacted = ctx.store.compact();
  progress.done();
  if (!compacted.ok()) return fail(ctx, compacted);
  storage::Result<storage::StoreStats> stats = ctx.store.stats();
  if (!stats.ok()) return fail(ctx, stats.status());
  ctx.out << "Compacted " << stats->path << ": " << with_commas(static_cast<int64_t>(stats->snapshot_bytes))
          << " bytes, journal " << with_commas(static_cast<int64_t>(stats->journal_bytes)) << " bytes\n";
  return 0;
}

int run_verify(const std::string& storage_path, std::ostream& out, std::ostream& err, bool progress) {
  Progress shown(err, progress, "verifying...");
  shown.set_label("verifying " + storage_path + "...");
  storage::VerifyReport report = storage::Store::verify(
      storage_path, storage::posix_file_system(),
      [&shown](uint64_t done, uint64_t total) { shown.update(static_cast<size_t>(done), static_cast<size_t>(total)); });
  shown.done();
  out << storage_path << ": " << count_of(report.segments, "segment") << ", "
      << count_of(report.journal_lines, "journal line") << "\n";
  for (const std::string& problem : report.problems) err << "problem: " << problem << "\n";
  out << (report.ok ? "OK\n" : "DAMAGED: run `ooc serve` or any command to repair (damaged files are moved aside)\n");
  return report.ok ? 0 : kDamagedStore;
}

}  // namespace tools
