// Store: the storage engine (DESIGN §3). Active ("working") segments are this process's own (durable
// under a session, FORMAT.md "Sessions"; memory only without one); stashed segments are durable in
// a snapshot + journal shared by every process on the same path.
//
// Contract:
// - Every call is scoped to a project; "*" (reads only) means every project.
// - Failures are values. A failed write leaves memory and disk as they were.
// - A write returns only after its journal line is durable (sync=always).
// - Thread-safe. Multi-process safe: each call first catches up with other processes' writes.
// - open() returns at once; the files load on a background thread and the first call waits.
// The engine's parts and which file owns what: "Code map" in storage/FORMAT.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/file_system.h"
#include "storage/search/search_types.h"
#include "storage/segment.h"
#include "storage/segment_edit.h"
#include "storage/status.h"
#include "storage/verify.h"

namespace storage {

struct StoreState;  // the engine's parts: store_state.h

enum class SyncMode { kAlways, kNever };

struct StoreOptions {
  std::string path;  // the snapshot file (storage.json); see resolve_storage_path()
  SyncMode sync = SyncMode::kAlways;
  SegmentLimits limits;
  uint64_t compact_min_journal_bytes = 4u << 20;  // compact when journal > max(this, snapshot/2)
  // A write that finds a compaction due forks it into the background (Compaction::start_background)
  // instead of running it before it returns; a later write swaps its result in. Off: it runs in
  // the write (the CLI's one-shot commands, and fault-injection tests, whose fake file system
  // the child cannot report back from).
  bool compact_in_background = true;
  FileSystem* fs = nullptr;     // default: posix_file_system()
  const Clock* clock = nullptr; // default: a SystemClock
  // Longest wait for another process's file lock; then the call fails with a storage error
  // naming the holder (a stopped or hung process never hangs this one).
  std::chrono::milliseconds lock_timeout{10000};
  // Working segments this process may hold (all projects); more is LIMIT_EXCEEDED.
  size_t max_working_segments = 10000;
  // This server process's session (FORMAT.md "Sessions"): its working set is durable and ends up
  // in the stash however the process ends. Empty: a memory-only working set (the CLI).
  std::string session_id;
};

// OUT_OF_CONTEXT_STORAGE_PATH semantics: empty -> ~/.out_of_context/storage.json; an existing
// directory or a path ending in '/' -> <dir>/storage.json. `home` is $HOME.
std::string resolve_storage_path(const std::string& configured, const std::string& home);

// In the message of a storage error when a write failed and so did its undo (issue 10 #12): the
// write may still be applied (by the next call's catch-up), so "nothing was changed" is not true.
inline constexpr const char* kOutcomeUnknown = "whether the write was applied is unknown";

// Another segment of the project whose text duplicates a written one (issue 11 #5; the rules and
// thresholds are in storage/duplicates.h).
struct Duplicate {
  enum class Kind { kExact, kNear };
  std::string segment_id;
  Tier tier = Tier::kStashed;
  Kind kind = Kind::kExact;
  double similarity = 1.0;  // Jaccard similarity of the analysed term sets; 1 when exact
  bool operator==(const Duplicate&) const = default;
};
// "exact", "near"
std::string_view to_string(Duplicate::Kind kind);

struct StoredSegment {
  std::string segment_id;
  int64_t tokens = 0;
  bool replaced = false;  // an existing segment with this id was updated
  int64_t revision = 1;   // the revision this call gave it
  // Unsuperseded segments of the same project, in the stash or this working set, with the same or
  // nearly the same text: at most 5, exact first, then by similarity. Empty for a dry run.
  std::vector<Duplicate> duplicates{};
};

struct StoreOutcome {
  std::vector<StoredSegment> stored;
  int64_t active_tokens = 0;  // working-set total for the project after the call
};

struct StashOutcome {
  std::vector<StoredSegment> stashed;
  std::vector<std::string> not_found;  // ids named but not in the working set
  int64_t tokens_freed = 0;
  int64_t active_tokens = 0;
  int64_t stashed_tokens = 0;  // project total after the call
  bool dry_run = false;
};

struct RetrieveOutcome {
  std::vector<Segment> segments;        // full segments, in the order asked
  std::vector<std::string> not_found;
  std::vector<std::string> omitted;     // found but left out by max_tokens
  int64_t tokens = 0;
  int64_t active_tokens = 0;
};

struct DeleteOutcome {
  struct Deleted {
    std::string segment_id;
    std::vector<Tier> tiers;
  };
  std::vector<Deleted> deleted;
  std::vector<std::string> not_found;
  // Ids with a stashed copy that this call left alone (it deleted from the working set only).
  std::vector<std::string> kept_stashed;
};

struct EditOutcome {
  std::string segment_id;
  int64_t revision = 1;  // after the edit
  int64_t tokens = 0;
  int64_t lines = 0;     // of the new text
};

struct ProjectInfo {
  std::string project_id;
  size_t active_count = 0;
  int64_t active_tokens = 0;
  size_t stashed_count = 0;
  int64_t stashed_tokens = 0;
  std::string last_updated;  // newest last_touched_at over both tiers; empty if none
  std::string root_path;     // the root directory bound by claim_project(); empty if none
};

struct StoreStats {
  std::string path;
  std::string journal_path;
  uint64_t snapshot_bytes = 0;
  uint64_t journal_bytes = 0;
  uint64_t journal_seq = 0;
  size_t projects = 0;
  size_t stashed_segments = 0;
  int64_t stashed_tokens = 0;
  size_t active_segments = 0;
  size_t index_postings = 0;
  size_t index_bytes = 0;
  std::vector<std::string> recovery_notes;  // what load() had to repair (moved-aside files, ...)
  int64_t background_compaction_pid = 0;   // the child writing the next snapshot (0: none running)
  std::string ranked_index_source;          // where the last load took the ranked indexes from: "index file", "rebuilt"
};

class Store {
 public:
  // Returns at once; loading runs on a background thread (errors surface on the first call).
  static std::unique_ptr<Store> open(StoreOptions options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Blocks until loaded; the load status (ok, or why the store is unusable).
  Status wait_until_loaded();
  // The clock that stamps created_at / last_touched_at (StoreOptions::clock).
  const Clock& clock() const;

  // --- working set (this process only; durable under StoreOptions::session_id) ---
  // A draft's `supersedes` marks those segments superseded_by it (see stash()); that part is
  // durable even without a session.
  Result<StoreOutcome> store_segments(const std::string& project, std::vector<SegmentDraft> drafts);
  Result<std::vector<Segment>> load_segments(const std::string& project);  // "*" allowed
  Result<int64_t> active_tokens(const std::string& project);  // "*": this process's whole working set

  // --- stash (durable, shared) ---
  // Moves `ids` from the working set and stores+stashes `inline_drafts` in one journal batch.
  // Unknown ids go to not_found; invalid drafts fail the whole call. dry_run changes nothing.
  // Drafts' `supersedes` mark those segments (stash and this working set) superseded_by the draft's
  // id in the same batch; an unknown id is not_found and fails the call (as in store_segments).
  Result<StashOutcome> stash(const std::string& project, const std::vector<std::string>& ids,
                             std::vector<SegmentDraft> inline_drafts, bool dry_run = false);
  Result<SearchPage> search_stashed(const SearchRequest& request);
  // Full stashed segments by id ("*" looks in every project, first match by project id order).
  // `restore` copies them into the working set. `max_tokens` (0 = no limit) stops before exceeding.
  Result<RetrieveOutcome> retrieve(const std::string& project, const std::vector<std::string>& ids,
                                   bool restore, int64_t max_tokens);
  // A pinned segment in a tier to delete from fails the whole call (invalid_argument naming the
  // pins) unless `force` (issue 11 #1: pins protect). Segments superseded by a deleted id that no
  // longer exists in either tier lose the mark in the same batch (they come back into search and
  // the primer).
  Result<DeleteOutcome> delete_segments(const std::string& project,
                                        const std::vector<std::string>& ids,
                                        std::optional<Tier> tier /* nullopt: both */, bool force = false);
  // Edits stashed segment `id` in place (issue 11 #4) under the exclusive file lock, after catching
  // up: `expected_revision` must be its current revision, else conflict naming the current one. One
  // put: revision + 1, tokens estimated anew, last_touched_at now, created_at kept. not_found when
  // the stash has no such id; invalid_argument for a bad change or an edit that empties the text;
  // limit_exceeded past the segment size limit.
  Result<EditOutcome> edit(const std::string& project, const std::string& id, int64_t expected_revision,
                           const EditChange& change);
  // One segment of one tier, or nullopt when that tier has no such id.
  Result<std::optional<Segment>> get(const std::string& project, const std::string& id, Tier tier);

  // --- the specification's single-segment interface (spec/storage-layer.md) ---
  Status store_segment(const SegmentDraft& draft, const std::string& project);
  Status stash_segment(const SegmentDraft& draft, const std::string& project);
  Status delete_segment(const std::string& id, const std::string& project);

  // --- sessions (FORMAT.md "Sessions") ---
  // Moves this session's whole working set (every project) to the stash in one batch, tagged
  // "unstashed" and "session:<id>", and releases the session. Returns how many segments moved.
  // Idempotent; returns 0 at once (without waiting for the load) when nothing was ever stored.
  Result<size_t> end_session();
  // Recovers the dead sessions with working segments in `project`, then copies every working
  // segment of `project` of every live session into the stash with the same tags, skipping those
  // whose stashed copy is already identical. Returns how many segments were stashed.
  Result<size_t> checkpoint_working(const std::string& project);
  // The project id bound to `root_path` (realpath'd by the caller): the existing binding; else
  // `wanted_id` when no project of that id has a different root path (binding it); else
  // "<wanted>-<parent dir name>", then "-2", "-3"... Durable.
  Result<std::string> claim_project(const std::string& wanted_id, const std::string& root_path);

  // --- whole store ---
  Result<std::vector<ProjectInfo>> list_projects();
  Result<StoreStats> stats();
  // Compacts now (after letting a background compaction finish and swap in).
  Status compact();
  // Kills a background compaction and removes its files: the process is about to end without
  // destroying the store (a fast exit). Safe to call at any time.
  void abandon_background_compaction();
  // Every stashed segment, projects and ids in order (for export).
  Result<std::vector<Segment>> export_stashed(const std::string& project /* "*" for all */);
  // Stashes complete segments as they are (created_at kept), in one batch (for import).
  Result<size_t> import_stashed(std::vector<Segment> segments);

  // Reads the files and reports damage without repairing anything (ooc verify).
  static VerifyReport verify(const std::string& path, FileSystem& fs, const VerifyProgress& progress = {});

 private:
  explicit Store(std::unique_ptr<StoreState> state);
  std::unique_ptr<StoreState> state_;
};

}  // namespace storage
