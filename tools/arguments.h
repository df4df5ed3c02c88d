// Tool arguments (JSON) -> engine types. The registry has already validated arguments against
// the tool's inputSchema, but these functions re-check every type they read, because some schema
// properties are deliberately loose to keep tools/list small (context_stash's inline `segments`
// and `filters`) and because `ooc import` feeds them unvalidated lines.
//
// Every failure is Status::invalid_argument naming the field: "segments[2].type: must be one of
// message, code, log, note, decision, summary". Nothing here throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"
#include "storage/search/search_types.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace tools {

enum class ProjectUse { kRead, kWrite };

// args.project_id or `default_project`. "*" (every project) only for reads.
storage::Result<std::string> project_argument(const mcp::Json& args, const std::string& default_project,
                                              ProjectUse use);

// args[key] as a list of strings; empty when absent. Duplicates are dropped, order kept.
storage::Result<std::vector<std::string>> id_list_argument(const mcp::Json& args, std::string_view key);

// args[key] when it is a boolean, else `fallback`.
bool bool_argument(const mcp::Json& args, std::string_view key, bool fallback);

// One segment as a client writes it for context_store (text required). `where` prefixes errors.
storage::Result<storage::SegmentDraft> parse_draft(const mcp::Json& value, const std::string& where);
// args[key] as drafts; empty when absent.
storage::Result<std::vector<storage::SegmentDraft>> parse_drafts(const mcp::Json& args, std::string_view key);

// The `filters` object of context_search_stashed / context_stash. Dates are checked and made
// canonical: an invalid date is an error, never ignored (DESIGN §4).
storage::Result<storage::SearchFilters> parse_filters(const mcp::Json& filters, std::string_view where);

// A complete segment as written by `ooc export` (result_json.h segment_to_json), for `ooc import`.
// Missing metadata takes defaults; created_at is required; tier becomes stashed.
storage::Result<storage::Segment> parse_exported_segment(const mcp::Json& value, const std::string& where);

}  // namespace tools
