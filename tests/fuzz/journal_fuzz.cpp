// libFuzzer target: storage::scan_journal and storage::check_journal_sequence
// (storage/journal_codec.h) over arbitrary bytes.
//
// Asserts, beyond no crash / no sanitizer report / no hang, the scan's contract:
// base <= valid_end <= complete_end <= base + size, one offset per batch, offsets increasing and
// below valid_end, torn_tail exactly when bytes follow the last '\n'; every batch handed to `apply`
// is one of the scan's, in order; and every batch that verified, encoded again by
// encode_journal_line, scans back as one verified batch with the same seq and op count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "storage/journal_codec.h"

namespace {

void check_scan(const storage::JournalScan& scan, uint64_t base, size_t size) {
  if (scan.valid_end < base || scan.valid_end > scan.complete_end || scan.complete_end > base + size) std::abort();
  if (scan.offsets.size() != scan.batches.size()) std::abort();
  for (size_t i = 0; i < scan.offsets.size(); ++i) {
    if (scan.offsets[i] < base || scan.offsets[i] >= scan.valid_end) std::abort();
    if (i > 0 && scan.offsets[i] <= scan.offsets[i - 1]) std::abort();
  }
  if (scan.torn_tail != (scan.complete_end < base + size)) std::abort();
}

void check_sequence(const storage::JournalScan& scan, uint64_t snapshot_seq, bool known) {
  std::vector<const storage::JournalBatch*> apply;
  (void)storage::check_journal_sequence(scan, snapshot_seq, known, &apply);
  size_t next = 0;  // apply is a subsequence of scan.batches
  for (const storage::JournalBatch* batch : apply) {
    while (next < scan.batches.size() && &scan.batches[next] != batch) ++next;
    if (next == scan.batches.size()) std::abort();
    ++next;
  }
}

void check_reencode(const storage::JournalBatch& batch) {
  const std::string line = storage::encode_journal_line(batch.seq, batch.ops);
  const storage::JournalScan again = storage::scan_journal(line, 0);
  if (again.batches.size() != 1 || !again.corrupt.empty() || again.torn_tail) std::abort();
  if (again.batches[0].seq != batch.seq || again.batches[0].ops.size() != batch.ops.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The snapshot's seq comes from the first byte, so the fuzzer explores skipped/applied batches.
  const uint64_t snapshot_seq = size > 0 ? data[0] % 8 : 0;
  for (const uint64_t base : {uint64_t{0}, uint64_t{1000}}) {
    const storage::JournalScan scan = storage::scan_journal(bytes, base);
    check_scan(scan, base, size);
    if (base != 0) continue;
    check_sequence(scan, snapshot_seq, true);
    check_sequence(scan, snapshot_seq, false);
    check_sequence(scan, 0, true);
    for (const storage::JournalBatch& batch : scan.batches) check_reencode(batch);
  }
  return 0;
}
