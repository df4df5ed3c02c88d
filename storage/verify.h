// ooc verify: reads the snapshot and the journal and reports damage without repairing anything.
#pragma once

#include <cstdint>
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

// Checks the store whose snapshot is `path` (journal: path + ".journal"). Never fails: what it
// cannot read is a problem in the report.
VerifyReport verify_files(const std::string& path, FileSystem& fs);

}  // namespace storage
