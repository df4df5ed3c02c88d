// Engine: what a storage engine implements below Store (issue 14). Store (store.h) is the API every
// caller uses; it adds the engine-independent calls on top. Two engines: the file engine
// (file_engine.h: snapshot + journal, the default) and, later, PostgreSQL (storage/pg/).
//
// Contract of every engine (DESIGN §3):
// - Every call is scoped to a project; "*" (reads only) means every project. Project ids match
//   ignoring ASCII case and keep the case first written.
// - Failures are values. A failed write leaves the store as it was, or says its outcome is
//   unknown (kOutcomeUnknown).
// - A write returns only after it is durable.
// - Thread-safe, and safe with other processes (and machines, for a shared engine) writing the
//   same store: each call first catches up with their writes.
// - Active ("working") segments are this process's session's own (durable under a session);
//   stashed segments are shared.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/search/search_types.h"
#include "storage/segment.h"
#include "storage/segment_edit.h"
#include "storage/status.h"
#include "storage/store_types.h"

namespace storage {

class Engine {
 public:
  virtual ~Engine() = default;

  // Blocks until loaded; the load status (ok, or why the store is unusable).
  virtual Status wait_until_loaded() = 0;
  // The clock that stamps created_at / last_touched_at (StoreOptions::clock).
  virtual const Clock& clock() const = 0;

  // --- working set (this process only; durable under StoreOptions::session_id) ---
  // A draft's `supersedes` marks those segments superseded_by it (see stash()); that part is
  // durable even without a session.
  virtual Result<StoreOutcome> store_segments(const std::string& project, std::vector<SegmentDraft> drafts) = 0;
  virtual Result<std::vector<Segment>> load_segments(const std::string& project) = 0;  // "*" allowed
  // "*": this process's whole working set.
  virtual Result<int64_t> active_tokens(const std::string& project) = 0;

  // --- stash (durable, shared) ---
  // Moves `ids` from the working set and stores+stashes `inline_drafts` in one journal batch.
  // Unknown ids go to not_found; invalid drafts fail the whole call. dry_run changes nothing.
  // Drafts' `supersedes` mark those segments (stash and this working set) superseded_by the draft's
  // id in the same batch; an unknown id is not_found and fails the call (as in store_segments).
  virtual Result<StashOutcome> stash(const std::string& project, const std::vector<std::string>& ids,
                                     std::vector<SegmentDraft> inline_drafts, bool dry_run) = 0;
  virtual Result<SearchPage> search_stashed(const SearchRequest& request) = 0;
  // Full stashed segments by id ("*" looks in every project, first match by project id order).
  // `restore` copies them into the working set. `max_tokens` (0 = no limit) stops before exceeding.
  virtual Result<RetrieveOutcome> retrieve(const std::string& project, const std::vector<std::string>& ids,
                                           bool restore, int64_t max_tokens) = 0;
  // A pinned segment in a tier to delete from fails the whole call (invalid_argument naming the
  // pins) unless `force` (issue 11 #1: pins protect). Segments superseded by a deleted id that no
  // longer exists in either tier lose the mark in the same batch (they come back into search and
  // the primer).
  virtual Result<DeleteOutcome> delete_segments(const std::string& project, const std::vector<std::string>& ids,
                                                std::optional<Tier> tier /* nullopt: both */, bool force) = 0;
  // Edits stashed segment `id` in place (issue 11 #4) under the exclusive file lock, after catching
  // up: `expected_revision` must be its current revision, else conflict naming the current one. One
  // put: revision + 1, tokens estimated anew, last_touched_at now, created_at kept. not_found when
  // the stash has no such id; invalid_argument for a bad change or an edit that empties the text;
  // limit_exceeded past the segment size limit.
  virtual Result<EditOutcome> edit(const std::string& project, const std::string& id, int64_t expected_revision,
                                   const EditChange& change) = 0;
  // One segment of one tier, or nullopt when that tier has no such id.
  virtual Result<std::optional<Segment>> get(const std::string& project, const std::string& id, Tier tier) = 0;

  // --- sessions (FORMAT.md "Sessions") ---
  // Moves this session's whole working set (every project) to the stash in one batch, tagged
  // "unstashed" and "session:<id>", and releases the session. Returns how many segments moved.
  // Idempotent; returns 0 at once (without waiting for the load) when nothing was ever stored.
  virtual Result<size_t> end_session() = 0;
  // Recovers the dead sessions with working segments in `project`, then copies every working
  // segment of `project` of every live session into the stash with the same tags, skipping those
  // whose stashed copy is already identical. Returns how many segments were stashed.
  virtual Result<size_t> checkpoint_working(const std::string& project) = 0;
  // The project id bound to `root_path` (realpath'd by the caller): the existing binding; else
  // `wanted_id` when no project of that id has a different root path (binding it); else
  // "<wanted>-<parent dir name>", then "-2", "-3"... Durable.
  virtual Result<std::string> claim_project(const std::string& wanted_id, const std::string& root_path) = 0;

  // --- whole store ---
  virtual Result<std::vector<ProjectInfo>> list_projects() = 0;
  virtual Result<StoreStats> stats() = 0;
  // Compacts now (after letting a background compaction finish and swap in).
  virtual Status compact() = 0;
  // Kills a background compaction and removes its files: the process is about to end without
  // destroying the store (a fast exit). Safe to call at any time.
  virtual void abandon_background_compaction() = 0;
  // Every stashed segment, projects and ids in order (for export).
  virtual Result<std::vector<Segment>> export_stashed(const std::string& project /* "*" for all */) = 0;
  // Stashes complete segments as they are (created_at kept), in one batch (for import).
  virtual Result<size_t> import_stashed(std::vector<Segment> segments) = 0;
};

}  // namespace storage
