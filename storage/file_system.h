// FileSystem: the operating-system seam of the engine (leveldb's Env). PosixFileSystem is the real
// one; tests wrap it with FaultyFileSystem to fail or "crash" at any step.
//
// Every failure is a Status naming the path and the OS reason ("open /x/storage.json: Permission
// denied"). Implementations are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/status.h"

namespace storage {

// What a path names (stat(2)'s file type). Only regular files can be store files.
enum class FileKind { kMissing, kRegular, kDirectory, kSymlink, kFifo, kCharDevice, kBlockDevice, kSocket, kOther };

// "a FIFO", "a character device", ... for messages.
const char* describe(FileKind kind);

struct FileInfo {
  bool exists = false;
  uint64_t size = 0;
  uint64_t inode = 0;
  uint64_t device = 0;
  int64_t mtime_ns = 0;
  bool is_directory = false;
  FileKind kind = FileKind::kMissing;
  // Equal infos: the same file, unchanged as far as stat(2) can tell.
  bool operator==(const FileInfo&) const = default;
};

// An advisory lock held until destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

enum class LockMode { kShared, kExclusive };

// The bytes of a whole file, read-only, for as long as the object lives.
class FileBytes {
 public:
  virtual ~FileBytes() = default;
  virtual std::string_view bytes() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Every open of the seam uses O_NOFOLLOW and O_NONBLOCK and checks the descriptor with fstat(2):
  // a symbolic link, a FIFO, a device or a directory where a file is expected fails with an error
  // naming the path and what it is, without blocking and without touching it.

  // Whole file. not_found when it does not exist.
  virtual Result<std::string> read_file(const std::string& path) = 0;
  // Up to `max_bytes` starting at `offset` (fewer at end of file). not_found when missing.
  virtual Result<std::string> read_range(const std::string& path, uint64_t offset, uint64_t max_bytes) = 0;
  // The whole file without copying it (the POSIX file system maps it), for big files that are
  // replaced only by rename, never rewritten in place. The default reads it (test doubles).
  virtual Result<std::unique_ptr<FileBytes>> map_file(const std::string& path);
  // tmp + write + fsync + rename + fsync(dir): after success the new bytes are durable; after a
  // failure or crash `path` holds either the old or the new bytes. Mode 0600. The tmp file
  // ("<path>.tmp") is created with O_EXCL: a file or link already there (a crash's leftover, or
  // planted) is unlinked first, so a link's target is never written.
  virtual Status write_file_atomically(const std::string& path, std::string_view bytes) = 0;
  // Appends at the end (creating the file with mode 0600); fdatasync when `sync`.
  virtual Status append(const std::string& path, std::string_view bytes, bool sync) = 0;
  virtual Status truncate(const std::string& path, uint64_t size, bool sync) = 0;
  virtual Status rename(const std::string& from, const std::string& to) = 0;  // then fsync(dir)
  // rename(2) without the directory fsync, for a rename whose loss at a power cut leaves a valid
  // state (FORMAT.md says which). The default renames with it.
  virtual Status rename_unsynced(const std::string& from, const std::string& to) { return rename(from, to); }
  virtual Status remove(const std::string& path) = 0;  // ok when already missing
  virtual Result<FileInfo> stat(const std::string& path) = 0;  // exists=false when missing
  // The absolute path with every symbolic link resolved in the parts that exist (a dangling link
  // resolves to where it points); the missing tail is appended as given. Store files are opened
  // through this one path, so they all live in one directory.
  virtual Result<std::string> real_path(const std::string& path) = 0;
  virtual Status create_directories(const std::string& path) = 0;  // mode 0700
  // Blocks until the lock is granted. The lock file is created (0600) when missing.
  virtual Result<std::unique_ptr<FileLock>> lock(const std::string& path, LockMode mode) = 0;
  // Like lock(), but waits at most `timeout`: nullptr when the lock was not granted by then, or
  // at once after cancel_lock_waits(). The default (for test doubles) is lock().
  virtual Result<std::unique_ptr<FileLock>> lock_for(const std::string& path, LockMode mode,
                                                     std::chrono::milliseconds timeout) {
    (void)timeout;
    return lock(path, mode);
  }
  // An exclusive lock if it can be had at once (flock LOCK_EX|LOCK_NB), else nullptr: another
  // open file description holds a lock on it. The lock file is created (0600) when missing.
  virtual Result<std::unique_ptr<FileLock>> try_lock(const std::string& path) = 0;
};

// Async-signal-safe (a stop signal's handler calls it): from now on every lock_for() of this
// process that would wait gives up at once, so that shutting down never waits for a lock.
void cancel_lock_waits();
// True once cancel_lock_waits() was called.
bool lock_waits_cancelled();

// Who holds a lock on the existing file `path`, from /proc/locks: "pid 123" or "pids 12, 34";
// "an unknown process" when that cannot be known.
std::string lock_holders(const std::string& path);
// The holders that the text of /proc/locks names for the file (device major:minor, inode), each
// pid once, in lock_holders' words. Apart for tests.
std::string describe_lock_holders(std::string_view proc_locks, unsigned dev_major, unsigned dev_minor,
                                  unsigned long long inode);

// The process-wide real file system.
FileSystem& posix_file_system();

}  // namespace storage
