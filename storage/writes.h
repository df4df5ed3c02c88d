// The validate step of the write path (DESIGN §2, §6): each write call checked against the catalog
// and turned into a journal batch plus the working-set changes that follow its commit. Planning
// changes nothing but the working set of store_working(); the Store commits the batch
// (file_engine.cpp: commit) and then finishes the plan.
//
// Not thread-safe: callers hold the Store's mutex.
#pragma once

#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/journal_codec.h"
#include "storage/segment_factory.h"
#include "storage/store.h"
#include "storage/supersede.h"

namespace storage {

struct StorePlan {
  std::string project;
  std::vector<Segment> built;           // the working segments to store, in order
  std::vector<StoredSegment> stored;    // their ids, tokens, revisions, and whether each replaces one
  SupersedeMarks marks;
};
// store_segments(): builds every draft (all or nothing). Changes nothing.
Result<StorePlan> plan_store(Catalog& catalog, SegmentFactory& factory, const std::string& project,
                             std::vector<SegmentDraft> drafts);
// Puts the segments into the working set (again, when a committed batch already did) and totals.
StoreOutcome finish_store(Catalog& catalog, StorePlan plan);

struct StashPlan {
  std::string project;
  StashOutcome outcome;            // stashed, not_found and tokens_freed; totals come later
  std::vector<JournalOp> ops;      // one put per segment to stash
  std::vector<std::string> moved;  // working-set ids that leave the working set on commit
  SupersedeMarks marks;            // not yet in ops (added by the Store before the commit)
};
// stash(): working-set `ids` (unknown ones go to not_found) plus `drafts` built anew.
Result<StashPlan> plan_stash(Catalog& catalog, SegmentFactory& factory, const std::string& project,
                             const std::vector<std::string>& ids, std::vector<SegmentDraft> drafts);
// The outcome a dry run reports: the totals as if the plan were committed.
StashOutcome preview_stash(Catalog& catalog, StashPlan plan);
// After the commit: the moved segments leave the working set; the totals.
StashOutcome finish_stash(Catalog& catalog, StashPlan plan);

struct DeletePlan {
  std::string project;
  bool working = true;             // delete from the working tier
  DeleteOutcome outcome;
  std::vector<JournalOp> ops;      // one delete per stashed segment
  SupersedeMarks marks;            // segments whose superseding segment is deleted; not yet in ops
};
// delete_segments(): `ids` are valid segment ids (duplicates count once). Without `force`, a
// pinned segment in a tier to delete from fails the call, naming every such pin.
Result<DeletePlan> plan_delete(Catalog& catalog, const std::string& project, const std::vector<std::string>& ids,
                               bool working, bool stashed, bool force);
// After the commit: the working-tier deletions.
DeleteOutcome finish_delete(Catalog& catalog, DeletePlan plan);

// edit(): the put of stashed segment `id`'s next revision (FORMAT.md; Store::edit).
Result<JournalOp> plan_edit(const Catalog& catalog, const SegmentFactory& factory, const std::string& project,
                            const std::string& id, int64_t expected_revision, const EditChange& change);

// import_stashed(): every segment validated (lenient on nothing) and made a put.
Result<std::vector<JournalOp>> plan_import(std::vector<Segment> segments, const SegmentLimits& limits);

}  // namespace storage
