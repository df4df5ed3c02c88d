#include "storage/verify.h"

#include <cstdint>

#include "storage/journal_codec.h"
#include "storage/segment.h"
#include "storage/snapshot_codec.h"

namespace storage {

VerifyReport verify_files(const std::string& path, FileSystem& fs) {
  VerifyReport report;
  const auto problem = [&](std::string text) {
    report.ok = false;
    report.problems.push_back(std::move(text));
  };
  auto snapshot = fs.read_file(path);
  if (snapshot.ok()) {
    auto decoded = decode_snapshot(*snapshot);
    if (!decoded.ok()) {
      problem(path + ": " + decoded.status().message());
    } else {
      for (const auto& [project, segments] : decoded->projects) {
        if (Status st = validate_project_id(project); !st.ok()) problem(path + ": " + st.message());
        SegmentLimits lenient;
        lenient.max_segment_bytes = SIZE_MAX;
        for (const Segment& s : segments) {
          if (Status st = validate_segment(s, lenient, "project '" + project + "'"); !st.ok()) {
            problem(path + ": " + st.message());
          }
          ++report.segments;
        }
      }
    }
  } else if (snapshot.status().code() != Status::Code::kNotFound) {
    problem(snapshot.status().message());
  }
  const std::string journal_path = path + ".journal";
  auto journal = fs.read_file(journal_path);
  if (journal.ok()) {
    JournalScan scan = scan_journal(*journal, 0);
    report.journal_lines = scan.lines;
    for (const auto& c : scan.corrupt) problem(journal_path + ": " + c);
    if (scan.torn_tail) {  // what a crash mid-append leaves: never acknowledged, safely ignored
      report.notes.push_back(journal_path + ": torn last line after byte " + std::to_string(scan.valid_end) +
              " (an interrupted write; the next writer truncates it)");
    }
    uint64_t prev = 0;
    for (const auto& batch : scan.batches) {
      if (batch.seq <= prev) problem(journal_path + ": seq " + std::to_string(batch.seq) + " out of order");
      prev = batch.seq;
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
