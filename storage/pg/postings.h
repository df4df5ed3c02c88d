// A stashed segment's search postings in the team store (issue 14; SCHEMA.md ooc_postings,
// ooc_field_lengths, ooc_project_stats): the terms of ooc's own analyzer by field
// (storage/search/ranked_fields.h), each field's length, and the project's collection statistics,
// written in the transaction that writes the segment. Derived data: rebuilt from ooc_segments.
// The caller holds the transaction. Not thread-safe (one Connection).
#pragma once

#include <string>

#include "storage/pg/connection.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace storage::pg {

// Removes segment `id`'s postings and field lengths and takes them out of the project's statistics
// (nothing when it has none). Before a segment is deleted or written again.
Status drop_postings(Connection& c, const std::string& team, const std::string& key, const std::string& id);

// Writes `segment`'s postings and field lengths and adds them to the project's statistics. Its
// previous ones must be dropped first.
Status write_postings(Connection& c, const std::string& team, const std::string& key, const Segment& segment);

}  // namespace storage::pg
