// Session operations over the engine state: recovery of dead sessions, end_session,
// checkpoint_working and claim_project. The Store opens the access guard; these write through commit().
#include "storage/session_ops.h"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "storage/commit.h"
#include "storage/sessions.h"
#include "storage/store_access.h"

namespace storage {
Result<size_t> recover_dead_sessions(StoreState& s, const std::string& project) {
  size_t moved = 0;
  for (const std::string& session : other_sessions(s.catalog, project)) {
    std::unique_ptr<FileLock> lock;
    auto gone = s.sessions.owner_gone(session, lock);
    if (!gone.ok()) return gone.status();
    if (!*gone) continue;
    std::vector<JournalOp> ops = plan_unstash(s.catalog, session, "*", /*move=*/true, s.options.limits.max_tags);
    const size_t n = count_puts(ops);
    if (Status st = commit(s, std::move(ops)); !st.ok()) return st;
    if (Status st = s.sessions.remove_lock_file(session); !st.ok()) spdlog::warn("{}", st.to_string());
    spdlog::info("session {} ended without its owner: {} working segments moved to the stash", session, n);
    moved += n;
  }
  return moved;
}

void recover_dead_sessions_at_load(StoreState& s, std::unique_ptr<FileLock> shared_lock) {
  bool any_gone = false;
  for (const std::string& session : other_sessions(s.catalog, "*")) {
    std::unique_ptr<FileLock> probe;
    auto gone = s.sessions.owner_gone(session, probe);
    if (gone.ok() && *gone) any_gone = true;
  }
  if (!any_gone) return;
  shared_lock.reset();
  auto lock = lock_and_catch_up(s, LockMode::kExclusive);
  Result<size_t> moved = lock.ok() ? recover_dead_sessions(s, "*") : Result<size_t>(lock.status());
  if (!moved.ok()) spdlog::warn("cannot recover the working sets of ended sessions: {}", moved.status().to_string());
}

Result<size_t> end_session(StoreState& s) {
  std::vector<JournalOp> ops = plan_unstash(s.catalog, s.catalog.session(), "*", /*move=*/true, s.options.limits.max_tags);
  const size_t n = count_puts(ops);
  if (Status st = commit(s, std::move(ops)); !st.ok()) return st;
  Status released = s.sessions.release();
  s.session_live.store(false);
  if (!released.ok()) return released;
  return n;
}

Result<size_t> checkpoint_working(StoreState& s, const std::string& project) {
  auto recovered = recover_dead_sessions(s, project);
  if (!recovered.ok()) return recovered.status();
  std::vector<std::string> sessions = other_sessions(s.catalog, project);
  if (!s.catalog.session().empty()) sessions.push_back(s.catalog.session());
  std::vector<JournalOp> ops;
  const ProjectState& p = s.catalog.project(project);
  for (const std::string& session : sessions) {
    for (JournalOp& op : plan_unstash(s.catalog, session, project, /*move=*/false, s.options.limits.max_tags)) {
      auto old = p.stashed.find(op.segment.segment_id);
      if (old != p.stashed.end() && same_content(op.segment, old->second)) continue;
      ops.push_back(std::move(op));
    }
  }
  const size_t n = ops.size();
  if (Status st = commit(s, std::move(ops)); !st.ok()) return st;
  return *recovered + n;
}

Result<std::string> claim_project(StoreState& s, const std::string& wanted_id, const std::string& root_path) {
  const auto& projects = s.catalog.projects();
  for (const auto& [id, p] : projects) {
    if (p.root_path == root_path) return id;
  }
  // `wanted_id` may bind a project without a root path; a derived id only an unused one.
  const auto unbound = [&](const std::string& id) {
    auto it = projects.find(id);
    return it == projects.end() || it->second.root_path.empty();
  };
  const auto unused = [&](const std::string& id) {
    auto it = projects.find(id);
    return it == projects.end() || (it->second.root_path.empty() && it->second.stashed.empty() &&
                                    it->second.working.empty() && it->second.sessions.empty());
  };
  std::string chosen = wanted_id;
  if (!unbound(wanted_id)) {
    const std::string base = derived_base(wanted_id, root_path);
    chosen = base;
    for (int n = 2; !unused(chosen); ++n) chosen = base + "-" + std::to_string(n);
  }
  JournalOp op;
  op.kind = JournalOp::Kind::kProject;
  op.project_id = chosen;
  op.root_path = root_path;
  if (Status st = commit(s, {std::move(op)}); !st.ok()) return st;
  return chosen;
}

}  // namespace storage
