#include "storage/sessions.h"

#include <algorithm>
#include <set>
#include <utility>

namespace storage {

Status SessionLocks::hold() {
  if (held() || session_.empty()) return Status::ok_status();
  if (Status st = validate_project_id(session_); !st.ok()) {
    return Status::invalid_argument("session id '" + session_ + "' cannot name a lock file");
  }
  if (Status st = fs_.create_directories(directory_); !st.ok()) return st;
  auto lock = fs_.lock(lock_path(session_), LockMode::kExclusive);
  if (!lock.ok()) return lock.status();
  lock_ = std::move(lock).value();
  return Status::ok_status();
}

Status SessionLocks::release() {
  if (!held()) return Status::ok_status();
  // Removed while still locked: a recoverer that finds the file missing knows the owner is gone.
  Status st = fs_.remove(lock_path(session_));
  lock_.reset();
  return st;
}

Result<bool> SessionLocks::owner_gone(const std::string& session, std::unique_ptr<FileLock>& lock) {
  lock.reset();
  if (session.empty() || session == session_ || !validate_project_id(session).ok()) return false;
  auto info = fs_.stat(lock_path(session));
  if (!info.ok()) return info.status();
  if (!info->exists) return true;
  auto probe = fs_.try_lock(lock_path(session));
  if (!probe.ok()) return probe.status();
  if (*probe == nullptr) return false;  // its owner holds it
  lock = std::move(probe).value();
  return true;
}

Segment unstashed_copy(const Segment& w, const std::string& session, const Segment* stashed, size_t max_tags) {
  Segment copy = w;
  copy.tier = Tier::kStashed;
  const std::string session_tag = "session:" + session;
  std::vector<std::string> own;
  for (const std::string& tag : w.tags) {
    if (tag != "unstashed" && tag != session_tag && std::find(own.begin(), own.end(), tag) == own.end()) {
      own.push_back(tag);
    }
  }
  if (max_tags >= 2 && own.size() > max_tags - 2) own.resize(max_tags - 2);
  own.push_back("unstashed");
  own.push_back(session_tag);
  copy.tags = std::move(own);
  if (stashed != nullptr) {  // a new version of the stashed one: a revision above both, links kept
    if (stashed->created_at < copy.created_at) copy.created_at = stashed->created_at;
    copy.revision = std::max(copy.revision, stashed->revision + 1);
    carry_links(copy, *stashed);
  }
  return copy;
}

std::vector<JournalOp> working_puts(const std::vector<Segment>& segments, const std::string& session) {
  std::vector<JournalOp> ops;
  for (const Segment& s : segments) {
    JournalOp op;
    op.segment = s;
    op.segment.tier = Tier::kWorking;
    op.session_id = session;
    ops.push_back(std::move(op));
  }
  return ops;
}

void add_working_deletes(std::vector<JournalOp>& ops, const std::string& session, const std::string& project,
                         const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    JournalOp op;
    op.kind = JournalOp::Kind::kWorkingDelete;
    op.session_id = session;
    op.project_id = project;
    op.segment_id = id;
    ops.push_back(std::move(op));
  }
}

std::vector<JournalOp> plan_unstash(const Catalog& catalog, const std::string& session, const std::string& project,
                                    bool move, size_t max_tags) {
  std::vector<JournalOp> ops;
  for (const auto& [pid, p] : catalog.projects()) {
    if (project != "*" && pid != project) continue;
    const SegmentMap* working = nullptr;
    if (session == catalog.session()) {
      working = &p.working;
    } else if (auto it = p.sessions.find(session); it != p.sessions.end()) {
      working = &it->second;
    }
    if (working == nullptr) continue;
    std::vector<std::string> ids;
    for (const auto& [id, w] : *working) {
      auto old = p.stashed.find(id);
      JournalOp op;
      op.segment = unstashed_copy(w, session, old != p.stashed.end() ? &old->second : nullptr, max_tags);
      ops.push_back(std::move(op));
      ids.push_back(id);
    }
    if (move) add_working_deletes(ops, session, pid, ids);
  }
  return ops;
}

std::vector<std::string> other_sessions(const Catalog& catalog, const std::string& project) {
  std::set<std::string> out;
  for (const auto& [pid, p] : catalog.projects()) {
    if (project != "*" && pid != project) continue;
    for (const auto& [session, segments] : p.sessions) out.insert(session);
  }
  return {out.begin(), out.end()};
}

size_t count_puts(const std::vector<JournalOp>& ops) {
  size_t n = 0;
  for (const JournalOp& op : ops) n += op.kind == JournalOp::Kind::kPut ? 1 : 0;
  return n;
}

// Equal but for the time it was last touched (and the revision a copy would get).
bool same_content(Segment a, const Segment& b) {
  a.last_touched_at = b.last_touched_at;
  a.revision = b.revision;
  a.tier = b.tier;
  return a == b;
}

// "<wanted>-<parent>": the name of the root's parent directory, made a valid id part.
std::string derived_base(const std::string& wanted, const std::string& root_path) {
  std::string root = root_path;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  const size_t slash = root.rfind('/');
  std::string parent = slash == std::string::npos || slash == 0 ? std::string() : root.substr(0, slash);
  parent = parent.substr(parent.rfind('/') == std::string::npos ? 0 : parent.rfind('/') + 1);
  std::string clean;
  for (char c : parent) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    clean += ok ? c : '-';
  }
  while (!clean.empty() && (clean[0] == '.' || clean[0] == '_' || clean[0] == '-')) clean.erase(0, 1);
  if (clean.empty()) clean = "root";
  std::string base = wanted + "-" + clean;
  if (base.size() > 120) base.resize(120);
  return base;
}


}  // namespace storage
