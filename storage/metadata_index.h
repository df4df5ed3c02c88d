// Metadata indexes of one project's stashed segments (DESIGN §3): by task, file, tag and type.
// They pick a small candidate set for filtered searches. Not thread-safe (the Store guards it).
// Holds pointers into the Store's segment map: callers erase before the segment goes away.
#pragma once

#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storage/search/search_types.h"
#include "storage/segment.h"

namespace storage {

class MetadataIndex {
 public:
  void add(const Segment* segment);
  void erase(const Segment* segment);
  void clear();

  // The smallest indexed candidate set implied by `filters` (task, exact file, a required tag,
  // one type), or nullptr when no filter is indexable. Candidates still need filters.accepts().
  const std::unordered_set<const Segment*>* candidates(const SearchFilters& filters) const;

  // Ids under one key, sorted (for tests and the persisted indexes).
  std::vector<std::string> ids_for_task(const std::string& task) const;
  std::vector<std::string> ids_for_file(const std::string& file) const;
  std::vector<std::string> ids_for_tag(const std::string& tag) const;
  std::vector<std::string> ids_for_type(SegmentType type) const;

 private:
  using Set = std::unordered_set<const Segment*>;
  std::unordered_map<std::string, Set> by_task_;
  std::unordered_map<std::string, Set> by_file_;
  std::unordered_map<std::string, Set> by_tag_;
  std::array<Set, 6> by_type_;
};

}  // namespace storage
