#include "storage/recovery.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "storage/journal_codec.h"
#include "storage/snapshot_codec.h"
#include "storage/time_format.h"

namespace storage {
namespace {

// Moves `path` aside to "<path>.corrupt-<UTC timestamp>"; returns the new name.
Result<std::string> move_aside(FileSystem& fs, const std::string& path, int64_t now_ms) {
  std::string stamp = format_rfc3339_ms(now_ms);
  for (char& c : stamp) {
    if (c == ':') c = '-';
  }
  const std::string target = path + ".corrupt-" + stamp;
  if (Status st = fs.rename(path, target); !st.ok()) return st;
  return target;
}

}  // namespace

bool Recovery::needs_exclusive_lock() const {
  if (caught_up_) return false;
  auto tmp = fs_.stat(snapshot_.tmp_path());
  return tmp.ok() && tmp->exists;
}

Result<CatchUp> Recovery::catch_up(bool exclusive) {
  Result<CatchUp> outcome = incremental(exclusive);
  if (!outcome.ok()) return outcome;
  if (*outcome == CatchUp::kNeedsRepair) {
    snapshot_.forget();  // the repairing call reloads in full
  } else {
    caught_up_ = true;
  }
  return outcome;
}

Result<CatchUp> Recovery::incremental(bool exclusive) {
  if (exclusive) {
    if (Status st = remove_leftover_tmp(); !st.ok()) return st;
  }
  auto snap = snapshot_.stat();
  if (!snap.ok()) return snap.status();
  if (!snapshot_.is_current(*snap)) return reload(exclusive);
  auto journal = journal_.stat();
  if (!journal.ok()) return journal.status();
  if (!journal->exists) return journal_.offset() == 0 ? Result<CatchUp>(CatchUp::kUpToDate) : reload(exclusive);
  if (journal->size < journal_.offset()) return reload(exclusive);
  if (journal->size == journal_.offset()) {
    journal_.set_applied(journal_.offset(), false);
    return CatchUp::kUpToDate;
  }
  auto bytes = journal_.read_unapplied(journal->size);
  if (!bytes.ok()) return bytes.status();
  JournalScan scan = scan_journal(*bytes, journal_.offset());
  if (!scan.corrupt.empty() || (!scan.batches.empty() && scan.batches.front().seq != catalog_.last_seq() + 1)) {
    return reload(exclusive);  // damaged, or rewritten by a compaction
  }
  for (const JournalBatch& batch : scan.batches) catalog_.apply(batch);
  journal_.set_applied(scan.valid_end, scan.torn_tail);
  if (journal_.torn() && exclusive) {
    if (Status st = truncate_torn_tail(); !st.ok()) return st;
  }
  return scan.batches.empty() ? CatchUp::kUpToDate : CatchUp::kApplied;
}

Status Recovery::remove_leftover_tmp() {
  const std::string tmp = snapshot_.tmp_path();
  auto info = fs_.stat(tmp);
  if (!info.ok() || !info->exists) return info.ok() ? Status::ok_status() : info.status();
  auto snap = snapshot_.stat();
  if (!snap.ok()) return snap.status();
  if (!snap->exists) {
    auto bytes = fs_.read_file(tmp);
    if (bytes.ok() && decode_snapshot(*bytes).ok()) {
      note_warning("promoted " + tmp + " (complete) to the snapshot, which was missing");
      return fs_.rename(tmp, snapshot_.path());
    }
  }
  note_warning("removed leftover " + tmp + " (an interrupted compaction)");
  return fs_.remove(tmp);
}

Status Recovery::truncate_torn_tail() {
  if (Status st = journal_.truncate_torn_tail(); !st.ok()) return st;
  note_warning("truncated a torn journal tail at byte " + std::to_string(journal_.offset()));
  return Status::ok_status();
}

Result<CatchUp> Recovery::reload(bool exclusive) {
  auto snap_info = snapshot_.stat();
  if (!snap_info.ok()) return snap_info.status();
  SnapshotData data;
  bool snapshot_corrupt = false;
  if (snap_info->exists) {
    auto bytes = snapshot_.read();
    if (!bytes.ok()) {
      if (bytes.status().code() != Status::Code::kNotFound) return bytes.status();
    } else {
      auto decoded = decode_snapshot(*bytes);
      if (decoded.ok()) {
        data = std::move(decoded).value();
      } else {
        if (!exclusive) return CatchUp::kNeedsRepair;
        snapshot_corrupt = true;
        auto aside = move_aside(fs_, snapshot_.path(), clock_.now_ms());
        if (!aside.ok()) return aside.status();
        note_error("snapshot " + snapshot_.path() + " is damaged (" + decoded.status().message() +
                   "); moved aside to " + *aside + "; starting from the journal");
      }
    }
  }
  // Reset what the files hold; a memory-only working set (no session) stays.
  catalog_.reset_durable(data.journal_seq);
  for (auto& [project_id, segments] : data.projects) {
    for (Segment& s : segments) {
      if (stopping_.load(std::memory_order_relaxed)) return Status::io_error("the store is closing");
      s.project_id = project_id;
      catalog_.put_stashed(std::move(s));
    }
  }
  for (auto& [project_id, segments] : data.working) {
    for (SessionSegment& w : segments) {
      w.segment.project_id = project_id;
      catalog_.put_session_working(w.session_id, std::move(w.segment));
    }
  }
  for (auto& [project_id, root] : data.root_paths) catalog_.set_root_path(project_id, std::move(root));
  journal_.set_applied(0, false);
  auto journal = journal_.read_all();
  if (!journal.ok() && journal.status().code() != Status::Code::kNotFound) return journal.status();
  if (journal.ok()) {
    JournalScan scan = scan_journal(*journal, 0);
    if (!scan.corrupt.empty() && !exclusive) return CatchUp::kNeedsRepair;
    for (const JournalBatch& batch : scan.batches) {
      if (batch.seq > catalog_.last_seq()) catalog_.apply(batch);
    }
    journal_.set_applied(scan.valid_end, scan.torn_tail);
    if (!scan.corrupt.empty()) {
      auto aside = move_aside(fs_, journal_.path(), clock_.now_ms());
      if (!aside.ok()) return aside.status();
      std::string where;
      for (const auto& c : scan.corrupt) where += (where.empty() ? "" : "; ") + c;
      note_error("journal " + journal_.path() + " is damaged (" + where + "); moved aside to " + *aside +
                 "; kept every batch that verified");
      journal_.set_applied(0, false);
      if (Status st = compaction_.run(); !st.ok()) return st;
      return CatchUp::kReloaded;
    }
    if (journal_.torn() && exclusive) {
      if (Status st = truncate_torn_tail(); !st.ok()) return st;
    }
  }
  if (snapshot_corrupt) {
    if (Status st = compaction_.run(); !st.ok()) return st;
    return CatchUp::kReloaded;
  }
  if (Status st = snapshot_.remember(); !st.ok()) return st;
  return CatchUp::kReloaded;
}

void Recovery::note_warning(std::string text) {
  spdlog::warn("{}", text);
  notes_.push_back(std::move(text));
}

void Recovery::note_error(std::string text) {
  spdlog::error("{}", text);
  notes_.push_back(std::move(text));
}

}  // namespace storage
