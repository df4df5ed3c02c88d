// Journal: the journal file (FORMAT.md) and how much of it the catalog has applied. Appends one
// encoded batch per commit; keeps the end of the valid prefix and whether bytes past it are a
// torn tail (an append that failed or a crash left half a line), which must be cut off before the
// next append. The line format is journal_codec.h.
//
// Not thread-safe: the Store holds it under its mutex; other processes are kept out by the file
// lock its callers hold (shared to read, exclusive to append or truncate).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "storage/file_system.h"
#include "storage/journal_codec.h"
#include "storage/status.h"

namespace storage {

class Journal {
 public:
  // `sync`: every append and truncation reaches the disk before it returns (sync=always).
  Journal(FileSystem& fs, std::string path, bool sync) : fs_(fs), path_(std::move(path)), sync_(sync) {}

  const std::string& path() const { return path_; }
  uint64_t offset() const { return offset_; }  // bytes applied: the end of the valid prefix
  bool torn() const { return torn_; }          // bytes past offset() are a torn tail

  // Appends `batch` as one line (durable when sync). On failure part of the line may be on disk:
  // it is cut off again, and when even that fails torn() is set for the next access to repair and
  // the error says kOutcomeUnknown (store.h).
  Status append(const JournalBatch& batch);
  // Cuts the file at offset(); clears torn().
  Status truncate_torn_tail();
  // Empties the file (when it exists): a compaction has put every batch in the snapshot.
  Status clear();
  // Replaces the file by its applied bytes from `from` on (a background compaction's snapshot
  // holds the batches before), atomically: tmp + fsync + rename, or a truncation when none.
  Status keep_from(uint64_t from);

  Result<FileInfo> stat() const { return fs_.stat(path_); }
  Result<std::string> read_all() const { return fs_.read_file(path_); }
  // The bytes from offset() to `file_size`.
  Result<std::string> read_unapplied(uint64_t file_size) const;
  // Records how far the catalog has applied the file, and whether a torn tail follows.
  void set_applied(uint64_t valid_end, bool torn) {
    offset_ = valid_end;
    torn_ = torn;
  }

 private:
  FileSystem& fs_;
  const std::string path_;
  const bool sync_;
  uint64_t offset_ = 0;
  bool torn_ = false;
};

}  // namespace storage
