#include "storage/writes.h"

#include <algorithm>
#include <set>
#include <utility>

#include "storage/token_estimate.h"

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
  std::vector<SupersedeRequest> requests;
  for (size_t i = 0; i < drafts.size(); ++i) {
    const Segment* existing = nullptr;
    if (drafts[i].segment_id) {
      if (!seen.insert(*drafts[i].segment_id).second) return duplicate_id(*drafts[i].segment_id);
      auto it = p.working.find(*drafts[i].segment_id);
      if (it != p.working.end()) existing = &it->second;
    }
    if (!drafts[i].supersedes.empty()) requests.push_back({i, drafts[i].supersedes, where(i)});
    auto s = factory.build(std::move(drafts[i]), project, existing, where(i));
    if (!s.ok()) return s.status();
    s->tier = Tier::kWorking;
    plan.built.push_back(std::move(s).value());
  }
  if (Status st = mark_superseded(p, project, Tier::kWorking, plan.built, {}, requests, plan.marks); !st.ok()) return st;
  for (size_t i = 0; i < plan.built.size(); ++i) {
    const Segment& s = plan.built[i];
    plan.stored.push_back({s.segment_id, s.tokens, p.working.count(s.segment_id) > 0, s.revision});
  }
  return plan;
}

StoreOutcome finish_store(Catalog& catalog, StorePlan plan) {
  for (Segment& s : plan.built) catalog.put_working(std::move(s));
  for (Segment& s : plan.marks.working) catalog.put_working(std::move(s));
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
  std::vector<Segment> stashing;  // parallel to out.stashed
  std::vector<SupersedeRequest> requests;
  for (const std::string& id : ids) {
    if (Status st = validate_segment_id(id); !st.ok()) return st;
    if (!seen.insert(id).second) return duplicate_id(id);
    auto it = p.working.find(id);
    if (it == p.working.end()) {
      out.not_found.push_back(id);
      continue;
    }
    Segment moved = it->second;
    moved.tier = Tier::kStashed;
    moved.last_touched_at = factory.now();
    if (auto old = p.stashed.find(id); old != p.stashed.end()) {
      // A new version of the stashed one: created_at and links kept, a revision above both.
      moved.created_at = old->second.created_at;
      moved.revision = std::max(moved.revision, old->second.revision + 1);
      carry_links(moved, old->second);
    }
    out.stashed.push_back({id, moved.tokens, p.stashed.count(id) > 0, 0});
    out.tokens_freed += it->second.tokens;
    plan.moved.push_back(id);
    stashing.push_back(std::move(moved));
  }
  for (size_t i = 0; i < drafts.size(); ++i) {
    const auto& maybe_id = drafts[i].segment_id;
    const Segment* existing = nullptr;
    if (maybe_id) {
      if (!seen.insert(*maybe_id).second) return duplicate_id(*maybe_id);
      if (auto old = p.stashed.find(*maybe_id); old != p.stashed.end()) existing = &old->second;
    }
    const bool replaced = existing != nullptr;
    if (!drafts[i].supersedes.empty()) requests.push_back({stashing.size(), drafts[i].supersedes, where(i)});
    auto s = factory.build(std::move(drafts[i]), project, existing, where(i));
    if (!s.ok()) return s.status();
    if (auto w = p.working.find(s->segment_id); w != p.working.end()) {
      out.tokens_freed += w->second.tokens;
      plan.moved.push_back(s->segment_id);
    }
    out.stashed.push_back({s->segment_id, s->tokens, replaced, 0});
    s->tier = Tier::kStashed;
    stashing.push_back(std::move(s).value());
  }
  const std::set<std::string> leaving(plan.moved.begin(), plan.moved.end());
  if (Status st = mark_superseded(p, project, Tier::kStashed, stashing, leaving, requests, plan.marks); !st.ok()) {
    return st;
  }
  for (size_t i = 0; i < stashing.size(); ++i) {
    out.stashed[i].revision = stashing[i].revision;
    JournalOp op;
    op.segment = std::move(stashing[i]);
    plan.ops.push_back(std::move(op));
  }
  return plan;
}

StashOutcome preview_stash(Catalog& catalog, StashPlan plan) {
  const ProjectState& p = catalog.project(plan.project);
  int64_t added = 0;
  for (const JournalOp& op : plan.ops) {
    if (op.kind != JournalOp::Kind::kPut || !op.session_id.empty()) continue;
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
  for (Segment& s : plan.marks.working) catalog.put_working(std::move(s));
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
  unmark_superseded(p, plan.outcome.deleted, plan.marks);
  return plan;
}

DeleteOutcome finish_delete(Catalog& catalog, DeletePlan plan) {
  if (plan.working) {
    for (const auto& d : plan.outcome.deleted) catalog.erase_working(plan.project, d.segment_id);
  }
  for (Segment& s : plan.marks.working) catalog.put_working(std::move(s));
  return std::move(plan.outcome);
}

Result<JournalOp> plan_edit(const Catalog& catalog, const SegmentFactory& factory, const std::string& project,
                            const std::string& id, int64_t expected_revision, const EditChange& change) {
  const Segment* current = catalog.find_stashed(project, id);
  if (current == nullptr) {
    return Status::not_found("no stashed segment '" + id + "' in project '" + project +
                             "'; context_edit edits stashed segments: find ids with context_search_stashed");
  }
  if (current->revision != expected_revision) {
    return Status::conflict("segment '" + id + "' is at revision " + std::to_string(current->revision) +
                            ", not " + std::to_string(expected_revision) +
                            ": it changed since you read it. Retrieve it with context_retrieve_stashed, redo the "
                            "edit on that text and pass revision " + std::to_string(current->revision));
  }
  auto text = apply_edit(current->text, change);
  if (!text.ok()) return text.status();
  if (text->empty()) {
    return Status::invalid_argument("this edit leaves segment '" + id +
                                    "' empty; delete it with context_delete instead");
  }
  JournalOp op;
  op.segment = *current;
  op.segment.text = std::move(text).value();
  op.segment.tokens = estimate_tokens(op.segment.text);
  op.segment.last_touched_at = factory.now();
  op.segment.revision = current->revision + 1;
  if (Status st = validate_segment(op.segment, factory.limits(), ""); !st.ok()) return st;
  return op;
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
