#include "storage/writes.h"

#include <set>
#include <utility>

namespace storage {
namespace {

Status duplicate_id(const std::string& id) {
  return Status::invalid_argument("segment_id '" + id + "' appears more than once in this call");
}

std::string where(size_t i) { return "segments[" + std::to_string(i) + "]"; }

}  // namespace

Result<StorePlan> plan_store(Catalog& catalog, SegmentFactory& factory, const std::string& project,
                             std::vector<SegmentDraft> drafts) {
  const ProjectState& p = catalog.project(project);
  StorePlan plan;
  plan.project = project;
  std::set<std::string> seen;
  for (size_t i = 0; i < drafts.size(); ++i) {
    const Segment* existing = nullptr;
    if (drafts[i].segment_id) {
      if (!seen.insert(*drafts[i].segment_id).second) return duplicate_id(*drafts[i].segment_id);
      auto it = p.working.find(*drafts[i].segment_id);
      if (it != p.working.end()) existing = &it->second;
    }
    auto s = factory.build(std::move(drafts[i]), project, existing, where(i));
    if (!s.ok()) return s.status();
    s->tier = Tier::kWorking;
    plan.stored.push_back({s->segment_id, s->tokens, existing != nullptr});
    plan.built.push_back(std::move(s).value());
  }
  return plan;
}

StoreOutcome finish_store(Catalog& catalog, StorePlan plan) {
  for (Segment& s : plan.built) catalog.put_working(std::move(s));
  StoreOutcome out;
  out.stored = std::move(plan.stored);
  out.active_tokens = catalog.project(plan.project).active_tokens;
  return out;
}

Result<StashPlan> plan_stash(Catalog& catalog, SegmentFactory& factory, const std::string& project,
                             const std::vector<std::string>& ids, std::vector<SegmentDraft> drafts) {
  const ProjectState& p = catalog.project(project);
  StashPlan plan;
  plan.project = project;
  StashOutcome& out = plan.outcome;
  std::set<std::string> seen;
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
    op.segment.last_touched_at = factory.now();
    if (auto old = p.stashed.find(id); old != p.stashed.end()) op.segment.created_at = old->second.created_at;
    out.stashed.push_back({id, op.segment.tokens, p.stashed.count(id) > 0});
    out.tokens_freed += it->second.tokens;
    plan.moved.push_back(id);
    plan.ops.push_back(std::move(op));
  }
  for (size_t i = 0; i < drafts.size(); ++i) {
    const auto& maybe_id = drafts[i].segment_id;
    const Segment* existing = nullptr;
    if (maybe_id) {
      if (!seen.insert(*maybe_id).second) return duplicate_id(*maybe_id);
      if (auto old = p.stashed.find(*maybe_id); old != p.stashed.end()) existing = &old->second;
    }
    const bool replaced = existing != nullptr;
    auto s = factory.build(std::move(drafts[i]), project, existing, where(i));
    if (!s.ok()) return s.status();
    if (auto w = p.working.find(s->segment_id); w != p.working.end()) {
      out.tokens_freed += w->second.tokens;
      plan.moved.push_back(s->segment_id);
    }
    out.stashed.push_back({s->segment_id, s->tokens, replaced});
    JournalOp op;
    op.segment = std::move(s).value();
    op.segment.tier = Tier::kStashed;
    plan.ops.push_back(std::move(op));
  }
  return plan;
}

StashOutcome preview_stash(Catalog& catalog, StashPlan plan) {
  const ProjectState& p = catalog.project(plan.project);
  int64_t added = 0;
  for (const JournalOp& op : plan.ops) {
    auto old = p.stashed.find(op.segment.segment_id);
    added += op.segment.tokens - (old != p.stashed.end() ? old->second.tokens : 0);
  }
  StashOutcome out = std::move(plan.outcome);
  out.dry_run = true;
  out.active_tokens = p.active_tokens - out.tokens_freed;
  out.stashed_tokens = p.stashed_tokens + added;
  return out;
}

StashOutcome finish_stash(Catalog& catalog, StashPlan plan) {
  for (const std::string& id : plan.moved) catalog.erase_working(plan.project, id);
  const ProjectState& p = catalog.project(plan.project);
  StashOutcome out = std::move(plan.outcome);
  out.active_tokens = p.active_tokens;
  out.stashed_tokens = p.stashed_tokens;
  return out;
}

Result<DeletePlan> plan_delete(Catalog& catalog, const std::string& project, const std::vector<std::string>& ids,
                               bool working, bool stashed, bool force) {
  const ProjectState& p = catalog.project(project);
  DeletePlan plan;
  plan.project = project;
  plan.working = working;
  std::set<std::string> seen;
  std::vector<std::string> pinned;
  for (const std::string& id : ids) {
    if (!seen.insert(id).second) continue;
    const auto w = p.working.find(id);
    const auto st = p.stashed.find(id);
    const bool pinned_working = working && w != p.working.end() && w->second.pinned;
    const bool pinned_stashed = stashed && st != p.stashed.end() && st->second.pinned;
    if (!force && (pinned_working || pinned_stashed)) pinned.push_back(id);
    DeleteOutcome::Deleted d{id, {}};
    if (working && w != p.working.end()) d.tiers.push_back(Tier::kWorking);
    if (!stashed && st != p.stashed.end()) plan.outcome.kept_stashed.push_back(id);
    if (stashed && st != p.stashed.end()) {
      d.tiers.push_back(Tier::kStashed);
      JournalOp op;
      op.kind = JournalOp::Kind::kDelete;
      op.project_id = project;
      op.segment_id = id;
      plan.ops.push_back(std::move(op));
    }
    if (d.tiers.empty()) {
      plan.outcome.not_found.push_back(id);
    } else {
      plan.outcome.deleted.push_back(std::move(d));
    }
  }
  if (!pinned.empty()) {
    std::string names;
    for (size_t i = 0; i < pinned.size(); ++i) names += (i == 0 ? "'" : ", '") + pinned[i] + "'";
    return Status::invalid_argument(
        (pinned.size() == 1 ? "segment " + names + " is pinned" : "segments " + names + " are pinned") +
        ": nothing was deleted. Pass force: true to delete pinned segments, or unpin first (store or stash "
        "the segment again with pinned: false)");
  }
  return plan;
}

DeleteOutcome finish_delete(Catalog& catalog, DeletePlan plan) {
  if (plan.working) {
    for (const auto& d : plan.outcome.deleted) catalog.erase_working(plan.project, d.segment_id);
  }
  return std::move(plan.outcome);
}

Result<std::vector<JournalOp>> plan_import(std::vector<Segment> segments, const SegmentLimits& limits) {
  std::vector<JournalOp> ops;
  for (size_t i = 0; i < segments.size(); ++i) {
    segments[i].tier = Tier::kStashed;
    if (Status st = validate_segment(segments[i], limits, "segment " + std::to_string(i + 1)); !st.ok()) return st;
    JournalOp op;
    op.segment = std::move(segments[i]);
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace storage
