#include "storage/compaction.h"

#include <algorithm>
#include <string>

#include <spdlog/spdlog.h>

#include "storage/snapshot_codec.h"

namespace storage {

bool Compaction::due() const {
  const uint64_t threshold = std::max(min_journal_bytes_, snapshot_.bytes() / 2);
  return journal_.offset() > threshold;
}

void Compaction::note_outcome(bool ok, int64_t now_ms) {
  if (ok) {
    failures_ = 0;
    retry_at_ms_ = INT64_MIN;
    return;
  }
  constexpr int64_t kFirstMs = 1000;
  constexpr int64_t kLongestMs = 5 * 60 * 1000;
  failures_ = std::min(failures_ + 1, 20);
  retry_at_ms_ = now_ms + std::min(kLongestMs, kFirstMs << (failures_ - 1));
}

Status Compaction::run() {
  const std::string bytes = encode_snapshot(catalog_.last_seq(), catalog_.snapshot_view());
  if (Status st = snapshot_.write(bytes); !st.ok()) return st;
  // The snapshot now holds every batch up to last_seq; journal lines <= last_seq are skipped at
  // load, so a crash before this truncation loses nothing.
  if (Status st = journal_.clear(); !st.ok()) return st;
  if (Status st = snapshot_.remember(); !st.ok()) return st;
  auto identity = identity_of_snapshot(bytes, catalog_.last_seq());
  Status st = identity.ok() ? index_.save(*identity, catalog_) : identity.status();
  if (!st.ok()) spdlog::warn("cannot write the index file {} (the next load rebuilds it): {}", index_.path(), st.to_string());
  return Status::ok_status();
}

}  // namespace storage
