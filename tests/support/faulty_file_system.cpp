#include "tests/support/faulty_file_system.h"

#include <cstring>

namespace testing {

bool FaultyFileSystem::step() {
  const long n = ++steps_;
  if (fail_at_ <= 0) return false;
  return crash_ ? n >= fail_at_ : n == fail_at_;
}

storage::Status FaultyFileSystem::error(const std::string& what, const std::string& path) const {
  return storage::Status::io_error(what + " " + path + ": " + std::strerror(err_));
}

storage::Status FaultyFileSystem::write_file_atomically(const std::string& path, std::string_view bytes) {
  ++atomic_writes_;
  if (atomic_err_ != 0) return storage::Status::io_error("write " + path + ".tmp: " + std::strerror(atomic_err_));
  if (step()) {
    // A crash while writing the tmp file leaves a partial tmp behind; the snapshot is untouched.
    if (crash_) (void)base_.append(path + ".tmp", bytes.substr(0, bytes.size() / 2), false);
    return error("write", path + ".tmp");
  }
  return base_.write_file_atomically(path, bytes);
}

storage::Status FaultyFileSystem::append(const std::string& path, std::string_view bytes, bool sync) {
  if (step()) {
    (void)base_.append(path, whole_on_failure_ ? bytes : bytes.substr(0, bytes.size() / 2), false);  // torn write
    return error("write", path);
  }
  return base_.append(path, bytes, sync);
}

storage::Status FaultyFileSystem::truncate(const std::string& path, uint64_t size, bool sync) {
  if (step()) return error("truncate", path);
  return base_.truncate(path, size, sync);
}

storage::Status FaultyFileSystem::rename(const std::string& from, const std::string& to) {
  if (step()) return error("rename", from);
  return base_.rename(from, to);
}

storage::Status FaultyFileSystem::remove(const std::string& path) {
  if (step()) return error("remove", path);
  return base_.remove(path);
}

storage::Result<storage::FileInfo> FaultyFileSystem::stat(const std::string& path) {
  if (!pretended(path)) return base_.stat(path);
  storage::FileInfo info;
  info.exists = true;
  info.kind = pretend_kind_;
  info.is_directory = pretend_kind_ == storage::FileKind::kDirectory;
  return info;
}

storage::Status FaultyFileSystem::create_directories(const std::string& path) {
  // mkdir of an existing directory succeeds even on a read-only file system: not a step.
  auto info = base_.stat(path);
  if (info.ok() && info->exists && info->is_directory) return storage::Status::ok_status();
  if (step()) return error("create directory", path);
  return base_.create_directories(path);
}

}  // namespace testing
