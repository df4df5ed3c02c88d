#include "storage/file_system.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/platform_io.h"
#include "storage/posix_paths.h"

namespace storage {
namespace {

Status posix_error(const std::string& what, const std::string& path, int err) {
  return Status::io_error(what + " " + path + ": " + std::strerror(err));
}

Status not_a_file(const std::string& what, const std::string& path, FileKind kind) {
  return Status::io_error(what + " " + path + ": is " + describe(kind) + ", not a regular file; ooc does not use it");
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// open(2) of a store file: never follows a final symbolic link, never blocks (a FIFO without a
// writer, a device), and refuses anything fstat(2) does not call a regular file. -1 and `error`
// (not_found for ENOENT) on failure.
int open_file(const std::string& path, int flags, Status& error) {
  const int fd = ::open(path.c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    struct stat st {};
    if (err == ENOENT) {
      error = Status::not_found(path);
    } else if ((err == ELOOP || err == ENXIO || err == EISDIR) && ::lstat(path.c_str(), &st) == 0) {
      error = not_a_file("open", path, kind_of(st.st_mode));
      errno = EINVAL;  // "not a regular file", whatever open(2) said
      return -1;
    } else {
      error = posix_error("open", path, err);
    }
    errno = err;
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const int err = errno;
    error = S_ISREG(st.st_mode) ? posix_error("stat", path, err) : not_a_file("open", path, kind_of(st.st_mode));
    ::close(fd);
    errno = S_ISREG(st.st_mode) ? err : EINVAL;
    return -1;
  }
  return fd;
}

Status write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return posix_error("write", path, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok_status();
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status sync_directory_of(const std::string& path) {
  const std::string dir = directory_of(path);
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return posix_error("open directory", dir, errno);
  if (platform::directory_sync(fd.get()) != 0) return posix_error("fsync directory", dir, errno);
  return Status::ok_status();
}

std::atomic<bool> g_lock_waits_cancelled{false};
static_assert(std::atomic<bool>::is_always_lock_free, "cancel_lock_waits must be async-signal-safe");

// Opens (creating) the lock file; a read-only store can still be read: shared locks fall back to
// a read-only descriptor.
Result<int> open_lock_file(const std::string& path, LockMode mode) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  if (mode == LockMode::kShared && (errno == EACCES || errno == EROFS)) {
    const int ro = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (ro >= 0) return ro;
  }
  return posix_error("open lock file", path, errno);
}

class PosixLock final : public FileLock {
 public:
  explicit PosixLock(int fd) : fd_(fd) {}
  ~PosixLock() override {
    platform::lock_file(fd_, LOCK_UN);
    ::close(fd_);
  }
  PosixLock(const PosixLock&) = delete;
  PosixLock& operator=(const PosixLock&) = delete;

 private:
  int fd_;
};

class StringBytes final : public FileBytes {
 public:
  explicit StringBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string_view bytes() const override { return bytes_; }

 private:
  std::string bytes_;
};

class MappedBytes final : public FileBytes {
 public:
  MappedBytes(void* data, size_t size) : data_(data), size_(size) {}
  ~MappedBytes() override { ::munmap(data_, size_); }
  MappedBytes(const MappedBytes&) = delete;
  MappedBytes& operator=(const MappedBytes&) = delete;
  std::string_view bytes() const override { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_;
  size_t size_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<FileBytes>> map_file(const std::string& path) override {
    Status error;
    Fd fd(open_file(path, O_RDONLY, error));
    if (fd.get() < 0) return error;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return posix_error("stat", path, errno);
    const auto size = static_cast<size_t>(st.st_size);
    if (size == 0) return std::unique_ptr<FileBytes>(std::make_unique<StringBytes>(std::string()));
    // No MAP_POPULATE: it holds the address space's lock while it maps every page, which stalls
    // every other thread's allocations (the server's first replies) for the whole read.
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (data == MAP_FAILED) return posix_error("mmap", path, errno);
    (void)::madvise(data, size, MADV_SEQUENTIAL | MADV_WILLNEED);
    return std::unique_ptr<FileBytes>(std::make_unique<MappedBytes>(data, size));
  }

  Result<std::string> read_file(const std::string& path) override {
    return read_range(path, 0, UINT64_MAX);
  }

  Result<std::string> read_range(const std::string& path, uint64_t offset, uint64_t max_bytes) override {
    Status error;
    Fd fd(open_file(path, O_RDONLY, error));
    if (fd.get() < 0) return error;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return posix_error("stat", path, errno);
    const auto size = static_cast<uint64_t>(st.st_size);
    if (offset >= size) return std::string();
    const uint64_t want = std::min(max_bytes, size - offset);
    // Spare capacity past the end lets simdjson parse the buffer in place (it needs 64 bytes).
    std::string out(static_cast<size_t>(want) + 64, '\0');
    out.resize(static_cast<size_t>(want));
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::pread(fd.get(), out.data() + done, out.size() - done,
                                static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return posix_error("read", path, errno);
      }
      if (n == 0) break;  // file shrank while reading
      done += static_cast<size_t>(n);
    }
    out.resize(done);
    return out;
  }

  Status write_file_atomically(const std::string& path, std::string_view bytes) override {
    const std::string temp = path + ".tmp";
    {
      // O_EXCL: never write through a planted link or into someone else's file. What is already
      // there is a crash's leftover or planted; unlinking it never touches a link's target.
      const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
      int raw = ::open(temp.c_str(), flags, 0600);
      if (raw < 0 && errno == EEXIST && ::unlink(temp.c_str()) == 0) raw = ::open(temp.c_str(), flags, 0600);
      Fd fd(raw);
      if (fd.get() < 0) return posix_error("open", temp, errno);
      if (Status s = write_all(fd.get(), bytes, temp); !s.ok()) {
        ::unlink(temp.c_str());
        return s;
      }
      if (platform::full_sync(fd.get()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return posix_error("fsync", temp, err);
      }
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      return posix_error("rename to " + path + " from", temp, err);
    }
    return sync_directory_of(path);
  }

  Status append(const std::string& path, std::string_view bytes, bool sync) override {
    Status error;
    Fd fd(open_file(path, O_WRONLY | O_APPEND | O_CREAT, error));
    if (fd.get() < 0) return error.code() == Status::Code::kNotFound ? posix_error("open", path, ENOENT) : error;
    if (Status s = write_all(fd.get(), bytes, path); !s.ok()) return s;
    if (sync && platform::data_sync(fd.get()) != 0) return posix_error("fdatasync", path, errno);
    return Status::ok_status();
  }

  Status truncate(const std::string& path, uint64_t size, bool sync) override {
    Status error;
    Fd fd(open_file(path, O_WRONLY, error));
    if (fd.get() < 0) return error.code() == Status::Code::kNotFound ? posix_error("open", path, ENOENT) : error;
    if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) return posix_error("truncate", path, errno);
    if (sync && platform::full_sync(fd.get()) != 0) return posix_error("fsync", path, errno);
    return Status::ok_status();
  }

  Status rename(const std::string& from, const std::string& to) override {
    if (Status st = rename_unsynced(from, to); !st.ok()) return st;
    return sync_directory_of(to);
  }

  Status rename_unsynced(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return posix_error("rename to " + to + " from", from, errno);
    return Status::ok_status();
  }

  Status remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return posix_error("remove", path, errno);
    return Status::ok_status();
  }

  Result<FileInfo> stat(const std::string& path) override {
    struct stat st {};
    FileInfo info;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return info;
      return posix_error("stat", path, errno);
    }
    info.exists = true;
    info.size = static_cast<uint64_t>(st.st_size);
    info.inode = static_cast<uint64_t>(st.st_ino);
    info.device = static_cast<uint64_t>(st.st_dev);
    info.mtime_ns = platform::mtime_ns(st);
    info.is_directory = S_ISDIR(st.st_mode);
    info.kind = kind_of(st.st_mode);
    return info;
  }

  Result<std::string> real_path(const std::string& path) override { return posix_real_path(path); }

  Status create_directories(const std::string& path) override {
    if (path.empty()) return Status::ok_status();
    size_t pos = 1;
    while (true) {
      pos = path.find('/', pos);
      const std::string part = path.substr(0, pos);
      if (!part.empty() && ::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
        return posix_error("create directory", part, errno);
      }
      if (pos == std::string::npos) break;
      ++pos;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return posix_error("stat", path, errno);
    if (!S_ISDIR(st.st_mode)) return Status::io_error("create directory " + path + ": not a directory");
    return Status::ok_status();
  }

  Result<std::unique_ptr<FileLock>> lock(const std::string& path, LockMode mode) override {
    Status error;
    Fd fd(open_file(path, O_RDWR | O_CREAT, error));
    if (fd.get() < 0) {
      const int err = errno;  // the first open's reason is the one to report
      // A read-only store can still be read: fall back to a read-only descriptor for shared locks.
      if (mode == LockMode::kShared && (err == EACCES || err == EROFS)) {
        Status ro_error;
        Fd ro(open_file(path, O_RDONLY, ro_error));
        if (ro.get() >= 0) return lock_fd(ro, path, mode);
      }
      return err == EINVAL ? error : posix_error("open lock file", path, err);
    }
    return lock_fd(fd, path, mode);
  }

  // Polls flock(LOCK_NB) with sleeps growing to 20 ms: a wait that a deadline, a signal and
  // cancel_lock_waits() can end (a blocking flock cannot be given a deadline).
  Result<std::unique_ptr<FileLock>> lock_for(const std::string& path, LockMode mode,
                                             std::chrono::milliseconds timeout) override {
    auto opened = open_lock_file(path, mode);
    if (!opened.ok()) return opened.status();
    Fd fd(*opened);
    const int op = (mode == LockMode::kShared ? LOCK_SH : LOCK_EX) | LOCK_NB;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    long sleep_us = 100;
    while (platform::lock_file(fd.get(), op) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) return posix_error("lock", path, errno);
      if (g_lock_waits_cancelled.load() || std::chrono::steady_clock::now() >= deadline) {
        return std::unique_ptr<FileLock>();
      }
      const timespec pause{0, sleep_us * 1000};
      ::nanosleep(&pause, nullptr);  // a signal ends it early: the flag is checked at once
      sleep_us = std::min(sleep_us * 2, 20000L);
    }
    return std::unique_ptr<FileLock>(std::make_unique<PosixLock>(fd.release()));
  }

  Result<std::unique_ptr<FileLock>> try_lock(const std::string& path) override {
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0) return posix_error("open lock file", path, errno);
    while (platform::lock_file(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return std::unique_ptr<FileLock>();
      if (errno != EINTR) return posix_error("lock", path, errno);
    }
    return std::unique_ptr<FileLock>(std::make_unique<PosixLock>(fd.release()));
  }

 private:
  static Result<std::unique_ptr<FileLock>> lock_fd(Fd& fd, const std::string& path, LockMode mode) {
    const int op = mode == LockMode::kShared ? LOCK_SH : LOCK_EX;
    while (platform::lock_file(fd.get(), op) != 0) {
      if (errno != EINTR) return posix_error("lock", path, errno);
    }
    return std::unique_ptr<FileLock>(std::make_unique<PosixLock>(fd.release()));
  }
};

}  // namespace

void cancel_lock_waits() { g_lock_waits_cancelled.store(true); }

bool lock_waits_cancelled() { return g_lock_waits_cancelled.load(); }

std::string describe_lock_holders(std::string_view proc_locks, unsigned dev_major, unsigned dev_minor,
                                  unsigned long long inode) {
  // "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF"; waiters' lines have "->" after the number.
  // The kernel serves /proc/locks in pages: when locks come and go between two reads a line can be
  // served twice, so a pid is named once however often it appears.
  std::vector<long> pids;
  while (!proc_locks.empty()) {
    const std::size_t end = proc_locks.find('\n');
    const std::string line(proc_locks.substr(0, end));
    proc_locks.remove_prefix(end == std::string_view::npos ? proc_locks.size() : end + 1);
    if (line.find("->") != std::string::npos) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    char kind[16], advisory[16], mode_word[16];
    long pid = 0;
    unsigned major_id = 0, minor_id = 0;
    unsigned long long line_inode = 0;
    if (std::sscanf(line.c_str() + colon + 1, "%15s %15s %15s %ld %x:%x:%llu", kind, advisory, mode_word, &pid,
                    &major_id, &minor_id, &line_inode) != 7) {
      continue;
    }
    if (line_inode != inode || major_id != dev_major || minor_id != dev_minor) continue;
    if (std::find(pids.begin(), pids.end(), pid) == pids.end()) pids.push_back(pid);
  }
  if (pids.empty()) return "an unknown process";
  std::string named = pids.size() == 1 ? "pid " : "pids ";
  for (std::size_t i = 0; i < pids.size(); ++i) named += (i == 0 ? "" : ", ") + std::to_string(pids[i]);
  return named;
}

std::string lock_holders(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "an unknown process";
  std::FILE* locks = std::fopen("/proc/locks", "re");
  if (locks == nullptr) return "an unknown process";
  std::string text;
  char chunk[4096];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, locks)) > 0) text.append(chunk, got);
  std::fclose(locks);
  return describe_lock_holders(text, major(st.st_dev), minor(st.st_dev), st.st_ino);
}

Result<std::unique_ptr<FileBytes>> FileSystem::map_file(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes.ok()) return bytes.status();
  return std::unique_ptr<FileBytes>(std::make_unique<StringBytes>(std::move(bytes).value()));
}

FileSystem& posix_file_system() {
  static PosixFileSystem fs;
  return fs;
}

}  // namespace storage
