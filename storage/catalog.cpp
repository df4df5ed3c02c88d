#include "storage/catalog.h"

#include <utility>

namespace storage {

void Catalog::apply(const JournalBatch& batch) {
  for (const JournalOp& op : batch.ops) {
    switch (op.kind) {
      case JournalOp::Kind::kPut:
        if (op.session_id.empty()) {
          put_stashed(op.segment);
        } else {
          put_session_working(op.session_id, op.segment);
        }
        break;
      case JournalOp::Kind::kDelete:
        erase_stashed(op.project_id, op.segment_id);
        break;
      case JournalOp::Kind::kWorkingDelete:
        erase_session_working(op.session_id, op.project_id, op.segment_id);
        break;
      case JournalOp::Kind::kProject:
        set_root_path(op.project_id, op.root_path);
        break;
    }
  }
  last_seq_ = batch.seq;
}

void Catalog::put_stashed(Segment segment) {
  ProjectState& p = project(segment.project_id);
  segment.tier = Tier::kStashed;
  auto it = p.stashed.find(segment.segment_id);
  if (it != p.stashed.end()) {
    p.ranked.erase(it->second.segment_id);
    p.metadata.erase(&it->second);
    p.stashed_tokens -= it->second.tokens;
    it->second = std::move(segment);
  } else {
    it = p.stashed.emplace(segment.segment_id, std::move(segment)).first;
  }
  p.stashed_tokens += it->second.tokens;
  p.metadata.add(&it->second);
  if (!ranking_deferred_) p.ranked.upsert(&it->second);
}

bool Catalog::rank_all(const std::atomic<bool>& stop) {
  for (auto& [id, p] : projects_) {
    p.ranked = RankedIndex();
    for (const auto& [segment_id, segment] : p.stashed) {
      if (stop.load(std::memory_order_relaxed)) return false;
      p.ranked.upsert(&segment);
    }
  }
  return true;
}

void Catalog::erase_stashed(const std::string& project_id, const std::string& id) {
  auto pit = projects_.find(project_id);
  if (pit == projects_.end()) return;
  ProjectState& p = pit->second;
  auto it = p.stashed.find(id);
  if (it == p.stashed.end()) return;
  p.ranked.erase(id);
  p.metadata.erase(&it->second);
  p.stashed_tokens -= it->second.tokens;
  p.stashed.erase(it);
}

void Catalog::reset_durable(uint64_t seq) {
  for (auto& [id, p] : projects_) {
    p.ranked = RankedIndex();
    p.metadata.clear();
    p.stashed.clear();
    p.stashed_tokens = 0;
    p.sessions.clear();
    p.root_path.clear();
    if (!session_.empty()) {
      p.working.clear();
      p.working_signatures.clear();
      p.active_tokens = 0;
    }
  }
  last_seq_ = seq;
}

std::map<std::string, SnapshotProjectView> Catalog::snapshot_view() const {
  std::map<std::string, SnapshotProjectView> view;
  for (const auto& [id, p] : projects_) {
    SnapshotProjectView v;
    v.stashed = &p.stashed;
    v.root_path = p.root_path;
    for (const auto& [session, segments] : p.sessions) {
      for (const auto& [sid, s] : segments) v.working.push_back({session, &s});
    }
    if (!session_.empty()) {
      for (const auto& [sid, s] : p.working) v.working.push_back({session_, &s});
    }
    if (!p.stashed.empty() || !v.working.empty() || !v.root_path.empty()) view.emplace(id, std::move(v));
  }
  return view;
}

void Catalog::put_session_working(const std::string& session, Segment segment) {
  if (session == session_) {
    put_working(std::move(segment));
    return;
  }
  segment.tier = Tier::kWorking;
  const std::string id = segment.segment_id;
  project(segment.project_id).sessions[session][id] = std::move(segment);
}

void Catalog::erase_session_working(const std::string& session, const std::string& project_id,
                                    const std::string& id) {
  if (session == session_) {
    erase_working(project_id, id);
    return;
  }
  auto pit = projects_.find(project_id);
  if (pit == projects_.end()) return;
  auto sit = pit->second.sessions.find(session);
  if (sit == pit->second.sessions.end()) return;
  sit->second.erase(id);
  if (sit->second.empty()) pit->second.sessions.erase(sit);
}

const Segment* Catalog::find_stashed(const std::string& project_id, const std::string& id) const {
  for (const auto& [pid, p] : projects_) {
    if (project_id != "*" && pid != project_id) continue;
    if (auto it = p.stashed.find(id); it != p.stashed.end()) return &it->second;
  }
  return nullptr;
}

bool Catalog::put_working(Segment segment) {
  ProjectState& p = project(segment.project_id);
  segment.tier = Tier::kWorking;
  p.working_signatures.erase(segment.segment_id);
  auto it = p.working.find(segment.segment_id);
  const bool replaced = it != p.working.end();
  if (replaced) {
    p.active_tokens -= it->second.tokens;
    it->second = std::move(segment);
  } else {
    it = p.working.emplace(segment.segment_id, std::move(segment)).first;
  }
  p.active_tokens += it->second.tokens;
  return replaced;
}

void Catalog::erase_working(const std::string& project_id, const std::string& id) {
  auto pit = projects_.find(project_id);
  if (pit == projects_.end()) return;
  ProjectState& p = pit->second;
  auto it = p.working.find(id);
  if (it == p.working.end()) return;
  p.active_tokens -= it->second.tokens;
  p.working_signatures.erase(id);
  p.working.erase(it);
}

}  // namespace storage
