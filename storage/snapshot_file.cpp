#include "storage/snapshot_file.h"

namespace storage {

Status SnapshotFile::remember() {
  auto info = fs_.stat(path_);
  if (!info.ok()) return info.status();
  current_ = *info;
  bytes_ = info->size;
  return Status::ok_status();
}

}  // namespace storage
