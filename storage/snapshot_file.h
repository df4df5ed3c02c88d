// SnapshotFile: the snapshot file (storage.json, FORMAT.md) and which version of it the catalog
// reflects. Another process's compaction replaces the file; a stat(2) that differs from the one
// remembered is how the next catch-up notices and reloads. The byte format is snapshot_codec.h.
//
// Not thread-safe: the Store holds it under its mutex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <string_view>

#include "storage/file_system.h"
#include "storage/status.h"

namespace storage {

class SnapshotFile {
 public:
  SnapshotFile(FileSystem& fs, std::string path) : fs_(fs), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  // Where write() stages the new bytes; one left over means a compaction was interrupted.
  std::string tmp_path() const { return path_ + ".tmp"; }

  Result<FileInfo> stat() const { return fs_.stat(path_); }
  // Ok when the path names nothing, or a regular file that starts like a snapshot (`{"version":`,
  // whitespace allowed). Anything else (a device, a FIFO, a directory, someone's other file) is an
  // io_error naming the path and what it is: the store refuses it and never moves it aside.
  Status check() const;
  // The whole file, after check(): only a file that starts like a snapshot is ever read in full,
  // and only such a file is moved aside when it fails to decode.
  Result<std::string> read() const;
  // Replaces the file atomically (tmp + fsync + rename + fsync of the directory).
  Status write(std::string_view bytes) { return fs_.write_file_atomically(path_, bytes); }

  // True when `info` (a fresh stat) is the version the catalog reflects. A new store reflects a
  // missing file: its catalog is empty.
  bool is_current(const FileInfo& info) const { return current_ && *current_ == info; }
  // Stats the file and remembers it as the version the catalog now reflects.
  Status remember();
  // Forgets the version: the next catch-up reloads in full.
  void forget() { current_.reset(); }
  // Size of the remembered version (kept across forget()), for the compaction threshold.
  uint64_t bytes() const { return bytes_; }

 private:
  FileSystem& fs_;
  const std::string path_;
  std::optional<FileInfo> current_ = FileInfo{};
  uint64_t bytes_ = 0;
};

}  // namespace storage
