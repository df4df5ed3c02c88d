// A bounded memo of chunk -> term ids for RankedIndex (analysis of a chunk depends on its bytes
// only, see Analyzer::split_chunks). Zipf-distributed text repeats a small vocabulary, so most
// chunks skip normalisation, splitting, stemming and term interning entirely.
//
// Open addressing over flat arrays: a slot is 16 bytes, keys and ids live in two arenas. When full
// it is cleared, not evicted piecemeal. Term ids stay valid only while the index does not recycle
// them: RankedIndex clears the cache when it purges terms. Not thread-safe: it belongs to one
// RankedIndex, whose callers serialize access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storage {

class ChunkCache {
 public:
  static constexpr size_t kMaxChunkBytes = 64;  // longer chunks (paths, blobs) are rarely repeated
  static constexpr size_t kMaxEntries = size_t{1} << 17;

  struct Ids {
    const uint32_t* data = nullptr;  // null: not cached
    size_t size = 0;
  };

  static uint64_t hash(std::string_view chunk);
  Ids find(std::string_view chunk, uint64_t hash) const;
  // Stores a copy; ignores chunks longer than kMaxChunkBytes or with too many ids.
  void insert(std::string_view chunk, uint64_t hash, const std::vector<uint32_t>& ids);
  void clear();
  size_t memory_bytes() const;

 private:
  struct Slot {
    uint32_t hash = 0;
    uint32_t key = 0;  // offset in keys_
    uint32_t ids = 0;  // offset in ids_
    uint16_t key_size = 0;  // 0: empty slot (chunks are never empty)
    uint16_t id_count = 0;
  };
  void grow();

  std::vector<Slot> slots_;
  std::string keys_;
  std::vector<uint32_t> ids_;
  size_t entries_ = 0;
};

}  // namespace storage
