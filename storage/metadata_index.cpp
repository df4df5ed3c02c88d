#include "storage/metadata_index.h"

#include <algorithm>

namespace storage {
namespace {

using Set = std::unordered_set<const Segment*>;

void remove_from(std::unordered_map<std::string, Set>& index, const std::string& key, const Segment* s) {
  const auto it = index.find(key);
  if (it == index.end()) return;
  it->second.erase(s);
  if (it->second.empty()) index.erase(it);
}

std::vector<std::string> ids_of(const Set* set) {
  std::vector<std::string> ids;
  if (set != nullptr) {
    for (const Segment* s : *set) ids.push_back(s->segment_id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

const Set* lookup(const std::unordered_map<std::string, Set>& index, const std::string& key) {
  const auto it = index.find(key);
  return it == index.end() ? nullptr : &it->second;
}

}  // namespace

void MetadataIndex::add(const Segment* s) {
  if (s->task_id) by_task_[*s->task_id].insert(s);
  if (s->file_path) by_file_[*s->file_path].insert(s);
  for (const auto& tag : s->tags) by_tag_[tag].insert(s);
  by_type_[static_cast<size_t>(s->type)].insert(s);
}

void MetadataIndex::erase(const Segment* s) {
  if (s->task_id) remove_from(by_task_, *s->task_id, s);
  if (s->file_path) remove_from(by_file_, *s->file_path, s);
  for (const auto& tag : s->tags) remove_from(by_tag_, tag, s);
  by_type_[static_cast<size_t>(s->type)].erase(s);
}

void MetadataIndex::clear() {
  by_task_.clear();
  by_file_.clear();
  by_tag_.clear();
  for (auto& set : by_type_) set.clear();
}

const Set* MetadataIndex::candidates(const SearchFilters& f) const {
  static const Set kEmpty;
  const Set* best = nullptr;
  bool indexable = false;
  const auto consider = [&](const Set* set) {
    indexable = true;
    if (set == nullptr) set = &kEmpty;
    if (best == nullptr || set->size() < best->size()) best = set;
  };
  if (f.task_id) consider(lookup(by_task_, *f.task_id));
  if (f.file_path && !f.file_path->empty() && f.file_path->back() != '/') consider(lookup(by_file_, *f.file_path));
  for (const auto& tag : f.tags) consider(lookup(by_tag_, tag));
  if (f.types.size() == 1) consider(&by_type_[static_cast<size_t>(f.types[0])]);
  return indexable ? best : nullptr;
}

std::vector<std::string> MetadataIndex::ids_for_task(const std::string& task) const { return ids_of(lookup(by_task_, task)); }
std::vector<std::string> MetadataIndex::ids_for_file(const std::string& file) const { return ids_of(lookup(by_file_, file)); }
std::vector<std::string> MetadataIndex::ids_for_tag(const std::string& tag) const { return ids_of(lookup(by_tag_, tag)); }
std::vector<std::string> MetadataIndex::ids_for_type(SegmentType type) const {
  return ids_of(&by_type_[static_cast<size_t>(type)]);
}

}  // namespace storage
