// A stashed segment's search postings in the team store (issue 14; SCHEMA.md ooc_postings,
// ooc_field_lengths, ooc_project_stats): the terms of ooc's own analyzer by field
// (storage/search/ranked_fields.h), each field's length, and the project's collection statistics,
// written in the transaction that writes the segment. Derived data: rebuilt from ooc_segments.
// The caller holds the transaction. Not thread-safe (one Connection).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "storage/pg/connection.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace storage::pg {

// Changes to ooc_project_stats, summed over a call's writes and written once by flush(): updating
// the same statistics row once per segment would make a call of n segments cost O(n^2) (every
// update of a row adds a version the next one walks past until the transaction ends).
class StatsDelta {
 public:
  void add(const std::string& key, int16_t field, int64_t segments, int64_t length);
  // One statement for every (project, field) changed; then empty.
  Status flush(Connection& c, const std::string& team);

 private:
  std::map<std::pair<std::string, int16_t>, std::pair<int64_t, int64_t>> deltas_;
};

// Removes the postings and field lengths of segments `ids` of project `key` and takes them out of
// the statistics (`stats`; nothing for a segment without any). Before segments are deleted or
// written again. Two statements, whatever the number of ids.
Status drop_postings(Connection& c, const std::string& team, const std::string& key,
                     const std::vector<std::string>& ids, StatsDelta& stats);

// Writes the postings and field lengths of `segments` (of project `key`; their previous ones
// dropped first) and adds them to the statistics (`stats`). Two statements.
Status write_postings(Connection& c, const std::string& team, const std::string& key,
                      const std::vector<const Segment*>& segments, StatsDelta& stats);

}  // namespace storage::pg
