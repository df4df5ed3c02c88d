// crash_shim: an LD_PRELOAD library that kills the process (SIGKILL) just before or just after
// its Nth file-system step on a store, for the crash-point test on the real binary
// (tests/blackbox/crash_point_blackbox_test.cpp, issue 10).
//
// A step is a call that changes a file under OOC_CRASH_DIR: open with O_CREAT/O_TRUNC/write
// access, write/pwrite to a descriptor opened there, fsync/fdatasync of one, ftruncate,
// truncate, rename, unlink. Environment:
//   OOC_CRASH_DIR    the store directory (absolute); other files are not counted
//   OOC_CRASH_AT     the step to crash at (1-based; 0 or unset: never)
//   OOC_CRASH_AFTER  "1": after the step succeeded; otherwise before it
//   OOC_CRASH_COUNT  a file that always holds the number of steps so far (for the test's loop)
// Only plain POSIX calls are wrapped: the store makes no other kind.
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

const char* g_dir = nullptr;
size_t g_dir_length = 0;
long g_target = 0;
bool g_after = false;
long g_steps = 0;
int g_count_fd = -1;
constexpr int kMaxFd = 65536;
bool g_tracked[kMaxFd];

template <typename F>
F real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

__attribute__((constructor)) void init() {
  g_dir = std::getenv("OOC_CRASH_DIR");
  g_dir_length = g_dir != nullptr ? std::strlen(g_dir) : 0;
  if (const char* at = std::getenv("OOC_CRASH_AT")) g_target = std::atol(at);
  if (const char* after = std::getenv("OOC_CRASH_AFTER")) g_after = std::strcmp(after, "1") == 0;
  if (const char* count = std::getenv("OOC_CRASH_COUNT")) {
    using Open = int (*)(const char*, int, ...);
    g_count_fd = real<Open>("open")(count, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  }
}

bool under(const char* path) {
  return g_dir_length > 0 && path != nullptr && std::strncmp(path, g_dir, g_dir_length) == 0;
}

bool tracked(int fd) { return fd >= 0 && fd < kMaxFd && g_tracked[fd]; }

// Counts a step; kills the process when it is the one (before it, or after with `done`).
void step(bool done) {
  if (!done) {
    ++g_steps;
    if (g_count_fd >= 0) {
      char text[32];
      const int n = std::snprintf(text, sizeof text, "%ld\n", g_steps);
      using Pwrite = ssize_t (*)(int, const void*, size_t, off_t);
      (void)real<Pwrite>("pwrite")(g_count_fd, text, static_cast<size_t>(n), 0);
    }
  }
  if (g_target > 0 && g_steps == g_target && done == g_after) ::kill(::getpid(), SIGKILL);
}

bool mutating_open(int flags) { return (flags & (O_CREAT | O_TRUNC | O_WRONLY | O_RDWR)) != 0; }

int after_open(int fd, const char* path) {
  if (fd >= 0 && fd < kMaxFd) g_tracked[fd] = under(path);
  return fd;
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if ((flags & O_CREAT) != 0) {
    va_list args;
    va_start(args, flags);
    mode = static_cast<mode_t>(va_arg(args, int));
    va_end(args);
  }
  const bool counted = under(path) && mutating_open(flags);
  if (counted) step(false);
  const int fd = after_open(real<int (*)(const char*, int, ...)>("open")(path, flags, mode), path);
  if (counted && fd >= 0) step(true);
  return fd;
}

int open64(const char* path, int flags, ...) {
  mode_t mode = 0;
  if ((flags & O_CREAT) != 0) {
    va_list args;
    va_start(args, flags);
    mode = static_cast<mode_t>(va_arg(args, int));
    va_end(args);
  }
  return open(path, flags, mode);
}

ssize_t write(int fd, const void* buffer, size_t count) {
  const bool counted = tracked(fd);
  if (counted) step(false);
  const ssize_t n = real<ssize_t (*)(int, const void*, size_t)>("write")(fd, buffer, count);
  if (counted && n >= 0) step(true);
  return n;
}

ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset) {
  const bool counted = tracked(fd);
  if (counted) step(false);
  const ssize_t n = real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite")(fd, buffer, count, offset);
  if (counted && n >= 0) step(true);
  return n;
}

int fsync(int fd) {
  const bool counted = tracked(fd);
  if (counted) step(false);
  const int r = real<int (*)(int)>("fsync")(fd);
  if (counted && r == 0) step(true);
  return r;
}

int fdatasync(int fd) {
  const bool counted = tracked(fd);
  if (counted) step(false);
  const int r = real<int (*)(int)>("fdatasync")(fd);
  if (counted && r == 0) step(true);
  return r;
}

int ftruncate(int fd, off_t length) {
  const bool counted = tracked(fd);
  if (counted) step(false);
  const int r = real<int (*)(int, off_t)>("ftruncate")(fd, length);
  if (counted && r == 0) step(true);
  return r;
}

int truncate(const char* path, off_t length) {
  const bool counted = under(path);
  if (counted) step(false);
  const int r = real<int (*)(const char*, off_t)>("truncate")(path, length);
  if (counted && r == 0) step(true);
  return r;
}

int rename(const char* from, const char* to) {
  const bool counted = under(from) || under(to);
  if (counted) step(false);
  const int r = real<int (*)(const char*, const char*)>("rename")(from, to);
  if (counted && r == 0) step(true);
  return r;
}

int unlink(const char* path) {
  const bool counted = under(path);
  if (counted) step(false);
  const int r = real<int (*)(const char*)>("unlink")(path);
  if (counted && r == 0) step(true);
  return r;
}

int close(int fd) {
  if (fd >= 0 && fd < kMaxFd) g_tracked[fd] = false;
  return real<int (*)(int)>("close")(fd);
}

}  // extern "C"
