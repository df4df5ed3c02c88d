// Compaction (FORMAT.md "Compaction"): writes the catalog's stashed tier as a new snapshot at
// last_seq, then empties the journal. A crash between the two loses nothing: journal lines at or
// below the snapshot's journal_seq are skipped at load. Then it writes the index file for the new
// snapshot (index_file.h); failing that only makes the next load slower.
//
// Not thread-safe: the Store holds it under its mutex, and callers hold the exclusive file lock.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "storage/catalog.h"
#include "storage/file_system.h"
#include "storage/index_file.h"
#include "storage/journal.h"
#include "storage/snapshot_file.h"
#include "storage/status.h"

namespace storage {

class Compaction {
 public:
  // Compacts when the journal outgrows max(min_journal_bytes, snapshot size / 2).
  Compaction(FileSystem& fs, const Catalog& catalog, SnapshotFile& snapshot, Journal& journal, IndexFile& index,
             uint64_t min_journal_bytes)
      : fs_(fs), catalog_(catalog), snapshot_(snapshot), journal_(journal), index_(index),
        min_journal_bytes_(min_journal_bytes) {}
  ~Compaction() { abandon(); }
  Compaction(const Compaction&) = delete;
  Compaction& operator=(const Compaction&) = delete;

  // The journal's live bytes (after what the snapshot holds) outgrow the threshold.
  bool due() const;
  // Compacts now, in this thread (the exclusive lock is held throughout).
  Status run();

  // --- in the background (issue 9: no write waits for a compaction) ---
  // Forks a child that writes the next snapshot (`<snapshot>.compact-<pid>`, streamed, fsynced)
  // and its index file (`<index>.compact-<pid>`) from the copy-on-write image of this process at
  // last_seq, while this process (and every other) goes on writing to the journal. finish()
  // swaps them in. Caller holds the exclusive lock, caught up; no child may be running.
  Status start_background();
  bool running() const { return child_ > 0; }
  pid_t child_pid() const { return child_; }
  // The same, readable without the store's mutex (a fast exit must not wait for a load).
  bool maybe_running() const { return child_running_.load(); }
  enum class Outcome { kRunning, kSwapped, kDiscarded };
  // When the child is done (with `wait`, after waiting for it): renames its snapshot over the
  // old one, cuts the journal to the batches written since (Journal::keep_from), renames its
  // index file; or discards its files when another process compacted meanwhile. An error when
  // the child failed or a step failed (its files are removed; nothing acknowledged is lost: the
  // old snapshot and the whole journal stay valid at every step). Caller holds the exclusive
  // lock, caught up.
  Result<Outcome> finish(bool wait);
  // Kills a running child and removes its files (the store is closing).
  void abandon();

  // Backoff of the write path's compactions (issue 10 #17): after a failed run, backoff_over()
  // is false until 1 s << (failures - 1), at most 5 minutes, has passed since it; a success
  // resets it. Times are the store's Clock's milliseconds.
  bool backoff_over(int64_t now_ms) const { return now_ms >= retry_at_ms_; }
  void note_outcome(bool ok, int64_t now_ms);

 private:
  void remove_child_files();

  FileSystem& fs_;
  const Catalog& catalog_;
  SnapshotFile& snapshot_;
  Journal& journal_;
  IndexFile& index_;
  const uint64_t min_journal_bytes_;
  // The running child (0: none), what it was started from, and where it writes.
  pid_t child_ = 0;
  std::atomic<bool> child_running_{false};
  FileInfo child_base_;                 // the snapshot it replaces
  uint64_t child_journal_offset_ = 0;   // the journal's applied end at the fork: batches <= its seq
  // Journal bytes the snapshot holds but that were left in the file (a swap whose tail was too
  // big to copy quickly); skipped at load by seq, dropped by the next swap.
  uint64_t dead_journal_bytes_ = 0;
  FileInfo dead_for_;  // the snapshot they apply to (another one: a reload made them moot)
  std::string child_snapshot_;
  std::string child_index_;
  int failures_ = 0;
  int64_t retry_at_ms_ = INT64_MIN;
};

}  // namespace storage
