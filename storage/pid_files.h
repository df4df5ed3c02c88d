// Files a process names after its pid (`<prefix><pid>`): the index file's staging copy and a
// background compaction's snapshot and index. Two processes never write the same one, and the
// files of a process that died mid-way (a crash) are recognised and removed by the next writer.
#pragma once

#include <string>

#include "storage/file_system.h"

namespace storage {

// `prefix` followed by this process's pid.
std::string own_pid_file(const std::string& prefix);
// Removes every `<prefix><digits>` beside `prefix` whose pid runs no process (nothing else: a
// name that does not end in a pid after the prefix is not the store's). Best effort.
void remove_dead_pid_files(FileSystem& fs, const std::string& prefix);

}  // namespace storage
