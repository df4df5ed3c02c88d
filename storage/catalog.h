// Catalog: every project's segments in memory, both tiers, with the indexes over the stashed tier
// (DESIGN §3). The stashed tier mirrors the files (snapshot + journal batches up to last_seq());
// the working tier is this process's own.
//
// Not thread-safe: the Store holds it under its mutex. Segments live in node maps, so the indexes'
// pointers stay valid until the segment is erased or replaced (the catalog unindexes it first).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "storage/journal_codec.h"
#include "storage/metadata_index.h"
#include "storage/search/ranked_index.h"
#include "storage/segment.h"
#include "storage/snapshot_codec.h"

namespace storage {

struct ProjectState {
  SegmentMap stashed;      // durable, shared by every process
  SegmentMap working;      // this process only
  MetadataIndex metadata;  // over stashed
  RankedIndex ranked;      // over stashed
  int64_t stashed_tokens = 0;
  int64_t active_tokens = 0;
};

class Catalog {
 public:
  // The project's state, created empty when missing (an empty project is never listed).
  ProjectState& project(const std::string& id) { return projects_[id]; }
  const std::map<std::string, ProjectState>& projects() const { return projects_; }

  // --- stashed tier: changed only by journal batches and snapshot loads ---
  uint64_t last_seq() const { return last_seq_; }  // newest batch applied
  void apply(const JournalBatch& batch);
  // Adds or replaces one stashed segment (its project_id says where), indexed.
  void put_stashed(Segment segment);
  // Empties every project's stashed tier and sets last_seq(), before a snapshot is loaded again.
  // Working sets stay.
  void reset_stashed(uint64_t seq);
  // The stashed tier of every non-empty project, for encode_snapshot().
  std::map<std::string, const SegmentMap*> stashed_view() const;
  // The stashed segment `id` of `project` ("*": the first project in id order that has it).
  const Segment* find_stashed(const std::string& project, const std::string& id) const;

  // --- working tier ---
  // Adds or replaces `segment` (tier set to working); true when it replaced one.
  bool put_working(Segment segment);
  void erase_working(const std::string& project, const std::string& id);

 private:
  void erase_stashed(const std::string& project, const std::string& id);

  std::map<std::string, ProjectState> projects_;
  uint64_t last_seq_ = 0;
};

}  // namespace storage
