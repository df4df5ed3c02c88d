// The types of the storage API (store.h, engine.h): options, outcomes of the calls, statistics.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/file_system.h"
#include "storage/search/search_types.h"
#include "storage/segment.h"
#include "storage/segment_edit.h"
#include "storage/status.h"
#include "storage/verify.h"

namespace storage {

enum class SyncMode { kAlways, kNever };

struct StoreOptions {
  std::string path;  // the snapshot file (storage.json); see resolve_storage_path()
  SyncMode sync = SyncMode::kAlways;
  SegmentLimits limits;
  uint64_t compact_min_journal_bytes = 4u << 20;  // compact when journal > max(this, snapshot/2)
  // A write that finds a compaction due forks it into the background (Compaction::start_background)
  // instead of running it before it returns; a later write swaps its result in. Off: it runs in
  // the write (the CLI's one-shot commands, and fault-injection tests, whose fake file system
  // the child cannot report back from).
  bool compact_in_background = true;
  FileSystem* fs = nullptr;     // default: posix_file_system()
  const Clock* clock = nullptr; // default: a SystemClock
  // Longest wait for another process's file lock; then the call fails with a storage error
  // naming the holder (a stopped or hung process never hangs this one).
  std::chrono::milliseconds lock_timeout{10000};
  // Working segments this process may hold (all projects); more is LIMIT_EXCEEDED.
  size_t max_working_segments = 10000;
  // This server process's session (FORMAT.md "Sessions"): its working set is durable and ends up
  // in the stash however the process ends. Empty: a memory-only working set (the CLI).
  std::string session_id;
};

// In the message of a storage error when a write failed and so did its undo (issue 10 #12): the
// write may still be applied (by the next call's catch-up), so "nothing was changed" is not true.
inline constexpr const char* kOutcomeUnknown = "whether the write was applied is unknown";

// Another segment of the project whose text duplicates a written one (issue 11 #5; the rules and
// thresholds are in storage/duplicates.h).
struct Duplicate {
  enum class Kind { kExact, kNear };
  std::string segment_id;
  Tier tier = Tier::kStashed;
  Kind kind = Kind::kExact;
  double similarity = 1.0;  // Jaccard similarity of the analysed term sets; 1 when exact
  bool operator==(const Duplicate&) const = default;
};
// "exact", "near"
std::string_view to_string(Duplicate::Kind kind);

struct StoredSegment {
  std::string segment_id;
  int64_t tokens = 0;
  bool replaced = false;  // an existing segment with this id was updated
  int64_t revision = 1;   // the revision this call gave it
  // Unsuperseded segments of the same project, in the stash or this working set, with the same or
  // nearly the same text: at most 5, exact first, then by similarity. Empty for a dry run.
  std::vector<Duplicate> duplicates{};
};

struct StoreOutcome {
  std::vector<StoredSegment> stored;
  int64_t active_tokens = 0;  // working-set total for the project after the call
};

struct StashOutcome {
  std::vector<StoredSegment> stashed;
  std::vector<std::string> not_found;  // ids named but not in the working set
  int64_t tokens_freed = 0;
  int64_t active_tokens = 0;
  int64_t stashed_tokens = 0;  // project total after the call
  bool dry_run = false;
};

struct RetrieveOutcome {
  std::vector<Segment> segments;        // full segments, in the order asked
  std::vector<std::string> not_found;
  std::vector<std::string> omitted;     // found but left out by max_tokens
  int64_t tokens = 0;
  int64_t active_tokens = 0;
};

struct DeleteOutcome {
  struct Deleted {
    std::string segment_id;
    std::vector<Tier> tiers;
  };
  std::vector<Deleted> deleted;
  std::vector<std::string> not_found;
  // Ids with a stashed copy that this call left alone (it deleted from the working set only).
  std::vector<std::string> kept_stashed;
};

struct EditOutcome {
  std::string segment_id;
  int64_t revision = 1;  // after the edit
  int64_t tokens = 0;
  int64_t lines = 0;     // of the new text
};

struct ProjectInfo {
  std::string project_id;
  size_t active_count = 0;
  int64_t active_tokens = 0;
  size_t stashed_count = 0;
  int64_t stashed_tokens = 0;
  std::string last_updated;  // newest last_touched_at over both tiers; empty if none
  std::string root_path;     // the root directory bound by claim_project(); empty if none
};

struct StoreStats {
  std::string path;
  std::string journal_path;
  uint64_t snapshot_bytes = 0;
  uint64_t journal_bytes = 0;
  uint64_t journal_seq = 0;
  size_t projects = 0;
  size_t stashed_segments = 0;
  int64_t stashed_tokens = 0;
  size_t active_segments = 0;
  size_t index_postings = 0;
  size_t index_bytes = 0;
  std::vector<std::string> recovery_notes;  // what load() had to repair (moved-aside files, ...)
  int64_t background_compaction_pid = 0;   // the child writing the next snapshot (0: none running)
  std::string ranked_index_source;          // where the last load took the ranked indexes from: "index file", "rebuilt"
};

}  // namespace storage
