// The journal codec: append-only JSON Lines beside the snapshot, one line per committed batch.
//   {"seq":N,"ops":[{"op":"put","segment":{...}},{"op":"del","project_id":"p","segment_id":"x"}],"xxh64":"<16 hex>"}
// Sessions add a put of a working segment ("tier":"working" and "session_id" in the segment),
// {"op":"wdel","project_id","session_id","segment_id"} and {"op":"project","project_id","root_path"}.
// The checksum is XXH64 (seed 0) of the line's bytes before `,"xxh64":`. See storage/FORMAT.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/segment.h"

namespace storage {

struct JournalOp {
  enum class Kind {
    kPut,            // a stashed segment, or a working one of session_id when that is not empty
    kDelete,         // a stashed segment
    kWorkingDelete,  // a working segment of session_id
    kProject         // binds project_id to root_path
  };
  Kind kind = Kind::kPut;
  Segment segment;          // kPut: the complete segment (its project_id says where)
  std::string session_id;   // kPut of a working segment, kWorkingDelete
  std::string project_id;   // kDelete, kWorkingDelete, kProject
  std::string segment_id;   // kDelete, kWorkingDelete
  std::string root_path;    // kProject
};

struct JournalBatch {
  uint64_t seq = 0;
  std::vector<JournalOp> ops;
};

// One line, with the trailing '\n'.
std::string encode_journal_line(uint64_t seq, const std::vector<JournalOp>& ops);

struct JournalScan {
  std::vector<JournalBatch> batches;  // every line that verified, in file order
  std::vector<uint64_t> offsets;      // the file offset of each of them
  uint64_t valid_end = 0;     // offset just past the last line that verified (or base_offset)
  uint64_t complete_end = 0;  // offset just past the last '\n' (or base_offset)
  bool torn_tail = false;     // bytes after the last '\n': an append that never finished, ignored
  std::vector<std::string> corrupt;  // every damaged complete line: "byte 1234: checksum mismatch"
  uint64_t lines = 0;
};

// Scans `bytes`, which start at file offset `base_offset`. Never fails: damage is reported.
// Only an unterminated last line is a torn tail; a complete line that does not verify is damage,
// wherever it is (FORMAT.md "Damage that is not a crash").
JournalScan scan_journal(std::string_view bytes, uint64_t base_offset);

// The rules on seq, one set for load and verify. Over a snapshot at `snapshot_seq` (`known`: its
// header was readable), batches at or below snapshot_seq were folded into it (a compaction that
// crashed before emptying the journal) and are skipped. The others must go up by one: a batch
// whose seq is not above the previous one is out of order (a copied older line: not applied), a
// jump is a gap (deleted lines). Each break is a problem ("byte 9: seq 3 out of order"); `apply`
// gets the batches to apply, in order.
std::vector<std::string> check_journal_sequence(const JournalScan& scan, uint64_t snapshot_seq, bool known,
                                                std::vector<const JournalBatch*>* apply);

}  // namespace storage
