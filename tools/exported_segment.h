// The decoder of `ooc import`: one line of `ooc export` (result_json.h segment_to_json) back into
// a complete segment. Unlike tool arguments, import lines come unvalidated by any schema, so every
// type is checked here. Failures are invalid_argument prefixed by `where` ("file.jsonl:3").
#pragma once

#include <string>

#include "mcp/json.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace tools {

// segment_id, text, project_id and created_at are required; missing metadata takes defaults,
// last_touched_at defaults to created_at, tokens to the estimate, revision to 1; metadata,
// supersedes and superseded_by are kept; tier becomes stashed.
storage::Result<storage::Segment> parse_exported_segment(const mcp::Json& value, const std::string& where);

}  // namespace tools
