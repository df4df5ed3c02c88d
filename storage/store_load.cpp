// Loading, catching up with other processes, recovery and compaction (DESIGN §3, FORMAT.md).
#include <spdlog/spdlog.h>

#include "storage/store_impl.h"
#include "storage/time_format.h"

namespace storage {
namespace {

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
}

}  // namespace

Result<std::string> move_aside(FileSystem& fs, const std::string& path, int64_t now_ms) {
  std::string stamp = format_rfc3339_ms(now_ms);
  for (char& c : stamp) {
    if (c == ':') c = '-';
  }
  const std::string target = path + ".corrupt-" + stamp;
  if (Status st = fs.rename(path, target); !st.ok()) return st;
  return target;
}

void Store::Impl::load() {
  Status st = fs->create_directories(directory_of(options.path));
  if (st.ok()) {
    std::lock_guard guard(mu);
    auto lock = lock_and_catch_up(false);
    st = lock.ok() ? Status::ok_status() : lock.status();
  }
  if (!st.ok() && !closing) spdlog::error("cannot load the store at {}: {}", options.path, st.to_string());
  {
    std::lock_guard guard(load_mu);
    load_status = st;
    loaded = true;
  }
  load_cv.notify_all();
}

Result<std::unique_ptr<FileLock>> Store::Impl::lock_and_catch_up(bool exclusive) {
  // A leftover tmp file (a compaction that crashed) needs a repair, so the exclusive lock. Checked
  // by the first load only, not on every read: writers remove one too (handle_leftover_tmp).
  if (!exclusive && !catch_up_done) {
    auto tmp = fs->stat(options.path + ".tmp");
    if (tmp.ok() && tmp->exists) exclusive = true;
  }
  auto lock = fs->lock(lock_path, exclusive ? LockMode::kExclusive : LockMode::kShared);
  if (!lock.ok()) return lock.status();
  bool repair_needed = false;
  Status st = exclusive ? full_or_incremental(true, repair_needed) : full_or_incremental(false, repair_needed);
  if (!st.ok()) return st;
  if (repair_needed) {
    lock.value().reset();
    lock = fs->lock(lock_path, LockMode::kExclusive);
    if (!lock.ok()) return lock.status();
    snapshot_seen = FileInfo{true, 0, 0, 0, -1, false};  // matches no real file: forces a full reload
    if (Status again = full_or_incremental(true, repair_needed); !again.ok()) return again;
  }
  catch_up_done = true;
  return lock;
}

Status Store::Impl::full_or_incremental(bool exclusive, bool& repair_needed) {
  repair_needed = false;
  if (exclusive) {
    if (Status st = handle_leftover_tmp(); !st.ok()) return st;
  }
  auto snap = fs->stat(options.path);
  if (!snap.ok()) return snap.status();
  if (*snap != snapshot_seen) return full_reload(exclusive, repair_needed);
  auto journal = fs->stat(journal_path);
  if (!journal.ok()) return journal.status();
  if (!journal->exists) return journal_offset == 0 ? Status::ok_status() : full_reload(exclusive, repair_needed);
  if (journal->size < journal_offset) return full_reload(exclusive, repair_needed);
  if (journal->size == journal_offset) {
    journal_torn = false;
    return Status::ok_status();
  }
  auto bytes = fs->read_range(journal_path, journal_offset, journal->size - journal_offset);
  if (!bytes.ok()) return bytes.status();
  JournalScan scan = scan_journal(*bytes, journal_offset);
  if (!scan.corrupt.empty() || (!scan.batches.empty() && scan.batches.front().seq != last_seq + 1)) {
    return full_reload(exclusive, repair_needed);  // damaged, or rewritten by a compaction
  }
  for (const JournalBatch& batch : scan.batches) apply(batch);
  journal_offset = scan.valid_end;
  journal_torn = scan.torn_tail;
  if (journal_torn && exclusive) return truncate_torn_tail();
  return Status::ok_status();
}

Status Store::Impl::handle_leftover_tmp() {
  const std::string tmp = options.path + ".tmp";
  auto info = fs->stat(tmp);
  if (!info.ok() || !info->exists) return info.ok() ? Status::ok_status() : info.status();
  auto snap = fs->stat(options.path);
  if (!snap.ok()) return snap.status();
  if (!snap->exists) {
    auto bytes = fs->read_file(tmp);
    if (bytes.ok() && decode_snapshot(*bytes).ok()) {
      recovery_notes.push_back("promoted " + tmp + " (complete) to the snapshot, which was missing");
      spdlog::warn("{}", recovery_notes.back());
      return fs->rename(tmp, options.path);
    }
  }
  recovery_notes.push_back("removed leftover " + tmp + " (an interrupted compaction)");
  spdlog::warn("{}", recovery_notes.back());
  return fs->remove(tmp);
}

Status Store::Impl::truncate_torn_tail() {
  if (Status st = fs->truncate(journal_path, journal_offset, options.sync == SyncMode::kAlways); !st.ok()) return st;
  recovery_notes.push_back("truncated a torn journal tail at byte " + std::to_string(journal_offset));
  spdlog::warn("{}", recovery_notes.back());
  journal_torn = false;
  return Status::ok_status();
}

Status Store::Impl::full_reload(bool exclusive, bool& repair_needed) {
  auto snap_info = fs->stat(options.path);
  if (!snap_info.ok()) return snap_info.status();
  SnapshotData data;
  bool snapshot_corrupt = false;
  if (snap_info->exists) {
    auto bytes = fs->read_file(options.path);
    if (!bytes.ok()) {
      if (bytes.status().code() != Status::Code::kNotFound) return bytes.status();
    } else {
      auto decoded = decode_snapshot(*bytes);
      if (decoded.ok()) {
        data = std::move(decoded).value();
      } else {
        if (!exclusive) {
          repair_needed = true;
          return Status::ok_status();
        }
        snapshot_corrupt = true;
        auto aside = move_aside(*fs, options.path, clock->now_ms());
        if (!aside.ok()) return aside.status();
        recovery_notes.push_back("snapshot " + options.path + " is damaged (" + decoded.status().message() +
                                 "); moved aside to " + *aside + "; starting from the journal");
        spdlog::error("{}", recovery_notes.back());
      }
    }
  }
  // Reset the stashed tier; working sets are this process's own and stay.
  for (auto& [id, p] : projects) {
    p.ranked = RankedIndex();
    p.metadata.clear();
    p.stashed.clear();
    p.stashed_tokens = 0;
  }
  last_seq = data.journal_seq;
  for (auto& [project_id, segments] : data.projects) {
    for (Segment& s : segments) {
      if (closing.load(std::memory_order_relaxed)) return Status::io_error("the store is closing");
      s.project_id = project_id;
      put_stashed(std::move(s));
    }
  }
  journal_offset = 0;
  journal_torn = false;
  auto journal = fs->read_file(journal_path);
  if (!journal.ok() && journal.status().code() != Status::Code::kNotFound) return journal.status();
  if (journal.ok()) {
    JournalScan scan = scan_journal(*journal, 0);
    if (!scan.corrupt.empty() && !exclusive) {
      repair_needed = true;
      return Status::ok_status();
    }
    for (const JournalBatch& batch : scan.batches) {
      if (batch.seq > last_seq) apply(batch);
    }
    journal_offset = scan.valid_end;
    journal_torn = scan.torn_tail;
    if (!scan.corrupt.empty()) {
      auto aside = move_aside(*fs, journal_path, clock->now_ms());
      if (!aside.ok()) return aside.status();
      std::string where;
      for (const auto& c : scan.corrupt) where += (where.empty() ? "" : "; ") + c;
      recovery_notes.push_back("journal " + journal_path + " is damaged (" + where + "); moved aside to " + *aside +
                               "; kept every batch that verified");
      spdlog::error("{}", recovery_notes.back());
      journal_offset = 0;
      journal_torn = false;
      return compact_locked();
    }
    if (journal_torn && exclusive) {
      if (Status st = truncate_torn_tail(); !st.ok()) return st;
    }
  }
  if (snapshot_corrupt) return compact_locked();
  auto after = fs->stat(options.path);
  if (!after.ok()) return after.status();
  snapshot_seen = *after;
  snapshot_bytes = after->size;
  return Status::ok_status();
}

Status Store::Impl::compact_locked() {
  std::map<std::string, const SegmentMap*> view;
  for (const auto& [id, p] : projects) {
    if (!p.stashed.empty()) view[id] = &p.stashed;
  }
  const std::string bytes = encode_snapshot(last_seq, view);
  if (Status st = fs->write_file_atomically(options.path, bytes); !st.ok()) return st;
  // The snapshot now holds every batch up to last_seq; journal lines <= last_seq are skipped at
  // load, so a crash before this truncation loses nothing.
  auto journal = fs->stat(journal_path);
  if (!journal.ok()) return journal.status();
  if (journal->exists) {
    if (Status st = fs->truncate(journal_path, 0, options.sync == SyncMode::kAlways); !st.ok()) return st;
  }
  journal_offset = 0;
  journal_torn = false;
  auto after = fs->stat(options.path);
  if (!after.ok()) return after.status();
  snapshot_seen = *after;
  snapshot_bytes = after->size;
  return Status::ok_status();
}

Status Store::Impl::maybe_compact_locked() {
  const uint64_t threshold = std::max(options.compact_min_journal_bytes, snapshot_bytes / 2);
  if (journal_offset <= threshold) return Status::ok_status();
  return compact_locked();
}

}  // namespace storage
