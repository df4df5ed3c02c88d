// The snapshot codec: the bytes of the snapshot file (storage.json), in the specification's format:
//   {"version":"1.1","journal_seq":N,"projects":{"<id>":{"segments":[...],
//    "indexes":{"by_task":{},"by_file":{},"by_tag":{}},"root_path":"...","working":[...]}},
//   "xxh64":"<checksum of the file before this line>"}
// Each segment object ends in "xxh64":"<XXH64 of its bytes before ,\"xxh64\">" (format 1.1).
// ("root_path" and "working", the sessions' additions, only when not empty).
// Projects and segments sorted by id, one segment per line: equal content gives equal bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "storage/segment.h"
#include "storage/status.h"

namespace storage {

inline constexpr std::string_view kSnapshotVersion = "1.1";

using SegmentMap = std::map<std::string, Segment, std::less<>>;

// A working segment of a session (FORMAT.md "Sessions").
struct SessionSegment {
  std::string session_id;
  Segment segment;
};

struct SnapshotData {
  uint64_t journal_seq = 0;
  std::map<std::string, std::vector<Segment>> projects;         // stashed segments
  std::map<std::string, std::vector<SessionSegment>> working;   // sessions' working segments
  std::map<std::string, std::string> root_paths;                // claimed projects
};

// One project as encode_snapshot() writes it.
struct SnapshotProjectView {
  struct Working {
    std::string session_id;
    const Segment* segment;
  };
  const SegmentMap* stashed = nullptr;  // sorted by id
  std::vector<Working> working;         // written in this order (sessions, then ids)
  std::string root_path;                // empty: none
};

// `projects` maps project id -> its stashed segments (sorted by id).
std::string encode_snapshot(uint64_t journal_seq, const std::map<std::string, const SegmentMap*>& projects);
// The same with the sessions' keys: "root_path" and "working" are written only when not empty,
// so a store without sessions gives the bytes above.
std::string encode_snapshot(uint64_t journal_seq, const std::map<std::string, SnapshotProjectView>& projects);

// What encode_snapshot_to() wrote: the file's checksum (its trailer) and size.
struct EncodedSnapshot {
  uint64_t checksum = 0;
  uint64_t bytes = 0;
};
// The same bytes, handed to `write` in pieces of about 1 MiB as they are made: memory is one
// piece, whatever the size of the store (issue 9: compaction's peak). Stops at the first error.
Result<EncodedSnapshot> encode_snapshot_to(uint64_t journal_seq, const std::map<std::string, SnapshotProjectView>& projects,
                                           const std::function<Status(std::string_view)>& write);

// Corruption (naming every damaged line) when the bytes are not a valid snapshot, in full. Empty
// input is corruption too: a missing file is the caller's business. A newer major version or a
// resource limit is an io_error (snapshot_reader.h). Loading a store uses read_snapshot(), which
// streams and salvages; this is for small files and tests.
Result<SnapshotData> decode_snapshot(std::string_view bytes);

}  // namespace storage
