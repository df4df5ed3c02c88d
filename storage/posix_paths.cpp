#include "storage/posix_paths.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace storage {
namespace {

Status posix_error(const std::string& what, const std::string& path, int err) {
  return Status::io_error(what + " " + path + ": " + std::strerror(err));
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

FileKind kind_of(mode_t mode) {
  if (S_ISREG(mode)) return FileKind::kRegular;
  if (S_ISDIR(mode)) return FileKind::kDirectory;
  if (S_ISLNK(mode)) return FileKind::kSymlink;
  if (S_ISFIFO(mode)) return FileKind::kFifo;
  if (S_ISCHR(mode)) return FileKind::kCharDevice;
  if (S_ISBLK(mode)) return FileKind::kBlockDevice;
  if (S_ISSOCK(mode)) return FileKind::kSocket;
  return FileKind::kOther;
}

const char* describe(FileKind kind) {
  switch (kind) {
    case FileKind::kMissing: return "missing";
    case FileKind::kRegular: return "a regular file";
    case FileKind::kDirectory: return "a directory";
    case FileKind::kSymlink: return "a symbolic link";
    case FileKind::kFifo: return "a FIFO";
    case FileKind::kCharDevice: return "a character device";
    case FileKind::kBlockDevice: return "a block device";
    case FileKind::kSocket: return "a socket";
    case FileKind::kOther: break;
  }
  return "not a regular file";
}

Result<std::string> posix_real_path(const std::string& path) {
  if (path.empty()) return path;
  std::string head = path;
  std::string tail;  // the missing parts, each with its leading '/'
  int links = 0;
  while (true) {
    char resolved[PATH_MAX];
    if (::realpath(head.c_str(), resolved) != nullptr) {
      const std::string base = resolved;
      return base == "/" && !tail.empty() ? tail : base + tail;
    }
    if (errno != ENOENT || head == "." || head == "/") return posix_error("resolve", path, errno);
    struct stat st {};
    if (::lstat(head.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {  // a dangling link: follow it
      if (++links > 40) return posix_error("resolve", path, ELOOP);
      char target[PATH_MAX];
      const ssize_t n = ::readlink(head.c_str(), target, sizeof target - 1);
      if (n <= 0) return posix_error("resolve", path, n < 0 ? errno : ENOENT);
      const std::string to(target, static_cast<size_t>(n));
      head = to.front() == '/' ? to : directory_of(head) + "/" + to;
      continue;
    }
    while (head.size() > 1 && head.back() == '/') head.pop_back();
    const size_t slash = head.rfind('/');
    if (slash == std::string::npos) {
      tail = "/" + head + tail;
      head = ".";
    } else {
      tail = head.substr(slash) + tail;
      head = slash == 0 ? "/" : head.substr(0, slash);
    }
  }
}

}  // namespace storage
