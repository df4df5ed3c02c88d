// IndexFile: `storage.json.index`, the ranked indexes of every project as of one snapshot
// (FORMAT.md "Index file"), so that a process loading the store skips analysing every segment's
// text again (that was four fifths of a load). A cache, never the record: the snapshot and the
// journal are. A missing, stale, torn or damaged index file is rebuilt from the segments; it can
// make a load slower, never wrong.
//
// Written by compaction (holding the exclusive lock, right after the snapshot it describes), and
// by a load that had to rebuild. Each writer stages its bytes in `<path>.tmp-<pid>` and renames
// them over the file, so writers never see each other's half-written bytes; no fsync, because a
// file torn by a power loss fails its checksum and is rebuilt.
//
// Not thread-safe: the Store holds it under its mutex.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/catalog.h"
#include "storage/file_system.h"
#include "storage/status.h"

namespace storage {

// Which snapshot an index file describes: its verified whole-file checksum, size and journal_seq.
struct IndexIdentity {
  uint64_t snapshot_checksum = 0;
  uint64_t snapshot_size = 0;
  uint64_t journal_seq = 0;
  bool operator==(const IndexIdentity&) const = default;
};

// The identity of snapshot `bytes` as encode_snapshot() wrote them (its trailer's checksum).
Result<IndexIdentity> identity_of_snapshot(std::string_view bytes, uint64_t journal_seq);

class IndexFile {
 public:
  IndexFile(FileSystem& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // The file read, verified and decoded, not yet bound to segments. prepare() touches nothing but
  // the file, so it may run on another thread while the snapshot loads.
  struct Prepared {
    Status status;  // not_found: no file; corruption: torn, damaged or another format
    IndexIdentity identity;
    std::vector<std::pair<std::string, RankedIndex>> projects;
  };
  Prepared prepare() const;
  // Gives every project of `catalog` (loaded from the snapshot with ranking deferred) its ranked
  // index from `prepared`. corruption when it describes another snapshot (stale) or does not
  // match the catalog's segments: the caller then ranks the segments itself (Catalog::rank_all).
  // Never touches the file.
  Status install(Prepared prepared, const IndexIdentity& identity, Catalog& catalog) const;
  // Writes the catalog's ranked indexes as describing `identity`. The catalog's stashed tier must
  // be exactly that snapshot. Removes staging files that crashed writers left.
  Status save(const IndexIdentity& identity, const Catalog& catalog);
  // Ok when save() may replace what is at path(): nothing, or a file this store wrote.
  Status check_replaceable() const;
  // Writes the catalog's ranked indexes to `file` (replaced if there; not renamed anywhere).
  Status write_to(const std::string& file, const IndexIdentity& identity, const Catalog& catalog) const;

 private:

  FileSystem& fs_;
  const std::string path_;
};

}  // namespace storage
