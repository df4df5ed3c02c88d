// The engine's operations: working set, stash, retrieve, delete (DESIGN §2, §6).
#include <algorithm>
#include <set>

#include "storage/store_impl.h"

namespace storage {
namespace {

Status check_project(const std::string& project, bool allow_all) {
  if (allow_all && project == "*") return Status::ok_status();
  if (project == "*") return Status::invalid_argument("project_id '*' is only allowed for reads; name one project");
  return validate_project_id(project);
}

Status duplicate_id(const std::string& id) {
  return Status::invalid_argument("segment_id '" + id + "' appears more than once in this call");
}

}  // namespace

Result<StoreOutcome> Store::store_segments(const std::string& project, std::vector<SegmentDraft> drafts) {
  if (Status st = wait_until_loaded(); !st.ok()) return st;
  if (Status st = check_project(project, false); !st.ok()) return st;
  std::lock_guard guard(impl_->mu);
  ProjectState& p = impl_->project(project);
  std::vector<Segment> built;
  std::set<std::string> seen;
  for (size_t i = 0; i < drafts.size(); ++i) {
    const Segment* existing = nullptr;
    if (drafts[i].segment_id) {
      if (!seen.insert(*drafts[i].segment_id).second) return duplicate_id(*drafts[i].segment_id);
      auto it = p.working.find(*drafts[i].segment_id);
      if (it != p.working.end()) existing = &it->second;
    }
    auto s = impl_->build_segment(std::move(drafts[i]), project, existing, "segments[" + std::to_string(i) + "]");
    if (!s.ok()) return s.status();
    built.push_back(std::move(s).value());
  }
  StoreOutcome out;
  for (Segment& s : built) {
    s.tier = Tier::kWorking;
    auto it = p.working.find(s.segment_id);
    const bool replaced = it != p.working.end();
    if (replaced) {
      p.active_tokens -= it->second.tokens;
      it->second = std::move(s);
    } else {
      it = p.working.emplace(s.segment_id, std::move(s)).first;
    }
    p.active_tokens += it->second.tokens;
    out.stored.push_back({it->first, it->second.tokens, replaced});
  }
  out.active_tokens = p.active_tokens;
  return out;
}

Result<std::vector<Segment>> Store::load_segments(const std::string& project) {
  if (Status st = wait_until_loaded(); !st.ok()) return st;
  if (Status st = check_project(project, true); !st.ok()) return st;
  std::lock_guard guard(impl_->mu);
  std::vector<Segment> out;
  for (const auto& [id, p] : impl_->projects) {
    if (project != "*" && id != project) continue;
    for (const auto& [sid, s] : p.working) out.push_back(s);
  }
  return out;
}

Result<int64_t> Store::active_tokens(const std::string& project) {
  if (Status st = wait_until_loaded(); !st.ok()) return st;
  if (Status st = check_project(project, false); !st.ok()) return st;
  std::lock_guard guard(impl_->mu);
  auto it = impl_->projects.find(project);
  return it == impl_->projects.end() ? int64_t{0} : it->second.active_tokens;
}

Result<StashOutcome> Store::stash(const std::string& project, const std::vector<std::string>& ids,
                                  std::vector<SegmentDraft> inline_drafts, bool dry_run) {
  if (Status st = wait_until_loaded(); !st.ok()) return st;
  if (Status st = check_project(project, false); !st.ok()) return st;
  std::lock_guard guard(impl_->mu);
  auto lock = impl_->lock_and_catch_up(!dry_run);
  if (!lock.ok()) return lock.status();
  ProjectState& p = impl_->project(project);
  StashOutcome out;
  out.dry_run = dry_run;
  std::vector<JournalOp> ops;
  std::set<std::string> seen;
  std::vector<std::string> moved;  // working-set ids leaving the working set
  for (const std::string& id : ids) {
    if (Status st = validate_segment_id(id); !st.ok()) return st;
    if (!seen.insert(id).second) return duplicate_id(id);
    auto it = p.working.find(id);
    if (it == p.working.end()) {
      out.not_found.push_back(id);
      continue;
    }
    JournalOp op;
    op.segment = it->second;
    op.segment.tier = Tier::kStashed;
    op.segment.last_touched_at = impl_->now();
    if (auto old = p.stashed.find(id); old != p.stashed.end()) op.segment.created_at = old->second.created_at;
    out.stashed.push_back({id, op.segment.tokens, p.stashed.count(id) > 0});
    out.tokens_freed += it->second.tokens;
    moved.push_back(id);
    ops.push_back(std::move(op));
  }
  for (size_t i = 0; i < inline_drafts.size(); ++i) {
    const auto& maybe_id = inline_drafts[i].segment_id;
    const Segment* existing = nullptr;
    if (maybe_id) {
      if (!seen.insert(*maybe_id).second) return duplicate_id(*maybe_id);
      if (auto old = p.stashed.find(*maybe_id); old != p.stashed.end()) existing = &old->second;
    }
    const bool replaced = existing != nullptr;
    auto s = impl_->build_segment(std::move(inline_drafts[i]), project, existing, "segments[" + std::to_string(i) + "]");
    if (!s.ok()) return s.status();
    if (auto w = p.working.find(s->segment_id); w != p.working.end()) {
      out.tokens_freed += w->second.tokens;
      moved.push_back(s->segment_id);
    }
    out.stashed.push_back({s->segment_id, s->tokens, replaced});
    JournalOp op;
    op.segment = std::move(s).value();
    op.segment.tier = Tier::kStashed;
    ops.push_back(std::move(op));
  }
  if (dry_run) {
    int64_t added = 0;
    for (const JournalOp& op : ops) {
      auto old = p.stashed.find(op.segment.segment_id);
      added += op.segment.tokens - (old != p.stashed.end() ? old->second.tokens : 0);
    }
    out.active_tokens = p.active_tokens - out.tokens_freed;
    out.stashed_tokens = p.stashed_tokens + added;
    return out;
  }
  if (Status st = impl_->commit_locked(std::move(ops)); !st.ok()) return st;
  for (const std::string& id : moved) {
    auto w = p.working.find(id);
    p.active_tokens -= w->second.tokens;
    p.working.erase(w);
  }
  out.active_tokens = p.active_tokens;
  out.stashed_tokens = p.stashed_tokens;
  return out;
}

Result<RetrieveOutcome> Store::retrieve(const std::string& project, const std::vector<std::string>& ids, bool restore,
                                        int64_t max_tokens) {
  if (Status st = wait_until_loaded(); !st.ok()) return st;
  if (Status st = check_project(project, true); !st.ok()) return st;
  std::lock_guard guard(impl_->mu);
  auto lock = impl_->lock_and_catch_up(false);
  if (!lock.ok()) return lock.status();
  RetrieveOutcome out;
  bool stopped = false;
  for (const std::string& id : ids) {
    const Segment* found = nullptr;
    for (auto& [pid, p] : impl_->projects) {
      if (project != "*" && pid != project) continue;
      if (auto it = p.stashed.find(id); it != p.stashed.end()) {
        found = &it->second;
        break;
      }
    }
    if (found == nullptr) {
      out.not_found.push_back(id);
      continue;
    }
    if (stopped || (max_tokens > 0 && out.tokens + found->tokens > max_tokens)) {
      stopped = true;  // stop before exceeding: later ids are left out too, in order
      out.omitted.push_back(id);
      continue;
    }
    out.tokens += found->tokens;
    out.segments.push_back(*found);
  }
  if (restore) {
    for (const Segment& s : out.segments) {
      ProjectState& p = impl_->project(s.project_id);
      Segment copy = s;
      copy.tier = Tier::kWorking;
      copy.last_touched_at = impl_->now();
      auto it = p.working.find(copy.segment_id);
      if (it != p.working.end()) {
        p.active_tokens -= it->second.tokens;
        it->second = std::move(copy);
      } else {
        it = p.working.emplace(copy.segment_id, std::move(copy)).first;
      }
      p.active_tokens += it->second.tokens;
    }
  }
  if (project != "*") out.active_tokens = impl_->project(project).active_tokens;
  return out;
}

Result<DeleteOutcome> Store::delete_segments(const std::string& project, const std::vector<std::string>& ids,
                                             std::optional<Tier> tier) {
  if (Status st = wait_until_loaded(); !st.ok()) return st;
  if (Status st = check_project(project, false); !st.ok()) return st;
  for (const auto& id : ids) {
    if (Status st = validate_segment_id(id); !st.ok()) return st;
  }
  std::lock_guard guard(impl_->mu);
  const bool stashed_tier = !tier || *tier == Tier::kStashed;
  const bool working_tier = !tier || *tier == Tier::kWorking;
  std::unique_ptr<FileLock> lock;
  if (stashed_tier) {
    auto l = impl_->lock_and_catch_up(true);
    if (!l.ok()) return l.status();
    lock = std::move(l).value();
  }
  ProjectState& p = impl_->project(project);
  DeleteOutcome out;
  std::vector<JournalOp> ops;
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!seen.insert(id).second) continue;
    DeleteOutcome::Deleted d{id, {}};
    if (working_tier && p.working.count(id) > 0) d.tiers.push_back(Tier::kWorking);
    if (stashed_tier && p.stashed.count(id) > 0) {
      d.tiers.push_back(Tier::kStashed);
      JournalOp op;
      op.kind = JournalOp::Kind::kDelete;
      op.project_id = project;
      op.segment_id = id;
      ops.push_back(std::move(op));
    }
    if (d.tiers.empty()) {
      out.not_found.push_back(id);
    } else {
      out.deleted.push_back(std::move(d));
    }
  }
  if (Status st = impl_->commit_locked(std::move(ops)); !st.ok()) return st;
  for (const auto& d : out.deleted) {
    if (auto it = p.working.find(d.segment_id); working_tier && it != p.working.end()) {
      p.active_tokens -= it->second.tokens;
      p.working.erase(it);
    }
  }
  return out;
}

Result<std::optional<Segment>> Store::get(const std::string& project, const std::string& id, Tier tier) {
  if (Status st = wait_until_loaded(); !st.ok()) return st;
  if (Status st = check_project(project, false); !st.ok()) return st;
  std::lock_guard guard(impl_->mu);
  if (tier == Tier::kStashed) {
    auto lock = impl_->lock_and_catch_up(false);
    if (!lock.ok()) return lock.status();
  }
  auto pit = impl_->projects.find(project);
  if (pit == impl_->projects.end()) return std::optional<Segment>();
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

}  // namespace storage
