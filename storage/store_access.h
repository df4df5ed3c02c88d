// StoreAccess: the one opening of every Store call. It waits for the load, checks the call's
// arguments, takes the Store's mutex, and when the call touches the stashed tier takes the file
// lock (shared to read, exclusive to write) and catches up with other processes' writes. It holds
// both until destroyed. status() says whether the call may go on; the mutex is held either way.
#pragma once

#include <memory>

#include "storage/file_system.h"
#include "storage/status.h"
#include "storage/store_state.h"
#include "storage/thread_annotations.h"

namespace storage {

enum class Files {
  kNone,      // working set only: no file lock, no catch-up
  kShared,    // reads the stashed tier
  kExclusive  // writes the stashed tier (or repairs or compacts)
};

class SCOPED_CAPABILITY StoreAccess {
 public:
  // `arguments`: the call's own argument checks, reported after a failed load.
  StoreAccess(StoreState& state, Files files, Status arguments = Status::ok_status()) ACQUIRE(state.mu);
  ~StoreAccess() RELEASE();
  StoreAccess(const StoreAccess&) = delete;
  StoreAccess& operator=(const StoreAccess&) = delete;

  bool ok() const { return status_.ok(); }
  // Lets other processes write while the rest of the call only reads memory (it has caught up;
  // the mutex stays held).
  void release_file_lock() { file_lock_.reset(); }
  const Status& status() const { return status_; }

 private:
  StoreState& state_;
  Status status_;
  std::unique_ptr<FileLock> file_lock_;
};

// Takes the file lock in `mode` and catches up, retaking it exclusively when the files need a
// repair. Used by StoreAccess and by the load. Each lock wait is bounded by
// options.lock_timeout, then fails with lock_timed_out().
Result<std::unique_ptr<FileLock>> lock_and_catch_up(StoreState& state, LockMode mode) REQUIRES(state.mu);

// The storage error of a lock wait that timed out, naming the holder's pid when it can be known.
Status lock_timed_out(const StoreState& state);

}  // namespace storage
