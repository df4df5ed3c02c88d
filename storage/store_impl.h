// Private state of storage::Store, shared by store.cpp (writes), store_load.cpp (loading,
// catching up, compaction) and store_search.cpp (reads). Not part of the engine's API.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/journal.h"
#include "storage/metadata_index.h"
#include "storage/search/ranked_index.h"
#include "storage/search/snippet.h"
#include "storage/snapshot.h"
#include "storage/store.h"

namespace storage {

struct ProjectState {
  SegmentMap stashed;   // durable, shared by every process
  SegmentMap working;   // this process only
  MetadataIndex metadata;  // over stashed
  RankedIndex ranked;      // over stashed
  int64_t stashed_tokens = 0;
  int64_t active_tokens = 0;
};

struct Store::Impl {
  StoreOptions options;
  FileSystem* fs = nullptr;
  const Clock* clock = nullptr;
  std::unique_ptr<Clock> owned_clock;
  std::string journal_path;
  std::string lock_path;

  // Loading (background thread).
  std::thread loader;
  std::mutex load_mu;
  std::condition_variable load_cv;
  bool loaded = false;
  Status load_status;
  // Set by ~Store: a load still running gives up between segments, so a server whose client has
  // gone exits at once instead of finishing a long index build nobody will use.
  std::atomic<bool> closing{false};

  // Engine state, guarded by mu.
  std::mutex mu;
  std::map<std::string, ProjectState> projects;
  uint64_t last_seq = 0;            // newest batch applied
  uint64_t journal_offset = 0;      // bytes of the journal applied (valid prefix)
  bool journal_torn = false;        // bytes past journal_offset are a torn tail
  bool catch_up_done = false;  // the first (loading) catch-up succeeded
  FileInfo snapshot_seen;  // as last loaded: a change means another process compacted
  uint64_t snapshot_bytes = 0;
  std::vector<std::string> recovery_notes;
  uint64_t id_counter = 0;

  // --- store_load.cpp ---
  void load();  // background thread body
  // Bringing memory up to date with the files. Caller holds mu and a file lock (shared or
  // exclusive); only the exclusive holder repairs (tmp files, torn tails, damaged files).
  // Returns with repair_needed set when damage needs the exclusive lock to repair.
  Status full_or_incremental(bool exclusive, bool& repair_needed);
  Status full_reload(bool exclusive, bool& repair_needed);
  Status handle_leftover_tmp();
  Status truncate_torn_tail();
  // Writes a snapshot of the stashed state and empties the journal. Caller holds the exclusive lock.
  Status compact_locked();
  Status maybe_compact_locked();

  // --- store.cpp ---
  ProjectState& project(const std::string& id) { return projects[id]; }
  void apply(const JournalBatch& batch);
  void put_stashed(Segment segment);
  void erase_stashed(const std::string& project, const std::string& id);
  // lock + catch up; for reads (shared) or writes (exclusive). Caller holds mu.
  Result<std::unique_ptr<FileLock>> lock_and_catch_up(bool exclusive);
  // Appends one batch durably and applies it. Caller holds mu and the exclusive lock.
  Status commit_locked(std::vector<JournalOp> ops);
  std::string now() const;
  std::string generate_id();
  Result<Segment> build_segment(SegmentDraft draft, const std::string& project, const Segment* existing,
                                std::string_view where);
};

// Moves `path` aside to "<path>.corrupt-<UTC timestamp>"; returns the new name (or an error).
Result<std::string> move_aside(FileSystem& fs, const std::string& path, int64_t now_ms);

}  // namespace storage
