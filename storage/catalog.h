// Catalog: every project's segments in memory, both tiers, with the indexes over the stashed tier
// (DESIGN §3). The stashed tier mirrors the files (snapshot + journal batches up to last_seq()).
// The working tier is this process's own: memory only without a session; with one (session()) it
// is durable too, and the catalog also holds every other session's working segments and the
// projects' root paths, as the files say (FORMAT.md "Sessions").
//
// Not thread-safe: the Store holds it under its mutex. Segments live in node maps, so the indexes'
// pointers stay valid until the segment is erased or replaced (the catalog unindexes it first).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "storage/journal_codec.h"
#include "storage/metadata_index.h"
#include "storage/search/ranked_index.h"
#include "storage/segment.h"
#include "storage/snapshot_codec.h"
#include "storage/text_signature.h"

namespace storage {

struct ProjectState {
  SegmentMap stashed;      // durable, shared by every process
  SegmentMap working;      // this process only (its session's, when it has one)
  std::map<std::string, SegmentMap> sessions;  // other sessions' working segments, by session id
  std::string root_path;   // the project's root directory, when claimed (claim_project)
  MetadataIndex metadata;  // over stashed
  RankedIndex ranked;      // over stashed
  int64_t stashed_tokens = 0;
  int64_t active_tokens = 0;
  // duplicates.h's cache of working segments' signatures, by id: filled by name_duplicates(), an
  // entry dropped whenever its segment is put or erased (put_working, erase_working, reset_durable).
  std::unordered_map<std::string, TextSignature> working_signatures;
};

class Catalog {
 public:
  // `session`: this process's session id (empty: a memory-only working set).
  explicit Catalog(std::string session = "") : session_(std::move(session)) {}
  const std::string& session() const { return session_; }

  // The project's state, created empty when missing (an empty project is never listed).
  ProjectState& project(const std::string& id) { return projects_[id]; }
  const std::map<std::string, ProjectState>& projects() const { return projects_; }

  // --- stashed tier: changed only by journal batches and snapshot loads ---
  uint64_t last_seq() const { return last_seq_; }  // newest batch applied
  void apply(const JournalBatch& batch);
  // Adds or replaces one stashed segment (its project_id says where), indexed.
  void put_stashed(Segment segment);
  // Empties everything the files hold and sets last_seq(), before a snapshot is loaded again: the
  // stashed tier, other sessions' working segments, root paths, and this process's working set
  // when it has a session. A memory-only working set stays.
  void reset_durable(uint64_t seq);
  // While deferred, stashed segments are added without their ranked index (a load that will
  // install it from the index file, or call rank_all()).
  void set_ranking_deferred(bool deferred) { ranking_deferred_ = deferred; }
  // Rebuilds every project's ranked index from its stashed segments; false when `stop` ended it
  // early (the indexes are then incomplete).
  bool rank_all(const std::atomic<bool>& stop);
  // What the files hold, for encode_snapshot().
  std::map<std::string, SnapshotProjectView> snapshot_view() const;
  // Adds or replaces a working segment of `session` (this process's or another's).
  void put_session_working(const std::string& session, Segment segment);
  void set_root_path(const std::string& project_id, std::string root_path) { project(project_id).root_path = std::move(root_path); }
  // The stashed segment `id` of `project` ("*": the first project in id order that has it).
  const Segment* find_stashed(const std::string& project, const std::string& id) const;

  // --- working tier ---
  // Adds or replaces `segment` (tier set to working); true when it replaced one.
  bool put_working(Segment segment);
  void erase_working(const std::string& project, const std::string& id);

 private:
  void erase_stashed(const std::string& project, const std::string& id);

  void erase_session_working(const std::string& session, const std::string& project, const std::string& id);

  const std::string session_;
  std::map<std::string, ProjectState> projects_;
  uint64_t last_seq_ = 0;
  bool ranking_deferred_ = false;
};

}  // namespace storage
