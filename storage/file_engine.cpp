// FileEngine: one RAII access guard opens every call (store_access.h); the write path is commit()
// (commit.h); the session calls delegate to session_ops.h; the parts they call own their state (see
// "Code map" in FORMAT.md).
#include "storage/file_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "storage/commit.h"
#include "storage/duplicates.h"
#include "storage/project_match.h"
#include "storage/reads.h"
#include "storage/search/query.h"
#include "storage/sessions.h"
#include "storage/store_access.h"
#include "storage/session_ops.h"
#include "storage/store_state.h"
#include "storage/writes.h"

namespace storage {
namespace {

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
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

// Waits for the file lock without holding the mutex, until the store closes. After the lock
// timeout the load reports itself blocked, so that calls fail naming the holder instead of
// waiting behind a stopped or hung process (issue 10 #7).
Status wait_for_file_lock(StoreState& s) {
  const auto start = std::chrono::steady_clock::now();
  bool blocked = false;
  while (!s.closing) {
    auto probe = s.fs.lock_for(s.lock_path, LockMode::kShared, std::chrono::milliseconds(100));
    if (!probe.ok()) return probe.status();
    if (*probe != nullptr) {
      if (blocked) s.load.report_blocked(Status::ok_status());
      return Status::ok_status();
    }
    if (!blocked && std::chrono::steady_clock::now() - start >= s.options.lock_timeout) {
      s.load.report_blocked(lock_timed_out(s));
      blocked = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // lock waits may be cancelled
  }
  return Status::io_error("the store was closed while its load waited for the lock");
}

// The background load: check the paths, create the directory, wait for the file lock (bounded),
// catch up as a reader would, then recover the sessions whose owner is gone.
Status load(StoreState& s) {
  Status st = check_store_files(s);
  if (st.ok()) st = s.fs.create_directories(directory_of(s.options.path));
  if (st.ok()) st = wait_for_file_lock(s);
  if (st.ok()) {
    MutexLock lock(s.mu);
    auto files = lock_and_catch_up(s, LockMode::kShared);
    st = files.ok() ? Status::ok_status() : files.status();
    if (st.ok()) recover_dead_sessions_at_load(s, std::move(files).value());
  }
  if (!st.ok() && !s.closing) spdlog::error("cannot load the store at {}: {}", s.options.path, st.to_string());
  return st;
}

// The per-session cap of the working set (issue 10 #14): adding the `ids` that are not working
// yet must leave at most options.max_working_segments.
Status check_working_room(const StoreState& s, const std::string& project, const std::vector<std::string>& ids)
    REQUIRES(s.mu);
Status check_working_room(const StoreState& s, const std::string& project, const std::vector<std::string>& ids) {
  size_t working = 0;
  for (const auto& [id, p] : s.catalog.projects()) working += p.working.size();
  const auto it = s.catalog.projects().find(project);
  size_t adding = 0;
  for (const std::string& id : ids) {
    if (it == s.catalog.projects().end() || it->second.working.count(id) == 0) ++adding;
  }
  const size_t cap = s.options.max_working_segments;
  if (working + adding <= cap) return Status::ok_status();
  return Status::limit_exceeded("the working set holds " + std::to_string(working) + " segments and this call adds " +
                                std::to_string(adding) + "; one session holds at most " + std::to_string(cap) +
                                " (OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS): context_stash what you no longer need first");
}

// Compaction::maybe_running() is an atomic read meant to be made without the mutex (a fast exit
// must not wait for a load that holds it); the analysis cannot tell it from the guarded fields.
bool compaction_maybe_running(const StoreState& state) NO_THREAD_SAFETY_ANALYSIS {
  return state.compaction.maybe_running();
}

}  // namespace

std::unique_ptr<FileEngine> FileEngine::open(StoreOptions options) {
  // One resolution for every file: through a symlinked storage.json the journal, the lock and the
  // compaction's tmp + rename all land beside the link's target. A path that cannot be resolved is
  // kept as given: the load reports why it cannot be used.
  FileSystem& fs = options.fs != nullptr ? *options.fs : posix_file_system();
  if (auto real = fs.real_path(options.path); real.ok()) options.path = std::move(real).value();
  auto state = std::make_unique<StoreState>(std::move(options));
  StoreState* raw = state.get();
  state->load.start([raw] { return load(*raw); });
  return std::unique_ptr<FileEngine>(new FileEngine(std::move(state)));
}

FileEngine::FileEngine(std::unique_ptr<StoreState> state) : state_(std::move(state)) {}

FileEngine::~FileEngine() {
  state_->closing = true;
  state_->load.join();
}

Status FileEngine::wait_until_loaded() { return state_->load.wait(); }

const Clock& FileEngine::clock() const { return state_->clock; }

Result<StoreOutcome> FileEngine::store_segments(const std::string& requested, std::vector<SegmentDraft> drafts) {
  const std::string& session = state_->options.session_id;
  // Marking stashed segments superseded is durable with or without a session.
  const bool supersedes = std::any_of(drafts.begin(), drafts.end(), [](const SegmentDraft& d) { return !d.supersedes.empty(); });
  const bool durable = !session.empty() || supersedes;
  StoreAccess access(*state_, durable ? Files::kExclusive : Files::kNone, check_project(requested, false));
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  auto plan = plan_store(state_->catalog, state_->segments, project, std::move(drafts));
  if (!plan.ok()) return plan.status();
  std::vector<std::string> ids;
  for (const Segment& segment : plan->built) ids.push_back(segment.segment_id);
  if (Status st = check_working_room(*state_, project, ids); !st.ok()) return st;
  if (durable) {
    std::vector<JournalOp> ops = session.empty() ? std::vector<JournalOp>() : working_puts(plan->built, session);
    add_mark_ops(ops, plan->marks, session);
    if (Status st = commit(*state_, std::move(ops)); !st.ok()) return st;
  }
  StoreOutcome out = finish_store(state_->catalog, std::move(plan).value());
  access.release_file_lock();  // written; naming duplicates reads memory only (issue 11 #5)
  name_duplicates(state_->catalog.project(project), Tier::kWorking, out.stored);
  return out;
}

Result<std::vector<Segment>> FileEngine::load_segments(const std::string& requested) {
  StoreAccess access(*state_, Files::kNone, check_project(requested, true));
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  std::vector<Segment> out;
  for (const auto& [id, p] : state_->catalog.projects()) {
    if (project != "*" && id != project) continue;
    for (const auto& [sid, s] : p.working) out.push_back(s);
  }
  return out;
}

Result<int64_t> FileEngine::active_tokens(const std::string& requested) {
  StoreAccess access(*state_, Files::kNone, check_project(requested, true));
  if (!access.ok()) return access.status();
  const auto& projects = state_->catalog.projects();
  if (requested == "*") {
    int64_t total = 0;
    for (const auto& [id, p] : projects) total += p.active_tokens;
    return total;
  }
  const std::string project = match_project(state_->catalog, requested);
  auto it = projects.find(project);
  return it == projects.end() ? int64_t{0} : it->second.active_tokens;
}

Result<StashOutcome> FileEngine::stash(const std::string& requested, const std::vector<std::string>& ids,
                                  std::vector<SegmentDraft> inline_drafts, bool dry_run) {
  StoreAccess access(*state_, dry_run ? Files::kShared : Files::kExclusive, check_project(requested, false));
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  auto plan = plan_stash(state_->catalog, state_->segments, project, ids, std::move(inline_drafts));
  if (!plan.ok()) return plan.status();
  if (dry_run) return preview_stash(state_->catalog, std::move(plan).value());
  const std::string& session = state_->options.session_id;
  add_mark_ops(plan->ops, plan->marks, session);
  if (!session.empty()) add_working_deletes(plan->ops, session, project, plan->moved);
  if (Status st = commit(*state_, std::move(plan->ops)); !st.ok()) return st;
  StashOutcome out = finish_stash(state_->catalog, std::move(plan).value());
  access.release_file_lock();  // written; naming duplicates reads memory only (issue 11 #5)
  name_duplicates(state_->catalog.project(project), Tier::kStashed, out.stashed);
  return out;
}

Result<SearchPage> FileEngine::search_stashed(const SearchRequest& requested) {
  Status arguments = check_project(requested.project_id, true);
  if (const std::string costly = query_over_limits(parse_query(requested.query)); arguments.ok() && !costly.empty()) {
    arguments = Status::invalid_argument(costly);
  }
  StoreAccess access(*state_, Files::kShared, std::move(arguments));
  if (!access.ok()) return access.status();
  access.release_file_lock();  // caught up: the search reads memory only, under the mutex
  SearchRequest request = requested;
  request.project_id = match_project(state_->catalog, requested.project_id);
  return search(state_->catalog, request);
}

Result<RetrieveOutcome> FileEngine::retrieve(const std::string& requested, const std::vector<std::string>& ids, bool restore,
                                        int64_t max_tokens) {
  const std::string& session = state_->options.session_id;
  const bool durable_restore = restore && !session.empty();
  StoreAccess access(*state_, durable_restore ? Files::kExclusive : Files::kShared, check_project(requested, true));
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  if (restore) {
    if (Status st = check_working_room(*state_, project, ids); !st.ok()) return st;
  }
  RetrieveOutcome out =
      storage::retrieve(state_->catalog, state_->segments, project, ids, restore && !durable_restore, max_tokens);
  if (durable_restore) {
    std::vector<Segment> restored = out.segments;
    for (Segment& s : restored) s.last_touched_at = state_->segments.now();
    if (Status st = commit(*state_, working_puts(restored, session)); !st.ok()) return st;
    if (project != "*") out.active_tokens = state_->catalog.project(project).active_tokens;
  }
  return out;
}

Result<DeleteOutcome> FileEngine::delete_segments(const std::string& requested, const std::vector<std::string>& ids,
                                             std::optional<Tier> tier, bool force) {
  const bool stashed = !tier || *tier == Tier::kStashed;
  const bool working = !tier || *tier == Tier::kWorking;
  const std::string& session = state_->options.session_id;
  const bool durable = stashed || (working && !session.empty());
  StoreAccess access(*state_, durable ? Files::kExclusive : Files::kNone, check_project_and_ids(requested, ids));
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  Result<DeletePlan> planned = plan_delete(state_->catalog, project, ids, working, stashed, force);
  if (!planned.ok()) return planned.status();
  DeletePlan plan = std::move(planned).value();
  if (working && !session.empty()) {
    std::vector<std::string> from_working;
    for (const auto& d : plan.outcome.deleted) {
      for (Tier t : d.tiers) {
        if (t == Tier::kWorking) from_working.push_back(d.segment_id);
      }
    }
    add_working_deletes(plan.ops, session, project, from_working);
  }
  add_mark_ops(plan.ops, plan.marks, session);
  if (Status st = commit(*state_, std::move(plan.ops)); !st.ok()) return st;
  return finish_delete(state_->catalog, std::move(plan));
}

Result<EditOutcome> FileEngine::edit(const std::string& requested, const std::string& id, int64_t expected_revision,
                                const EditChange& change) {
  Status args = check_project_and_ids(requested, {id});
  if (args.ok() && expected_revision < 1) args = Status::invalid_argument("revision: must be >= 1");
  StoreAccess access(*state_, Files::kExclusive, std::move(args));
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  auto op = plan_edit(state_->catalog, state_->segments, project, id, expected_revision, change);
  if (!op.ok()) return op.status();
  EditOutcome out{id, op->segment.revision, op->segment.tokens, count_lines(op->segment.text)};
  std::vector<JournalOp> ops;
  ops.push_back(std::move(op).value());
  if (Status st = commit(*state_, std::move(ops)); !st.ok()) return st;
  return out;
}

Result<std::optional<Segment>> FileEngine::get(const std::string& requested, const std::string& id, Tier tier) {
  StoreAccess access(*state_, tier == Tier::kStashed ? Files::kShared : Files::kNone, check_project(requested, false));
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  const auto& projects = state_->catalog.projects();
  auto pit = projects.find(project);
  if (pit == projects.end()) return std::optional<Segment>();
  const SegmentMap& map = tier == Tier::kStashed ? pit->second.stashed : pit->second.working;
  auto it = map.find(id);
  if (it == map.end()) return std::optional<Segment>();
  return std::optional<Segment>(it->second);
}

Result<std::vector<ProjectInfo>> FileEngine::list_projects() {
  StoreAccess access(*state_, Files::kShared);
  if (!access.ok()) return access.status();
  return storage::list_projects(state_->catalog);
}

Result<StoreStats> FileEngine::stats() {
  StoreAccess access(*state_, Files::kShared);
  if (!access.ok()) return access.status();
  StoreStats out = catalog_stats(state_->catalog);
  out.path = state_->snapshot.path();
  out.journal_path = state_->journal.path();
  if (auto info = state_->fs.stat(out.path); info.ok()) out.snapshot_bytes = info->size;
  if (auto info = state_->fs.stat(out.journal_path); info.ok()) out.journal_bytes = info->size;
  out.recovery_notes = state_->recovery.notes();
  out.ranked_index_source = state_->recovery.ranked_source();
  out.background_compaction_pid = state_->compaction.child_pid();
  return out;
}

Status FileEngine::compact() {
  StoreAccess access(*state_, Files::kExclusive);
  if (!access.ok()) return access.status();
  if (state_->compaction.running()) {
    auto finished = state_->compaction.finish(/*wait=*/true);
    if (!finished.ok()) spdlog::warn("background compaction: {}", finished.status().to_string());
  }
  return state_->compaction.run();
}

void FileEngine::abandon_background_compaction() {
  // No child runs before the load is done; checked without the mutex, which a load holds.
  if (!compaction_maybe_running(*state_)) return;
  MutexLock lock(state_->mu);
  state_->compaction.abandon();
}

Result<std::vector<Segment>> FileEngine::export_stashed(const std::string& requested) {
  StoreAccess access(*state_, Files::kShared);
  if (!access.ok()) return access.status();
  const std::string project = match_project(state_->catalog, requested);
  return storage::export_stashed(state_->catalog, project);
}

Result<size_t> FileEngine::import_stashed(std::vector<Segment> segments) {
  auto ops = plan_import(std::move(segments), state_->options.limits);
  StoreAccess access(*state_, Files::kExclusive, ops.status());
  if (!access.ok()) return access.status();
  match_import_projects(state_->catalog, *ops);
  const size_t n = ops->size();
  if (Status st = commit(*state_, std::move(ops).value()); !st.ok()) return st;
  return n;
}

Result<size_t> FileEngine::end_session() {
  if (!state_->session_live.load()) return size_t{0};
  StoreAccess access(*state_, Files::kExclusive);
  if (!access.ok()) return access.status();
  return storage::end_session(*state_);
}

Result<size_t> FileEngine::checkpoint_working(const std::string& requested) {
  Status args =
      requested == "*" ? Status::invalid_argument("project_id '*': name one project") : validate_project_id(requested);
  StoreAccess access(*state_, Files::kExclusive, std::move(args));
  if (!access.ok()) return access.status();
  return storage::checkpoint_working(*state_, match_project(state_->catalog, requested));
}

Result<std::string> FileEngine::claim_project(const std::string& wanted_id, const std::string& root_path) {
  Status args = validate_project_id(wanted_id);
  if (args.ok() && root_path.empty()) args = Status::invalid_argument("root_path: must not be empty");
  StoreAccess access(*state_, Files::kExclusive, std::move(args));
  if (!access.ok()) return access.status();
  return storage::claim_project(*state_, match_project(state_->catalog, wanted_id), root_path);
}

}  // namespace storage
