// Compaction (FORMAT.md "Compaction"): writes the catalog's stashed tier as a new snapshot at
// last_seq, then empties the journal. A crash between the two loses nothing: journal lines at or
// below the snapshot's journal_seq are skipped at load.
//
// Not thread-safe: the Store holds it under its mutex, and callers hold the exclusive file lock.
#pragma once

#include <cstdint>

#include "storage/catalog.h"
#include "storage/journal.h"
#include "storage/snapshot_file.h"
#include "storage/status.h"

namespace storage {

class Compaction {
 public:
  // Compacts when the journal outgrows max(min_journal_bytes, snapshot size / 2).
  Compaction(const Catalog& catalog, SnapshotFile& snapshot, Journal& journal, uint64_t min_journal_bytes)
      : catalog_(catalog), snapshot_(snapshot), journal_(journal), min_journal_bytes_(min_journal_bytes) {}

  bool due() const;
  Status run();

 private:
  const Catalog& catalog_;
  SnapshotFile& snapshot_;
  Journal& journal_;
  const uint64_t min_journal_bytes_;
};

}  // namespace storage
