// Supersede links (issue 11 #3): a new segment's `supersedes: [ids]` marks those segments
// `superseded_by` it, and deleting the last copy of the superseding segment clears the marks. The
// write plans (writes.h) call these; the marked copies become puts of the same journal batch as
// the call's own changes, so the links are all or nothing.
//
// Not thread-safe: callers hold the Store's mutex.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/journal_codec.h"
#include "storage/segment.h"
#include "storage/status.h"
#include "storage/store.h"

namespace storage {

// Other segments a write changes on the side: marked superseded_by a new segment, or unmarked
// because the segment that superseded them was deleted. Each one revision more.
struct SupersedeMarks {
  std::vector<Segment> working;  // this process's working set
  std::vector<Segment> stashed;
};

// One draft's `supersedes`, as the client named them.
struct SupersedeRequest {
  size_t index;                  // the draft's segment in `same_call`
  std::vector<std::string> ids;
  std::string where;             // "segments[2]", for messages
};

// Marks every segment the requests name: `superseded_by` set to the draft's id in each tier of
// project `p` that has the id, one revision more when the copy comes from the catalog. `same_call`
// holds this call's new segments of tier `tier` (marked in place when named); `leaving` the working
// ids this call moves to the stash (not marked there). Marked copies of other segments go to
// `marks`. An id in neither tier is not_found, the draft's own id invalid_argument, both naming
// "<where>.supersedes[k]". On failure the caller drops everything: nothing was committed.
Status mark_superseded(const ProjectState& p, const std::string& project, Tier tier, std::vector<Segment>& same_call,
                       const std::set<std::string>& leaving, const std::vector<SupersedeRequest>& requests,
                       SupersedeMarks& marks);

// Deleting a segment that superseded others brings them back: for each deleted id of which no copy
// is left in the stash or this working set, each segment named in its `supersedes` whose
// superseded_by still is that id (and that is not deleted too) is added to `marks` with the mark
// cleared, one revision more.
void unmark_superseded(const ProjectState& p, const std::vector<DeleteOutcome::Deleted>& deleted,
                       SupersedeMarks& marks);

// Puts of the marks: stashed ones always, working ones into `session` when there is one (without a
// session the finish_* functions of writes.h change the memory-only working set).
void add_mark_ops(std::vector<JournalOp>& ops, const SupersedeMarks& marks, const std::string& session);

}  // namespace storage
