#include "storage/verify.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "storage/journal_codec.h"
#include "storage/segment.h"
#include "storage/snapshot_reader.h"

namespace storage {

namespace {

// The journal scanned in pieces of whole lines (scan_journal over each), keeping of each batch
// only its seq: what check_journal_sequence needs.
Result<JournalScan> scan_journal_file(FileSystem& fs, const std::string& path, uint64_t size,
                                      const std::function<void(uint64_t)>& done) {
  constexpr uint64_t kPiece = 16u << 20;
  JournalScan all;
  uint64_t at = 0;
  while (at < size) {
    auto bytes = fs.read_range(path, at, kPiece);
    if (!bytes.ok()) return bytes.status();
    if (bytes->empty()) break;  // it shrank meanwhile
    std::string_view piece(*bytes);
    const size_t end = piece.rfind('\n');
    bool last = at + piece.size() >= size;
    if (end == std::string_view::npos && !last) {  // one line longer than a piece: read the rest
      auto longer = fs.read_range(path, at, size - at);
      if (!longer.ok()) return longer.status();
      *bytes = std::move(longer).value();
      piece = *bytes;
      last = true;
    }
    const size_t cut = last ? piece.size() : piece.rfind('\n') + 1;
    JournalScan part = scan_journal(piece.substr(0, cut), at);
    for (JournalBatch& batch : part.batches) {
      batch.ops.clear();
      batch.ops.shrink_to_fit();
      all.batches.push_back(std::move(batch));
    }
    all.offsets.insert(all.offsets.end(), part.offsets.begin(), part.offsets.end());
    for (std::string& c : part.corrupt) all.corrupt.push_back(std::move(c));
    all.lines += part.lines;
    all.valid_end = part.valid_end;
    all.complete_end = part.complete_end;
    all.torn_tail = part.torn_tail;
    at += cut;
    if (done) done(at);
  }
  return all;
}

}  // namespace

VerifyReport verify_files(const std::string& path, FileSystem& fs, const VerifyProgress& progress) {
  VerifyReport report;
  const std::string journal_path = path + ".journal";
  uint64_t snapshot_bytes = 0;
  uint64_t journal_bytes = 0;
  if (auto info = fs.stat(path); info.ok() && info->exists) snapshot_bytes = info->size;
  if (auto info = fs.stat(journal_path); info.ok() && info->exists) journal_bytes = info->size;
  const uint64_t total = snapshot_bytes + journal_bytes;
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
  if (progress) sink.progress = [&](uint64_t offset) { progress(offset, total); };
  auto loaded = read_snapshot(fs, path, sink);
  if (loaded.ok()) {
    snapshot = std::move(loaded).value();
    for (const auto& d : snapshot.damage) problem(path + ": " + d);
  } else if (loaded.status().code() != Status::Code::kNotFound) {
    problem(loaded.status().message());
  }
  if (progress) progress(snapshot_bytes, total);
  auto journal = scan_journal_file(fs, journal_path, journal_bytes, [&](uint64_t at) {
    if (progress) progress(snapshot_bytes + at, total);
  });
  if (journal.ok()) {
    const JournalScan& scan = *journal;
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
