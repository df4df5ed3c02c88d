#include "storage/journal.h"

#include "storage/store.h"

namespace storage {

Status Journal::append(const JournalBatch& batch) {
  const std::string line = encode_journal_line(batch.seq, batch.ops);
  if (Status st = fs_.append(path_, line, sync_); !st.ok()) {
    // Part of the line may be on disk: cut it off so the file ends at the last good batch. If even
    // that fails, the position is poisoned (torn): the next access reads the file again from
    // offset() and applies the line when it is whole (only fdatasync failed), else truncates it.
    // With the whole line on disk the caller cannot be told which: the outcome is unknown
    // (issue 10 #12).
    if (Status undo = fs_.truncate(path_, offset_, sync_); !undo.ok()) {
      torn_ = true;
      // Less than the whole line on disk is a torn tail, never applied: nothing changed after all.
      auto info = fs_.stat(path_);
      if (info.ok() && info->size < offset_ + line.size()) return st;
      return Status::io_error(st.message() + "; undoing it failed too (" + undo.message() + "), so " +
                              kOutcomeUnknown + ": the next call reads the journal again");
    }
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

Status Journal::keep_from(uint64_t from) {
  if (from >= offset_) return clear();
  auto tail = fs_.read_range(path_, from, offset_ - from);
  if (!tail.ok()) return tail.status();
  if (tail->size() != offset_ - from) return Status::io_error("read " + path_ + ": the file is shorter than what was applied");
  if (Status st = fs_.write_file_atomically(path_, *tail); !st.ok()) return st;
  set_applied(tail->size(), false);
  return Status::ok_status();
}

Result<std::string> Journal::read_unapplied(uint64_t file_size) const {
  return fs_.read_range(path_, offset_, file_size - offset_);
}

}  // namespace storage
