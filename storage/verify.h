// ooc verify: reads the snapshot and the journal and reports damage without repairing anything.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/file_system.h"

namespace storage {

// Damage found in the files, without changing them.
struct VerifyReport {
  bool ok = true;
  std::vector<std::string> problems;
  std::vector<std::string> notes;  // harmless findings, e.g. a torn last line left by a crash
  uint64_t segments = 0;
  uint64_t journal_lines = 0;
};

// Bytes read so far of both files, and their total (for a progress bar).
using VerifyProgress = std::function<void(uint64_t done, uint64_t total)>;

// Checks the store whose snapshot is `path` (journal: path + ".journal"). Never fails: what it
// cannot read is a problem in the report. Both files are streamed: memory is a read buffer and
// one line (plus a few bytes per journal line), whatever their size.
VerifyReport verify_files(const std::string& path, FileSystem& fs, const VerifyProgress& progress = {});

}  // namespace storage
