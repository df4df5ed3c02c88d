#include "storage/snapshot_file.h"

namespace storage {
namespace {

// `{"version":` with any JSON whitespace between the tokens: how every snapshot ooc writes starts.
bool starts_like_snapshot(std::string_view head) {
  size_t i = 0;
  const auto skip_space = [&] {
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')) ++i;
  };
  const auto expect = [&](std::string_view token) {
    skip_space();
    if (head.substr(i, token.size()) != token) return false;
    i += token.size();
    return true;
  };
  return expect("{") && expect("\"version\"") && expect(":");
}

}  // namespace

Status SnapshotFile::check() const {
  auto info = fs_.stat(path_);
  if (!info.ok()) return info.status();
  if (!info->exists) return Status::ok_status();
  const std::string refuse = "storage path " + path_ + " is ";
  const std::string advice =
      "; ooc refuses to use it and leaves it untouched. Point OUT_OF_CONTEXT_STORAGE_PATH at a store, a "
      "directory or a new file";
  if (info->kind != FileKind::kRegular) return Status::io_error(refuse + describe(info->kind) + ", not a store" + advice);
  auto head = fs_.read_range(path_, 0, 256);
  if (!head.ok()) return head.status().code() == Status::Code::kNotFound ? Status::ok_status() : head.status();
  if (!starts_like_snapshot(*head)) {
    return Status::io_error(refuse + "a file that is not an ooc store (it does not start with {\"version\":)" + advice);
  }
  return Status::ok_status();
}

Result<std::string> SnapshotFile::read() const {
  if (Status st = check(); !st.ok()) return st;
  return fs_.read_file(path_);
}

Status SnapshotFile::remember() {
  auto info = fs_.stat(path_);
  if (!info.ok()) return info.status();
  current_ = *info;
  bytes_ = info->size;
  return Status::ok_status();
}

}  // namespace storage
