// See ranked_chunk_cache.h.
#include "storage/search/ranked_chunk_cache.h"

#include <xxhash.h>

#include <utility>

namespace storage {

uint64_t ChunkCache::hash(std::string_view chunk) { return XXH3_64bits(chunk.data(), chunk.size()); }

ChunkCache::Ids ChunkCache::find(std::string_view chunk, uint64_t hash) const {
  if (slots_.empty() || chunk.empty() || chunk.size() > kMaxChunkBytes) return {};
  const size_t mask = slots_.size() - 1;
  const auto h32 = static_cast<uint32_t>(hash);
  for (size_t i = static_cast<size_t>(hash >> 32) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.key_size == 0) return {};
    if (s.hash == h32 && s.key_size == chunk.size() &&
        std::string_view(keys_).substr(s.key, s.key_size) == chunk) {
      return {ids_.data() + s.ids, s.id_count};
    }
  }
}

void ChunkCache::insert(std::string_view chunk, uint64_t hash, const std::vector<uint32_t>& ids) {
  if (chunk.empty() || chunk.size() > kMaxChunkBytes || ids.size() > UINT16_MAX) return;
  if (entries_ >= kMaxEntries) clear();
  if ((entries_ + 1) * 2 > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash >> 32) & mask;
  while (slots_[i].key_size != 0) i = (i + 1) & mask;
  Slot& s = slots_[i];
  s.hash = static_cast<uint32_t>(hash);
  s.key = static_cast<uint32_t>(keys_.size());
  s.ids = static_cast<uint32_t>(ids_.size());
  s.key_size = static_cast<uint16_t>(chunk.size());
  s.id_count = static_cast<uint16_t>(ids.size());
  keys_.append(chunk);
  ids_.insert(ids_.end(), ids.begin(), ids.end());
  ++entries_;
}

void ChunkCache::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.key_size == 0) continue;
    const uint64_t h = hash(std::string_view(keys_).substr(s.key, s.key_size));
    size_t i = static_cast<size_t>(h >> 32) & mask;
    while (slots_[i].key_size != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void ChunkCache::clear() {
  slots_.assign(slots_.size(), Slot{});
  keys_.clear();
  ids_.clear();
  entries_ = 0;
}

size_t ChunkCache::memory_bytes() const {
  return slots_.capacity() * sizeof(Slot) + keys_.capacity() + ids_.capacity() * sizeof(uint32_t);
}

}  // namespace storage
