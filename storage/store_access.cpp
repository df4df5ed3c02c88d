#include "storage/store_access.h"

#include <utility>

namespace storage {

StoreAccess::StoreAccess(StoreState& state, Files files, Status arguments) : state_(state) {
  status_ = state_.load.wait();
  if (status_.ok()) status_ = std::move(arguments);
  state_.mu.lock();
  if (!status_.ok() || files == Files::kNone) return;
  auto lock = lock_and_catch_up(state_, files == Files::kExclusive ? LockMode::kExclusive : LockMode::kShared);
  if (!lock.ok()) {
    status_ = lock.status();
    return;
  }
  file_lock_ = std::move(lock).value();
}

StoreAccess::~StoreAccess() {
  file_lock_.reset();
  state_.mu.unlock();
}

Status lock_timed_out(const StoreState& state) {
  return Status::io_error("the store's lock " + state.lock_path + " is held by " + lock_holders(state.lock_path) +
                          " for more than " + std::to_string(state.options.lock_timeout.count()) +
                          " ms (OUT_OF_CONTEXT_LOCK_TIMEOUT_MS): is an ooc process stopped or hung?");
}

namespace {

Result<std::unique_ptr<FileLock>> lock_bounded(StoreState& state, LockMode mode) {
  auto lock = state.fs.lock_for(state.lock_path, mode, state.options.lock_timeout);
  if (lock.ok() && *lock == nullptr) return lock_timed_out(state);
  return lock;
}

}  // namespace

Result<std::unique_ptr<FileLock>> lock_and_catch_up(StoreState& state, LockMode mode) {
  if (mode == LockMode::kShared && state.recovery.needs_exclusive_lock()) mode = LockMode::kExclusive;
  auto lock = lock_bounded(state, mode);
  if (!lock.ok()) return lock.status();
  auto outcome = state.recovery.catch_up(mode == LockMode::kExclusive);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == CatchUp::kNeedsRepair) {
    lock.value().reset();
    lock = lock_bounded(state, LockMode::kExclusive);
    if (!lock.ok()) return lock.status();
    auto repaired = state.recovery.catch_up(true);
    if (!repaired.ok()) return repaired.status();
  }
  return lock;
}

}  // namespace storage
