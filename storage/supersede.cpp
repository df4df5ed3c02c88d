// Supersede marks (issue 11 #3): see supersede.h.
#include "storage/supersede.h"

#include <algorithm>
#include <utility>

namespace storage {
namespace {

// The segment with `id` in `list` (this call's new or marked segments), or nullptr.
Segment* pending(std::vector<Segment>& list, const std::string& id) {
  for (Segment& s : list) {
    if (s.segment_id == id) return &s;
  }
  return nullptr;
}

}  // namespace

Status mark_superseded(const ProjectState& p, const std::string& project, Tier tier, std::vector<Segment>& same_call,
                       const std::set<std::string>& leaving, const std::vector<SupersedeRequest>& requests,
                       SupersedeMarks& marks) {
  for (const SupersedeRequest& r : requests) {
    const std::string new_id = same_call[r.index].segment_id;
    for (size_t k = 0; k < r.ids.size(); ++k) {
      const std::string& old = r.ids[k];
      const std::string field = r.where + ".supersedes[" + std::to_string(k) + "]";
      if (Status st = validate_segment_id(old); !st.ok()) return Status::invalid_argument(field + ": " + st.message());
      if (old == new_id) {
        return Status::invalid_argument(field + ": '" + old + "' is this segment's own id; a segment cannot supersede itself");
      }
      bool found = false;
      for (const Tier t : {Tier::kWorking, Tier::kStashed}) {
        // The segment as this call leaves it: new in this call, else already marked, else the
        // catalog's (not a working one this call moves to the stash).
        std::vector<Segment>& marked = t == Tier::kWorking ? marks.working : marks.stashed;
        Segment* target = t == tier ? pending(same_call, old) : nullptr;
        if (target == nullptr) target = pending(marked, old);
        if (target == nullptr) {
          const SegmentMap& map = t == Tier::kWorking ? p.working : p.stashed;
          auto it = map.find(old);
          if (it == map.end() || (t == Tier::kWorking && leaving.count(old) > 0)) continue;
          marked.push_back(it->second);
          target = &marked.back();
          ++target->revision;
        }
        target->superseded_by = new_id;
        found = true;
      }
      if (!found) {
        return Status::not_found(field + ": no segment '" + old + "' in the working set or stash of project '" + project +
                                 "' to supersede; check the id with context_search_stashed or context_get_working_set");
      }
    }
  }
  return Status::ok_status();
}

void unmark_superseded(const ProjectState& p, const std::vector<DeleteOutcome::Deleted>& removed,
                       SupersedeMarks& marks) {
  std::set<std::string> deleted;
  for (const auto& d : removed) deleted.insert(d.segment_id);
  for (const auto& d : removed) {
    const bool left_in_stash = !std::count(d.tiers.begin(), d.tiers.end(), Tier::kStashed) && p.stashed.count(d.segment_id);
    const bool left_working = !std::count(d.tiers.begin(), d.tiers.end(), Tier::kWorking) && p.working.count(d.segment_id);
    if (left_in_stash || left_working) continue;
    std::vector<std::string> named;
    for (const SegmentMap* map : {&p.stashed, &p.working}) {
      if (auto it = map->find(d.segment_id); it != map->end()) {
        named.insert(named.end(), it->second.supersedes.begin(), it->second.supersedes.end());
      }
    }
    for (const std::string& old : named) {
      if (deleted.count(old) > 0) continue;
      for (const Tier t : {Tier::kWorking, Tier::kStashed}) {
        const SegmentMap& map = t == Tier::kWorking ? p.working : p.stashed;
        std::vector<Segment>& marked = t == Tier::kWorking ? marks.working : marks.stashed;
        auto it = map.find(old);
        if (it == map.end() || it->second.superseded_by != d.segment_id || pending(marked, old) != nullptr) continue;
        marked.push_back(it->second);
        marked.back().superseded_by.reset();
        ++marked.back().revision;
      }
    }
  }
}


void add_mark_ops(std::vector<JournalOp>& ops, const SupersedeMarks& marks, const std::string& session) {
  for (const Segment& s : marks.stashed) {
    JournalOp op;
    op.segment = s;
    op.segment.tier = Tier::kStashed;
    ops.push_back(std::move(op));
  }
  if (session.empty()) return;
  for (const Segment& s : marks.working) {
    JournalOp op;
    op.segment = s;
    op.segment.tier = Tier::kWorking;
    op.session_id = session;
    ops.push_back(std::move(op));
  }
}

}  // namespace storage
