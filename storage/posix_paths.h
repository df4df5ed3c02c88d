// The POSIX path helpers of PosixFileSystem (file_system.cpp): what a stat(2) mode names, and a
// path with its symbolic links resolved (FileSystem::real_path). Internal to the storage engine.
#pragma once

#include <sys/stat.h>

#include <string>

#include "storage/file_system.h"
#include "storage/status.h"

namespace storage {

FileKind kind_of(mode_t mode);

// FileSystem::real_path on the real file system: realpath(3) of the longest existing prefix (a
// dangling link followed to where it points, at most 40 links), the missing tail appended.
Result<std::string> posix_real_path(const std::string& path);

}  // namespace storage
