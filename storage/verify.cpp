#include "storage/verify.h"

#include <cstdint>

#include "storage/journal_codec.h"
#include "storage/segment.h"
#include "storage/snapshot_reader.h"

namespace storage {

VerifyReport verify_files(const std::string& path, FileSystem& fs) {
  VerifyReport report;
  const auto problem = [&](std::string text) {
    report.ok = false;
    report.problems.push_back(std::move(text));
  };
  // The snapshot, streamed as a load reads it (snapshot_reader.h): the same rules, checksums included.
  SnapshotLoad snapshot;
  snapshot.header_ok = true;  // no snapshot: the journal starts at seq 1
  SnapshotSink sink;
  SegmentLimits lenient;
  lenient.max_segment_bytes = SIZE_MAX;
  sink.stashed = [&](Segment s) {
    if (Status st = validate_project_id(s.project_id); !st.ok()) problem(path + ": " + st.message());
    if (Status st = validate_segment(s, lenient, "project '" + s.project_id + "'"); !st.ok()) {
      problem(path + ": " + st.message());
    }
    ++report.segments;
    return Status::ok_status();
  };
  auto loaded = read_snapshot(fs, path, sink);
  if (loaded.ok()) {
    snapshot = std::move(loaded).value();
    for (const auto& d : snapshot.damage) problem(path + ": " + d);
  } else if (loaded.status().code() != Status::Code::kNotFound) {
    problem(loaded.status().message());
  }
  const std::string journal_path = path + ".journal";
  auto journal = fs.read_file(journal_path);
  if (journal.ok()) {
    JournalScan scan = scan_journal(*journal, 0);
    report.journal_lines = scan.lines;
    for (const auto& c : scan.corrupt) problem(journal_path + ": " + c);
    if (scan.torn_tail) {  // what a crash mid-append leaves: never acknowledged, safely ignored
      report.notes.push_back(journal_path + ": torn last line after byte " + std::to_string(scan.complete_end) +
              " (an interrupted write; the next writer truncates it)");
    }
    for (const auto& p : check_journal_sequence(scan, snapshot.journal_seq, snapshot.header_ok, nullptr)) {
      problem(journal_path + ": " + p);
    }
  } else if (journal.status().code() != Status::Code::kNotFound) {
    problem(journal.status().message());
  }
  auto tmp = fs.stat(path + ".tmp");
  if (tmp.ok() && tmp->exists) {
    report.notes.push_back(path + ".tmp: leftover from an interrupted compaction (removed at next open)");
  }
  return report;
}

}  // namespace storage
