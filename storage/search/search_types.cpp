#include "storage/search/search_types.h"

#include <algorithm>

namespace storage {

bool SearchFilters::empty() const {
  return !task_id && !file_path && tags.empty() && tags_any.empty() && types.empty() && !created_after &&
         !created_before && !pinned && !topic_id && !superseded &&
         metadata.empty();
}

bool SearchFilters::accepts(const Segment& s) const {
  if (task_id && s.task_id != task_id) return false;
  if (topic_id && s.topic_id != topic_id) return false;
  if (file_path) {
    if (!s.file_path) return false;
    const bool prefix = !file_path->empty() && file_path->back() == '/';
    if (prefix ? s.file_path->rfind(*file_path, 0) != 0 : *s.file_path != *file_path) return false;
  }
  const auto has_tag = [&](const std::string& tag) { return std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end(); };
  if (!std::all_of(tags.begin(), tags.end(), has_tag)) return false;
  if (!tags_any.empty() && !std::any_of(tags_any.begin(), tags_any.end(), has_tag)) return false;
  if (!types.empty() && std::find(types.begin(), types.end(), s.type) == types.end()) return false;
  // Canonical RFC 3339 strings sort chronologically.
  if (created_after && !(s.created_at > *created_after)) return false;
  if (created_before && !(s.created_at < *created_before)) return false;
  if (pinned && s.pinned != *pinned) return false;
  if (superseded && s.superseded_by.has_value() != *superseded) return false;
  for (const auto& [key, value] : metadata) {
    const auto it = s.metadata.find(key);
    if (it == s.metadata.end() || !metadata_equal(it->second, value)) return false;
  }
  return true;
}

}  // namespace storage
