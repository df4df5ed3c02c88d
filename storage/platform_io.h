#pragma once
// The engine's OS calls that differ between Linux and macOS, in one place (used by
// storage/file_system.cpp, the file-system seam). Each wrapper returns what the POSIX call returns
// (0, or -1 with errno set), so callers keep their error handling.
//
//   full_sync(fd)      Linux: fsync. macOS: fcntl(F_FULLFSYNC), because fsync there does not flush
//                      the drive's write cache; falls back to fsync where the file system refuses.
//   data_sync(fd)      Linux: fdatasync. macOS: as full_sync (there is no public fdatasync).
//   directory_sync(fd) fsync of an open directory (makes a rename durable); same on both.
//   lock_file(fd, op)  flock(2) (LOCK_SH / LOCK_EX, | LOCK_NB); the same BSD call on both.
//   mtime_ns(st)       st_mtim (Linux) / st_mtimespec (macOS) in nanoseconds.
//   major()/minor()    of a dev_t: <sys/sysmacros.h> on Linux, <sys/types.h> on macOS.
//   /proc/locks        (lock_holders, naming who holds a lock) is Linux-only; where it cannot be
//                      opened the holder is "an unknown process".
//
// poll(2) (mcp/transport.cpp) is POSIX and works on pipes and sockets on both systems; macOS's
// poll does not support terminal devices, which ooc only reads from as an MCP server on a pipe.
// Only Linux is built and tested here (the macOS branches compile-checked by reading only);
// Windows is out of scope.

#include <cstdint>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#ifndef __APPLE__
#include <sys/sysmacros.h>
#endif

namespace storage::platform {

inline int full_sync(int fd) {
#ifdef __APPLE__
  if (::fcntl(fd, F_FULLFSYNC) == 0) return 0;
  return ::fsync(fd);
#else
  return ::fsync(fd);
#endif
}

inline int data_sync(int fd) {
#ifdef __APPLE__
  return full_sync(fd);
#else
  return ::fdatasync(fd);
#endif
}

inline int directory_sync(int fd) { return ::fsync(fd); }

inline int lock_file(int fd, int op) { return ::flock(fd, op); }

inline int64_t mtime_ns(const struct stat& st) {
#ifdef __APPLE__
  const struct timespec& t = st.st_mtimespec;
#else
  const struct timespec& t = st.st_mtim;
#endif
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

}  // namespace storage::platform
