// Recovery: brings the catalog up to date with the files (FORMAT.md "Loading and recovery"). At
// open and at the start of every call it applies what other processes appended to the journal, or
// reloads snapshot + journal when they compacted; the holder of the exclusive file lock also
// repairs: it removes or promotes a leftover snapshot tmp file, truncates a torn journal tail, and
// moves a damaged file aside ("<file>.corrupt-<time>") keeping every batch that verifies.
//
// What it repaired is kept as notes (StoreStats::recovery_notes) and logged.
// Not thread-safe: the Store holds it under its mutex; callers hold a file lock.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/clock.h"
#include "storage/index_file.h"
#include "storage/file_system.h"
#include "storage/journal.h"
#include "storage/snapshot_file.h"
#include "storage/snapshot_reader.h"
#include "storage/status.h"

namespace storage {

// What a catch-up did.
enum class CatchUp {
  kUpToDate,    // nothing new in the files
  kApplied,     // applied new journal batches
  kReloaded,    // reloaded snapshot + journal (another process compacted, or a repair)
  kNeedsRepair  // damage only the exclusive lock holder may repair: lock exclusively, call again
};

class Recovery {
 public:
  // `stopping` (set when the store closes) makes a long reload give up between segments.
  Recovery(FileSystem& fs, const Clock& clock, Catalog& catalog, SnapshotFile& snapshot, Journal& journal,
           IndexFile& index, const std::atomic<bool>& stopping)
      : fs_(fs), clock_(clock), catalog_(catalog), snapshot_(snapshot), journal_(journal), index_(index),
        stopping_(stopping) {}

  // True when the first catch-up will need the exclusive lock: a compaction that crashed left a
  // snapshot tmp file. Later catch-ups leave that to writers, which hold the exclusive lock anyway.
  bool needs_exclusive_lock() const;
  // Brings the catalog up to date. `exclusive`: the caller holds the exclusive file lock and
  // repairs; otherwise a shared one, and damage returns kNeedsRepair (the catalog is then
  // incomplete until the call is repeated with the exclusive lock).
  Result<CatchUp> catch_up(bool exclusive);
  // Cuts a torn journal tail off (caller holds the exclusive lock), with a note.
  Status truncate_torn_tail();

  const std::vector<std::string>& notes() const { return notes_; }
  // Where the last reload's ranked indexes came from: "index file", "rebuilt" ("" before one).
  const std::string& ranked_source() const { return ranked_source_; }

 private:
  Result<CatchUp> incremental(bool exclusive);
  Result<CatchUp> reload(bool exclusive);
  // Gives the catalog, loaded from the snapshot with ranking deferred, its ranked indexes: from
  // the index file when it describes this snapshot, else by analysing the segments (and then
  // writing the index file for the next load, when the snapshot verified whole).
  Status rank(const SnapshotLoad& snapshot, IndexFile::Prepared prepared);
  // Writes the catalog as the new snapshot, then moves the damaged files aside (their new names).
  Status repair(bool snapshot_damaged, bool journal_damaged, std::string& snapshot_aside, std::string& journal_aside);
  Status remove_leftover_tmp();
  void note_warning(std::string text);
  void note_error(std::string text);

  FileSystem& fs_;
  const Clock& clock_;
  Catalog& catalog_;
  SnapshotFile& snapshot_;
  Journal& journal_;
  IndexFile& index_;
  const std::atomic<bool>& stopping_;
  std::vector<std::string> notes_;
  std::string ranked_source_;
  bool caught_up_ = false;  // a catch-up has succeeded
  bool repair_pending_ = false;       // damage found that could not be repaired (read-only store)
  uint64_t pending_journal_size_ = 0;  // the journal's size then: unchanged means nothing new
};

}  // namespace storage
