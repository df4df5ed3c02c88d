#include "storage/snapshot_lines.h"
#include <algorithm>

namespace storage {

Result<bool> FileLines::next(Line& line) {
  while (true) {
    const size_t nl = buf_.find('\n', std::max(start_, searched_));
    if (nl != std::string::npos) {
      line.text = std::string_view(buf_).substr(start_, nl - start_);
      line.offset = buf_offset_ + start_;
      line.terminated = true;
      start_ = nl + 1;
      searched_ = start_;
      return true;
    }
    searched_ = buf_.size();
    if (eof_) {
      if (start_ >= buf_.size()) return false;
      line.text = std::string_view(buf_).substr(start_);
      line.offset = buf_offset_ + start_;
      line.terminated = false;
      start_ = buf_.size();
      return true;
    }
    buf_.erase(0, start_);
    buf_offset_ += start_;
    searched_ -= start_;
    start_ = 0;
    auto chunk = fs_.read_range(path_, buf_offset_ + buf_.size(), chunk_);
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) {
      eof_ = true;
    } else {
      buf_ += *chunk;
    }
  }
}

Result<bool> StringLines::next(Line& line) {
  if (pos_ >= bytes_.size()) return false;
  const size_t nl = bytes_.find('\n', pos_);
  line.offset = pos_;
  line.terminated = nl != std::string_view::npos;
  const size_t end = line.terminated ? nl : bytes_.size();
  line.text = bytes_.substr(pos_, end - pos_);
  pos_ = end + 1;
  return true;
}

}  // namespace storage
