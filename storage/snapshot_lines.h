// Line sources for the snapshot reader (snapshot_reader.h): a file read in chunks, or bytes in
// memory. A line is handed out without its '\n' and stays valid until the next call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/file_system.h"
#include "storage/status.h"

namespace storage {

struct Line {
  std::string_view text;   // without the '\n'
  uint64_t offset = 0;     // of its first byte in the file
  bool terminated = true;  // it ended in '\n' (false only for the last line)
};

class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next line; false at the end. A read error fails.
  virtual Result<bool> next(Line& line) = 0;
  virtual uint64_t size() const = 0;
  // Every byte (callers check size() first).
  virtual Result<std::string> all() = 0;
};

// Reads `path` `chunk` bytes at a time: memory is one chunk plus the longest line.
class FileLines final : public LineSource {
 public:
  FileLines(FileSystem& fs, std::string path, uint64_t size, uint64_t chunk)
      : fs_(fs), path_(std::move(path)), size_(size), chunk_(chunk == 0 ? 1 : chunk) {}
  Result<bool> next(Line& line) override;
  uint64_t size() const override { return size_; }
  Result<std::string> all() override { return fs_.read_file(path_); }

 private:
  FileSystem& fs_;
  const std::string path_;
  const uint64_t size_;
  const uint64_t chunk_;
  std::string buf_;
  size_t start_ = 0;         // first unread byte in buf_
  size_t searched_ = 0;      // buf_ holds no '\n' in [start_, searched_)
  uint64_t buf_offset_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
};

class StringLines final : public LineSource {
 public:
  explicit StringLines(std::string_view bytes) : bytes_(bytes) {}
  Result<bool> next(Line& line) override;
  uint64_t size() const override { return bytes_.size(); }
  Result<std::string> all() override { return std::string(bytes_); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace storage
