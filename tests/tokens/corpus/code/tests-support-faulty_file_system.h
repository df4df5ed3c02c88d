// FaultyFileSystem: wraps a real FileSystem and fails chosen operations, to prove that no failure
// or crash at any step loses an acknowledged write or corrupts the store.
//
// Every mutating call (write_file_atomically, append, truncate, rename, remove,
// create_directories) counts as one step. fail_at(n) makes step n fail with the given error;
// in crash mode step n and every later step fail (the process is "dead" from then on), and an
// append that fails writes half of its bytes first, as a torn write would.
#pragma once

#include <atomic>
#include <cerrno>
#include <string>

#include "storage/file_system.h"

namespace testing {

class FaultyFileSystem final : public storage::FileSystem {
 public:
  explicit FaultyFileSystem(storage::FileSystem& base) : base_(base) {}

  // Step `n` (1-based; 0 = never) fails with `err` (ENOSPC, EACCES, EIO ...).
  void fail_at(long n, int err = ENOSPC, bool crash = false) {
    fail_at_ = n;
    err_ = err;
    crash_ = crash;
    steps_ = 0;
  }
  // A failing append writes all its bytes first (the write worked, fdatasync failed), instead of
  // half of them.
  void write_whole_on_failure(bool whole) { whole_on_failure_ = whole; }
  // Every write_file_atomically fails with `err` (a snapshot that no longer fits the disk), without
  // counting as a step; `err` 0 stops it. atomic_writes() counts the calls.
  void fail_atomic_writes(int err) { atomic_err_ = err; }
  long atomic_writes() const { return atomic_writes_.load(); }
  // Every mutating step fails with `err` (a read-only directory, a full disk).
  void fail_all_writes(int err) { fail_at(1, err, true); }
  void heal() {
    fail_at_ = 0;
    read_err_ = 0;
  }
  // Every read fails with `err` (EIO, ENOMEM, EMFILE ...) until heal(); 0 stops.
  void fail_reads(int err) { read_err_ = err; }
  long steps() const { return steps_; }
  bool triggered() const { return fail_at_ > 0 && steps_ >= fail_at_; }

  storage::Result<std::string> read_file(const std::string& path) override {
    if (read_err_ != 0) return read_error(path);
    return pretended(path) ? std::string() : base_.read_file(path);
  }
  storage::Result<std::string> read_range(const std::string& path, uint64_t offset, uint64_t max) override {
    if (read_err_ != 0) return read_error(path);
    return pretended(path) ? std::string() : base_.read_range(path, offset, max);
  }
  storage::Status write_file_atomically(const std::string& path, std::string_view bytes) override;
  storage::Status append(const std::string& path, std::string_view bytes, bool sync) override;
  storage::Status truncate(const std::string& path, uint64_t size, bool sync) override;
  storage::Status rename(const std::string& from, const std::string& to) override;
  storage::Status remove(const std::string& path) override;
  storage::Result<storage::FileInfo> stat(const std::string& path) override;
  storage::Result<std::string> real_path(const std::string& path) override { return base_.real_path(path); }
  // From now on stat(`path`) reports an existing file of `kind` (a character device, say), and
  // reading it returns no bytes, as /dev/null would: the real file system is never asked.
  void pretend(const std::string& path, storage::FileKind kind) {
    pretend_path_ = path;
    pretend_kind_ = kind;
  }
  storage::Status create_directories(const std::string& path) override;
  storage::Result<std::unique_ptr<storage::FileLock>> lock(const std::string& path, storage::LockMode mode) override {
    return base_.lock(path, mode);
  }
  storage::Result<std::unique_ptr<storage::FileLock>> lock_for(const std::string& path, storage::LockMode mode,
                                                               std::chrono::milliseconds timeout) override {
    return base_.lock_for(path, mode, timeout);
  }
  storage::Result<std::unique_ptr<storage::FileLock>> try_lock(const std::string& path) override {
    return base_.try_lock(path);
  }

 private:
  bool pretended(const std::string& path) const { return !pretend_path_.empty() && path == pretend_path_; }
  // True when this step must fail.
  bool step();
  storage::Status error(const std::string& what, const std::string& path) const;
  storage::Status read_error(const std::string& path) const;

  storage::FileSystem& base_;
  std::atomic<long> steps_{0};
  long fail_at_ = 0;
  int err_ = ENOSPC;
  bool crash_ = false;
  std::string pretend_path_;
  storage::FileKind pretend_kind_ = storage::FileKind::kRegular;
  bool whole_on_failure_ = false;
  int atomic_err_ = 0;
  std::atomic<long> atomic_writes_{0};
  std::atomic<int> read_err_{0};
};

}  // namespace testing
