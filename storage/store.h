// Store: the storage API every caller uses (DESIGN §3). It runs on an Engine (engine.h; the
// contract of every call is there): the file engine (file_engine.h: snapshot + journal, the
// default) or, for a team store, PostgreSQL. Store adds the calls that are the same on every
// engine (the specification's single-segment interface).
// The file engine's parts and which file owns what: "Code map" in storage/FORMAT.md.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/engine.h"
#include "storage/file_system.h"
#include "storage/store_types.h"
#include "storage/verify.h"

namespace storage {

// OUT_OF_CONTEXT_STORAGE_PATH semantics: empty -> ~/.out_of_context/storage.json; an existing
// directory or a path ending in '/' -> <dir>/storage.json. `home` is $HOME.
std::string resolve_storage_path(const std::string& configured, const std::string& home);

class Store {
 public:
  // The file engine at options.path. Returns at once; loading runs on a background thread
  // (errors surface on the first call).
  static std::unique_ptr<Store> open(StoreOptions options);
  // A Store on another engine.
  explicit Store(std::unique_ptr<Engine> engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Status wait_until_loaded() { return engine_->wait_until_loaded(); }
  const Clock& clock() const { return engine_->clock(); }

  // --- working set --- (the contract of each call: engine.h)
  Result<StoreOutcome> store_segments(const std::string& project, std::vector<SegmentDraft> drafts) {
    return engine_->store_segments(project, std::move(drafts));
  }
  Result<std::vector<Segment>> load_segments(const std::string& project) { return engine_->load_segments(project); }
  Result<int64_t> active_tokens(const std::string& project) { return engine_->active_tokens(project); }

  // --- stash ---
  Result<StashOutcome> stash(const std::string& project, const std::vector<std::string>& ids,
                             std::vector<SegmentDraft> inline_drafts, bool dry_run = false) {
    return engine_->stash(project, ids, std::move(inline_drafts), dry_run);
  }
  Result<SearchPage> search_stashed(const SearchRequest& request) { return engine_->search_stashed(request); }
  Result<RetrieveOutcome> retrieve(const std::string& project, const std::vector<std::string>& ids, bool restore,
                                   int64_t max_tokens) {
    return engine_->retrieve(project, ids, restore, max_tokens);
  }
  Result<DeleteOutcome> delete_segments(const std::string& project, const std::vector<std::string>& ids,
                                        std::optional<Tier> tier /* nullopt: both */, bool force = false) {
    return engine_->delete_segments(project, ids, tier, force);
  }
  Result<EditOutcome> edit(const std::string& project, const std::string& id, int64_t expected_revision,
                           const EditChange& change) {
    return engine_->edit(project, id, expected_revision, change);
  }
  Result<std::optional<Segment>> get(const std::string& project, const std::string& id, Tier tier) {
    return engine_->get(project, id, tier);
  }

  // --- the specification's single-segment interface (spec/storage-layer.md), on every engine ---
  Status store_segment(const SegmentDraft& draft, const std::string& project);
  Status stash_segment(const SegmentDraft& draft, const std::string& project);
  Status delete_segment(const std::string& id, const std::string& project);

  // --- sessions ---
  Result<size_t> end_session() { return engine_->end_session(); }
  Result<size_t> checkpoint_working(const std::string& project) { return engine_->checkpoint_working(project); }
  Result<std::string> claim_project(const std::string& wanted_id, const std::string& root_path) {
    return engine_->claim_project(wanted_id, root_path);
  }

  // --- whole store ---
  Result<std::vector<ProjectInfo>> list_projects() { return engine_->list_projects(); }
  Result<StoreStats> stats() { return engine_->stats(); }
  Status compact() { return engine_->compact(); }
  void abandon_background_compaction() { engine_->abandon_background_compaction(); }
  Result<std::vector<Segment>> export_stashed(const std::string& project /* "*" for all */) {
    return engine_->export_stashed(project);
  }
  Result<size_t> import_stashed(std::vector<Segment> segments) { return engine_->import_stashed(std::move(segments)); }

  // Reads the store files and reports damage without repairing anything (ooc verify; file engine).
  static VerifyReport verify(const std::string& path, FileSystem& fs, const VerifyProgress& progress = {});

 private:
  std::unique_ptr<Engine> engine_;
};

}  // namespace storage
