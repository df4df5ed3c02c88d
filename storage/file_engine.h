// FileEngine: the default storage engine (engine.h has the contract): stashed segments in a
// snapshot + journal shared by every process on the same path; the working set this process's
// own, durable in the journal under a session (FORMAT.md "Sessions"). A write returns only after its
// journal line is durable (sync=always). open() returns at once; the files load on a background
// thread and the first call waits. Its parts and which file owns what: "Code map" in FORMAT.md.
#pragma once

#include <memory>

#include "storage/engine.h"

namespace storage {

struct StoreState;  // the engine's parts: store_state.h

class FileEngine final : public Engine {
 public:
  static std::unique_ptr<FileEngine> open(StoreOptions options);
  ~FileEngine() override;
  FileEngine(const FileEngine&) = delete;
  FileEngine& operator=(const FileEngine&) = delete;

  // Blocks until loaded; the load status (ok, or why the store is unusable).
  Status wait_until_loaded() override;
  // The clock that stamps created_at / last_touched_at (StoreOptions::clock).
  const Clock& clock() const override;

  // --- working set (this process only; durable under StoreOptions::session_id) ---
  // A draft's `supersedes` marks those segments superseded_by it (see stash()); that part is
  // durable even without a session.
  Result<StoreOutcome> store_segments(const std::string& project, std::vector<SegmentDraft> drafts) override;
  Result<std::vector<Segment>> load_segments(const std::string& project) override;  // "*" allowed
  // "*": this process's whole working set.
  Result<int64_t> active_tokens(const std::string& project) override;

  // --- stash (durable, shared) ---
  // Moves `ids` from the working set and stores+stashes `inline_drafts` in one journal batch.
  // Unknown ids go to not_found; invalid drafts fail the whole call. dry_run changes nothing.
  // Drafts' `supersedes` mark those segments (stash and this working set) superseded_by the draft's
  // id in the same batch; an unknown id is not_found and fails the call (as in store_segments).
  Result<StashOutcome> stash(const std::string& project, const std::vector<std::string>& ids,
                                     std::vector<SegmentDraft> inline_drafts, bool dry_run) override;
  Result<SearchPage> search_stashed(const SearchRequest& request) override;
  // Full stashed segments by id ("*" looks in every project, first match by project id order).
  // `restore` copies them into the working set. `max_tokens` (0 = no limit) stops before exceeding.
  Result<RetrieveOutcome> retrieve(const std::string& project, const std::vector<std::string>& ids,
                                           bool restore, int64_t max_tokens) override;
  // A pinned segment in a tier to delete from fails the whole call (invalid_argument naming the
  // pins) unless `force` (issue 11 #1: pins protect). Segments superseded by a deleted id that no
  // longer exists in either tier lose the mark in the same batch (they come back into search and
  // the primer).
  Result<DeleteOutcome> delete_segments(const std::string& project, const std::vector<std::string>& ids,
                                                std::optional<Tier> tier /* nullopt: both */, bool force) override;
  // Edits stashed segment `id` in place (issue 11 #4) under the exclusive file lock, after catching
  // up: `expected_revision` must be its current revision, else conflict naming the current one. One
  // put: revision + 1, tokens estimated anew, last_touched_at now, created_at kept. not_found when
  // the stash has no such id; invalid_argument for a bad change or an edit that empties the text;
  // limit_exceeded past the segment size limit.
  Result<EditOutcome> edit(const std::string& project, const std::string& id, int64_t expected_revision,
                                   const EditChange& change) override;
  // One segment of one tier, or nullopt when that tier has no such id.
  Result<std::optional<Segment>> get(const std::string& project, const std::string& id, Tier tier) override;

  // --- sessions (FORMAT.md "Sessions") ---
  // Moves this session's whole working set (every project) to the stash in one batch, tagged
  // "unstashed" and "session:<id>", and releases the session. Returns how many segments moved.
  // Idempotent; returns 0 at once (without waiting for the load) when nothing was ever stored.
  Result<size_t> end_session() override;
  // Recovers the dead sessions with working segments in `project`, then copies every working
  // segment of `project` of every live session into the stash with the same tags, skipping those
  // whose stashed copy is already identical. Returns how many segments were stashed.
  Result<size_t> checkpoint_working(const std::string& project) override;
  // The project id bound to `root_path` (realpath'd by the caller): the existing binding; else
  // `wanted_id` when no project of that id has a different root path (binding it); else
  // "<wanted>-<parent dir name>", then "-2", "-3"... Durable.
  Result<std::string> claim_project(const std::string& wanted_id, const std::string& root_path) override;

  // --- whole store ---
  Result<std::vector<ProjectInfo>> list_projects() override;
  Result<StoreStats> stats() override;
  // Compacts now (after letting a background compaction finish and swap in).
  Status compact() override;
  // Kills a background compaction and removes its files: the process is about to end without
  // destroying the store (a fast exit). Safe to call at any time.
  void abandon_background_compaction() override;
  // Every stashed segment, projects and ids in order (for export).
  Result<std::vector<Segment>> export_stashed(const std::string& project /* "*" for all */) override;
  // Stashes complete segments as they are (created_at kept), in one batch (for import).
  Result<size_t> import_stashed(std::vector<Segment> segments) override;

 private:
  explicit FileEngine(std::unique_ptr<StoreState> state);
  std::unique_ptr<StoreState> state_;
};

}  // namespace storage
