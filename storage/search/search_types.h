// Search requests and results of the engine (DESIGN §4). Plain data; the tool layer maps JSON to it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "storage/segment.h"

namespace storage {

struct SearchFilters {
  std::optional<std::string> task_id;
  std::optional<std::string> file_path;      // exact, or a prefix when it ends in '/'
  std::vector<std::string> tags;             // all of them
  std::vector<std::string> tags_any;         // at least one of them
  std::vector<SegmentType> types;            // any of them (empty: all)
  std::optional<std::string> created_after;  // canonical RFC 3339, exclusive
  std::optional<std::string> created_before; // canonical RFC 3339, exclusive
  std::optional<bool> pinned;
  std::optional<std::string> topic_id;
  // Only superseded (true) or only current (false) segments; not a tool argument (the drop
  // analysis uses it with SearchRequest::include_superseded).
  std::optional<bool> superseded;
  Metadata metadata;                         // every key present with an equal value (metadata_equal)

  bool empty() const;
  // True when `segment` satisfies every filter.
  bool accepts(const Segment& segment) const;
};

enum class SearchMode { kRanked, kSubstring };

struct SearchRequest {
  std::string project_id;  // "*" for every project
  std::string query;       // empty: every filtered segment, newest first
  SearchFilters filters;
  SearchMode mode = SearchMode::kRanked;
  size_t limit = 10;
  size_t offset = 0;
  // Superseded segments (superseded_by set) are left out unless this is set (issue 11 #3).
  bool include_superseded = false;
};

struct SearchHit {
  Segment segment;  // metadata only: text is empty
  double score = 0;
  std::string snippet;
};

struct SearchPage {
  std::vector<SearchHit> hits;
  size_t total_matches = 0;
  // Projects other than the searched one that have matches (only filled when this page is empty
  // and a single project was searched), so callers can say "try project_id X".
  std::vector<std::string> other_projects_with_matches;
};

}  // namespace storage
