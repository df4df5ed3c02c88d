// Store: one RAII access guard opens every call (store_access.h); the write path is commit() below,
// top to bottom; the parts it calls own their state (see "Code map" in FORMAT.md).
#include "storage/store.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "storage/reads.h"
#include "storage/store_access.h"
#include "storage/store_state.h"
#include "storage/writes.h"

namespace storage {
namespace {

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
}

// "*" (every project) is allowed for reads only.
Status check_project(const std::string& project, bool allow_all) {
  if (allow_all && project == "*") return Status::ok_status();
  if (project == "*") return Status::invalid_argument("project_id '*' is only allowed for reads; name one project");
  return validate_project_id(project);
}

Status check_project_and_ids(const std::string& project, const std::vector<std::string>& ids) {
  if (Status st = check_project(project, false); !st.ok()) return st;
  for (const auto& id : ids) {
    if (Status st = validate_segment_id(id); !st.ok()) return st;
  }
  return Status::ok_status();
}

// Refuses a store whose snapshot or journal path names something that is not a store file (a
// device, a FIFO, a directory, someone's other file) before any file is created beside it.
Status check_store_files(StoreState& s) {
  if (Status st = SnapshotFile(s.fs, s.options.path).check(); !st.ok()) return st;
  const std::string journal = s.options.path + ".journal";
  auto info = s.fs.stat(journal);
  if (!info.ok()) return info.status();
  if (info->exists && info->kind != FileKind::kRegular) {
    return Status::io_error("journal " + journal + " is " + describe(info->kind) +
                            ", not a store file; ooc refuses to use it and leaves it untouched");
  }
  return Status::ok_status();
}

// The background load: check the paths, create the directory, then catch up as a reader would.
Status load(StoreState& s) {
  Status st = check_store_files(s);
  if (st.ok()) st = s.fs.create_directories(directory_of(s.options.path));
  if (st.ok()) {
    MutexLock lock(s.mu);
    auto files = lock_and_catch_up(s, LockMode::kShared);
    st = files.ok() ? Status::ok_status() : files.status();
  }
  if (!st.ok() && !s.closing) spdlog::error("cannot load the store at {}: {}", s.options.path, st.to_string());
  return st;
}

// The write path (leveldb's DBImpl::Write). The batch is valid and the caller holds the exclusive
// file lock and is caught up. Returns only when the batch is durable (sync=always) and applied; a
// failed append leaves memory and disk as they were.
Status commit(StoreState& s, std::vector<JournalOp> ops) REQUIRES(s.mu) {
  if (ops.empty()) return Status::ok_status();
  // 1. A torn tail (an append that failed or a crash) is cut off before anything follows it.
  if (s.journal.torn()) {
    if (Status st = s.recovery.truncate_torn_tail(); !st.ok()) return st;
  }
  // 2. Append the batch durably.
  const JournalBatch batch{s.catalog.last_seq() + 1, std::move(ops)};
  if (Status st = s.journal.append(batch); !st.ok()) return st;
  // 3. Apply it to memory.
  s.catalog.apply(batch);
  // 4. Maybe compact. The batch is durable in the journal; a failed compaction only postpones the next one.
  if (s.compaction.due()) {
    if (Status st = s.compaction.run(); !st.ok()) spdlog::warn("compaction postponed: {}", st.to_string());
  }
  return Status::ok_status();
}

}  // namespace

std::string resolve_storage_path(const std::string& configured, const std::string& home) {
  if (configured.empty()) return (home.empty() ? std::string(".") : home) + "/.out_of_context/storage.json";
  if (configured.back() == '/') return configured + "storage.json";
  auto info = posix_file_system().stat(configured);
  if (info.ok() && info->exists && info->is_directory) return configured + "/storage.json";
  return configured;
}

std::unique_ptr<Store> Store::open(StoreOptions options) {
  // One resolution for every file: through a symlinked storage.json the journal, the lock and the
  // compaction's tmp + rename all land beside the link's target. A path that cannot be resolved is
  // kept as given: the load reports why it cannot be used.
  FileSystem& fs = options.fs != nullptr ? *options.fs : posix_file_system();
  if (auto real = fs.real_path(options.path); real.ok()) options.path = std::move(real).value();
  auto state = std::make_unique<StoreState>(std::move(options));
  StoreState* raw = state.get();
  state->load.start([raw] { return load(*raw); });
  return std::unique_ptr<Store>(new Store(std::move(state)));
}

Store::Store(std::unique_ptr<StoreState> state) : state_(std::move(state)) {}

Store::~Store() {
  state_->closing = true;
  state_->load.join();
}

Status Store::wait_until_loaded() { return state_->load.wait(); }

Result<StoreOutcome> Store::store_segments(const std::string& project, std::vector<SegmentDraft> drafts) {
  StoreAccess access(*state_, Files::kNone, check_project(project, false));
  if (!access.ok()) return access.status();
  return store_working(state_->catalog, state_->segments, project, std::move(drafts));
}

Result<std::vector<Segment>> Store::load_segments(const std::string& project) {
  StoreAccess access(*state_, Files::kNone, check_project(project, true));
  if (!access.ok()) return access.status();
  std::vector<Segment> out;
  for (const auto& [id, p] : state_->catalog.projects()) {
    if (project != "*" && id != project) continue;
    for (const auto& [sid, s] : p.working) out.push_back(s);
  }
  return out;
}

Result<int64_t> Store::active_tokens(const std::string& project) {
  StoreAccess access(*state_, Files::kNone, check_project(project, false));
  if (!access.ok()) return access.status();
  const auto& projects = state_->catalog.projects();
  auto it = projects.find(project);
  return it == projects.end() ? int64_t{0} : it->second.active_tokens;
}

Result<StashOutcome> Store::stash(const std::string& project, const std::vector<std::string>& ids,
                                  std::vector<SegmentDraft> inline_drafts, bool dry_run) {
  StoreAccess access(*state_, dry_run ? Files::kShared : Files::kExclusive, check_project(project, false));
  if (!access.ok()) return access.status();
  auto plan = plan_stash(state_->catalog, state_->segments, project, ids, std::move(inline_drafts));
  if (!plan.ok()) return plan.status();
  if (dry_run) return preview_stash(state_->catalog, std::move(plan).value());
  if (Status st = commit(*state_, std::move(plan->ops)); !st.ok()) return st;
  return finish_stash(state_->catalog, std::move(plan).value());
}

Result<SearchPage> Store::search_stashed(const SearchRequest& request) {
  StoreAccess access(*state_, Files::kShared, check_project(request.project_id, true));
  if (!access.ok()) return access.status();
  return search(state_->catalog, request);
}

Result<RetrieveOutcome> Store::retrieve(const std::string& project, const std::vector<std::string>& ids, bool restore,
                                        int64_t max_tokens) {
  StoreAccess access(*state_, Files::kShared, check_project(project, true));
  if (!access.ok()) return access.status();
  return storage::retrieve(state_->catalog, state_->segments, project, ids, restore, max_tokens);
}

Result<DeleteOutcome> Store::delete_segments(const std::string& project, const std::vector<std::string>& ids,
                                             std::optional<Tier> tier) {
  const bool stashed = !tier || *tier == Tier::kStashed;
  const bool working = !tier || *tier == Tier::kWorking;
  StoreAccess access(*state_, stashed ? Files::kExclusive : Files::kNone, check_project_and_ids(project, ids));
  if (!access.ok()) return access.status();
  DeletePlan plan = plan_delete(state_->catalog, project, ids, working, stashed);
  if (Status st = commit(*state_, std::move(plan.ops)); !st.ok()) return st;
  return finish_delete(state_->catalog, std::move(plan));
}

Result<std::optional<Segment>> Store::get(const std::string& project, const std::string& id, Tier tier) {
  StoreAccess access(*state_, tier == Tier::kStashed ? Files::kShared : Files::kNone, check_project(project, false));
  if (!access.ok()) return access.status();
  const auto& projects = state_->catalog.projects();
  auto pit = projects.find(project);
  if (pit == projects.end()) return std::optional<Segment>();
  const SegmentMap& map = tier == Tier::kStashed ? pit->second.stashed : pit->second.working;
  auto it = map.find(id);
  if (it == map.end()) return std::optional<Segment>();
  return std::optional<Segment>(it->second);
}

Status Store::store_segment(const SegmentDraft& draft, const std::string& project) {
  auto r = store_segments(project, {draft});
  return r.ok() ? Status::ok_status() : r.status();
}

Status Store::stash_segment(const SegmentDraft& draft, const std::string& project) {
  auto r = stash(project, {}, {draft}, false);
  return r.ok() ? Status::ok_status() : r.status();
}

Status Store::delete_segment(const std::string& id, const std::string& project) {
  auto r = delete_segments(project, {id}, std::nullopt);
  if (!r.ok()) return r.status();
  if (!r->not_found.empty()) return Status::not_found("no segment '" + id + "' in project '" + project + "'");
  return Status::ok_status();
}

Result<std::vector<ProjectInfo>> Store::list_projects() {
  StoreAccess access(*state_, Files::kShared);
  if (!access.ok()) return access.status();
  return storage::list_projects(state_->catalog);
}

Result<StoreStats> Store::stats() {
  StoreAccess access(*state_, Files::kShared);
  if (!access.ok()) return access.status();
  StoreStats out = catalog_stats(state_->catalog);
  out.path = state_->snapshot.path();
  out.journal_path = state_->journal.path();
  if (auto info = state_->fs.stat(out.path); info.ok()) out.snapshot_bytes = info->size;
  if (auto info = state_->fs.stat(out.journal_path); info.ok()) out.journal_bytes = info->size;
  out.recovery_notes = state_->recovery.notes();
  return out;
}

Status Store::compact() {
  StoreAccess access(*state_, Files::kExclusive);
  if (!access.ok()) return access.status();
  return state_->compaction.run();
}

Result<std::vector<Segment>> Store::export_stashed(const std::string& project) {
  StoreAccess access(*state_, Files::kShared);
  if (!access.ok()) return access.status();
  return storage::export_stashed(state_->catalog, project);
}

Result<size_t> Store::import_stashed(std::vector<Segment> segments) {
  auto ops = plan_import(std::move(segments), state_->options.limits);
  StoreAccess access(*state_, Files::kExclusive, ops.status());
  if (!access.ok()) return access.status();
  const size_t n = ops->size();
  if (Status st = commit(*state_, std::move(ops).value()); !st.ok()) return st;
  return n;
}

VerifyReport Store::verify(const std::string& path, FileSystem& fs) {
  auto real = fs.real_path(path);
  return verify_files(real.ok() ? *real : path, fs);
}

}  // namespace storage
