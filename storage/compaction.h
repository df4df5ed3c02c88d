// Compaction (FORMAT.md "Compaction"): writes the catalog's stashed tier as a new snapshot at
// last_seq, then empties the journal. A crash between the two loses nothing: journal lines at or
// below the snapshot's journal_seq are skipped at load. Then it writes the index file for the new
// snapshot (index_file.h); failing that only makes the next load slower.
//
// Not thread-safe: the Store holds it under its mutex, and callers hold the exclusive file lock.
#pragma once

#include <cstdint>

#include "storage/catalog.h"
#include "storage/index_file.h"
#include "storage/journal.h"
#include "storage/snapshot_file.h"
#include "storage/status.h"

namespace storage {

class Compaction {
 public:
  // Compacts when the journal outgrows max(min_journal_bytes, snapshot size / 2).
  Compaction(const Catalog& catalog, SnapshotFile& snapshot, Journal& journal, IndexFile& index,
             uint64_t min_journal_bytes)
      : catalog_(catalog), snapshot_(snapshot), journal_(journal), index_(index), min_journal_bytes_(min_journal_bytes) {}

  bool due() const;
  Status run();

  // Backoff of the write path's compactions (issue 10 #17): after a failed run, backoff_over()
  // is false until 1 s << (failures - 1), at most 5 minutes, has passed since it; a success
  // resets it. Times are the store's Clock's milliseconds.
  bool backoff_over(int64_t now_ms) const { return now_ms >= retry_at_ms_; }
  void note_outcome(bool ok, int64_t now_ms);

 private:
  const Catalog& catalog_;
  SnapshotFile& snapshot_;
  Journal& journal_;
  IndexFile& index_;
  const uint64_t min_journal_bytes_;
  int failures_ = 0;
  int64_t retry_at_ms_ = INT64_MIN;
};

}  // namespace storage
