#include "storage/catalog.h"

#include <utility>

namespace storage {

void Catalog::apply(const JournalBatch& batch) {
  for (const JournalOp& op : batch.ops) {
    if (op.kind == JournalOp::Kind::kPut) {
      put_stashed(op.segment);
    } else {
      erase_stashed(op.project_id, op.segment_id);
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
  p.ranked.upsert(&it->second);
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

void Catalog::reset_stashed(uint64_t seq) {
  for (auto& [id, p] : projects_) {
    p.ranked = RankedIndex();
    p.metadata.clear();
    p.stashed.clear();
    p.stashed_tokens = 0;
  }
  last_seq_ = seq;
}

std::map<std::string, const SegmentMap*> Catalog::stashed_view() const {
  std::map<std::string, const SegmentMap*> view;
  for (const auto& [id, p] : projects_) {
    if (!p.stashed.empty()) view[id] = &p.stashed;
  }
  return view;
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
  p.working.erase(it);
}

}  // namespace storage
