// The snapshot reader: loads a snapshot file (FORMAT.md "Snapshot") in bounded memory, one line at
// a time, whatever its size. The writer puts one segment per line, so each segment line is parsed
// on its own with one reused parser; the header, project and trailer lines have fixed shapes.
// Memory: one read chunk plus the longest line, never a parse of the whole file.
//
// Outcomes, kept apart on purpose:
//  - damage (a line that does not parse or fails its checksum, a bad header, a file checksum
//    mismatch): reported in SnapshotLoad::damage; every segment line that verifies still reaches
//    the sink (salvage). The caller decides what to repair.
//  - refusal (a newer major version, a read error such as EIO or ENOMEM, a line too large for the
//    parser, memory exhausted): the Result fails with the reason. Nothing is damaged: the caller
//    must fail the call and touch no file.
// A file whose first line is not the writer's header (hand-edited JSON, one line) is parsed
// as one document when it is at most SnapshotReadOptions::whole_document_max_bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/file_system.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace storage {

// Where the segments go, in file order. `stashed` may return a non-ok Status to stop the load
// (the store is closing); the reader returns it.
struct SnapshotSink {
  std::function<void(uint64_t journal_seq)> header;  // before any segment (0 when the header is damaged)
  std::function<Status(Segment)> stashed;            // project_id is set
  std::function<void(std::string session_id, Segment)> working;
  std::function<void(std::string project_id, std::string root_path)> root_path;
  std::function<void(uint64_t offset)> progress;     // before each segment line: its byte offset
};

struct SnapshotReadOptions {
  uint64_t chunk_bytes = 16u << 20;                 // bytes per read(2)
  uint64_t parser_max_bytes = 0xFFFFFFFFu;          // the largest line the parser accepts
  uint64_t whole_document_max_bytes = 64u << 20;    // see above
};

// What a read found.
struct SnapshotLoad {
  uint64_t journal_seq = 0;
  bool header_ok = false;              // journal_seq is known
  bool checksummed = false;            // format 1.1 or later: per-line and whole-file checksums
  uint64_t segments = 0;               // segment lines that verified and reached the sink
  uint64_t lost = 0;                   // segment lines that did not
  uint64_t file_checksum = 0;          // the verified whole-file XXH64 (its identity); 0 when not verified
  std::vector<std::string> damage;     // "line 7 (byte 1234, segment 'x'): checksum mismatch", ...
};

// The defaults used by the store (tests lower them to exercise the limits).
SnapshotReadOptions& snapshot_read_defaults();

// Reads the snapshot at `path` through `fs`. not_found when it does not exist.
Result<SnapshotLoad> read_snapshot(FileSystem& fs, const std::string& path, const SnapshotSink& sink,
                                   const SnapshotReadOptions& options = snapshot_read_defaults());
// The same over bytes in memory.
Result<SnapshotLoad> read_snapshot_bytes(std::string_view bytes, const SnapshotSink& sink,
                                         const SnapshotReadOptions& options = snapshot_read_defaults());

// "this store was written by a newer ooc (format 2.x); upgrade ooc" when `version` is a major
// this reader does not know but a later one would; ok for 1.x.
Status check_snapshot_version(std::string_view version);

}  // namespace storage
