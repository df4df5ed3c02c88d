#include "storage/segment_factory.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <utility>

#include "storage/time_format.h"
#include "storage/token_estimate.h"

namespace storage {

std::string SegmentFactory::now() const { return format_rfc3339_ms(clock_.now_ms()); }

std::string SegmentFactory::generate_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^ static_cast<uint64_t>(clock_.now_ms())};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>((rng() ^ ++id_counter_) & 0xffffffffffffULL));
  return std::string("seg-") + buf;
}

Result<Segment> SegmentFactory::build(SegmentDraft d, const std::string& project, const Segment* existing,
                                      std::string_view where) {
  Segment s;
  s.segment_id = d.segment_id ? std::move(*d.segment_id) : generate_id();
  s.text = std::move(d.text);
  s.type = d.type.value_or(SegmentType::kNote);
  s.project_id = project;
  s.task_id = std::move(d.task_id);
  s.file_path = std::move(d.file_path);
  s.topic_id = std::move(d.topic_id);
  s.line_range = d.line_range;
  for (auto& tag : d.tags) {  // deduplicated, order kept
    if (std::find(s.tags.begin(), s.tags.end(), tag) == s.tags.end()) s.tags.push_back(std::move(tag));
  }
  s.last_touched_at = now();
  s.created_at = existing != nullptr ? existing->created_at : s.last_touched_at;
  s.pinned = d.pinned.value_or(false);
  s.generation = d.generation.value_or(Generation::kYoung);
  s.gc_survival_count = d.gc_survival_count.value_or(0);
  s.refcount = d.refcount.value_or(0);
  s.tokens = d.tokens ? *d.tokens : estimate_tokens(s.text);
  s.metadata = std::move(d.metadata);
  for (auto& id : d.supersedes) {  // deduplicated, order kept
    if (std::find(s.supersedes.begin(), s.supersedes.end(), id) == s.supersedes.end()) s.supersedes.push_back(std::move(id));
  }
  if (existing != nullptr) {  // a new version: one revision more, links kept
    s.revision = existing->revision + 1;
    carry_links(s, *existing);
  }
  if (Status st = validate_segment(s, limits_, where); !st.ok()) return st;
  return s;
}

}  // namespace storage
