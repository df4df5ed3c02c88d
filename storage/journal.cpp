#include "storage/journal.h"

namespace storage {

Status Journal::append(const JournalBatch& batch) {
  const std::string line = encode_journal_line(batch.seq, batch.ops);
  if (Status st = fs_.append(path_, line, sync_); !st.ok()) {
    // Part of the line may be on disk: cut it off so the file ends at the last good batch. If even
    // that fails, the bytes are a torn tail that the next writer or loader truncates.
    if (!fs_.truncate(path_, offset_, sync_).ok()) torn_ = true;
    return st;
  }
  offset_ += line.size();
  return Status::ok_status();
}

Status Journal::truncate_torn_tail() {
  if (Status st = fs_.truncate(path_, offset_, sync_); !st.ok()) return st;
  torn_ = false;
  return Status::ok_status();
}

Status Journal::clear() {
  auto info = fs_.stat(path_);
  if (!info.ok()) return info.status();
  if (info->exists) {
    if (Status st = fs_.truncate(path_, 0, sync_); !st.ok()) return st;
  }
  set_applied(0, false);
  return Status::ok_status();
}

Result<std::string> Journal::read_unapplied(uint64_t file_size) const {
  return fs_.read_range(path_, offset_, file_size - offset_);
}

}  // namespace storage
