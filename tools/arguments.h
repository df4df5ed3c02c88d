// The decoders of the argument shapes several tools share, one each, used by every tool that takes
// the shape (STYLE.md "Declaring a tool"). Each matches one part of the schemas:
//
//   decode_project  "project_id"             (each descriptor; the pattern differs for writes)
//   decode_ids      "segment_ids" etc.       arrays of ids
//   decode_drafts   "segments"               schemas/fragments/segment_draft.json as items
//   decode_filters  "filters"                schemas/fragments/filters.json
//   decode_page     "limit", "cursor"        schemas/fragments/page_limit.json, page_cursor.json
//
// Arguments arrive validated against the tool's inputSchema (mcp::ToolRegistry), so unknown
// members were already refused; these functions still check every type they read and add the
// domain checks a schema cannot express (dates, line ranges, project ids). Every failure is
// invalid_argument naming the field. Nothing here throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"
#include "storage/search/search_types.h"
#include "storage/segment.h"
#include "storage/status.h"
#include "tools/fields.h"

namespace tools {

enum class ProjectUse { kRead, kWrite };

// args.project_id, nullopt when absent (the tool applies its default). "*" (every project) is
// refused for writes.
storage::Result<std::optional<std::string>> decode_project(const Fields& args, ProjectUse use);

// args[key] as a list of ids; empty when absent. Duplicates are dropped, order kept.
storage::Result<std::vector<std::string>> decode_ids(const Fields& args, std::string_view key);

// args.segments: segments as a client writes them (text required). Empty when absent.
storage::Result<std::vector<storage::SegmentDraft>> decode_drafts(const Fields& args);

// args.filters, nullopt when absent. Dates are checked and made canonical: an invalid date is an
// error, never ignored (DESIGN §4).
storage::Result<std::optional<storage::SearchFilters>> decode_filters(const Fields& args);

// Pagination of a result list: args.limit (1..kMaxPageLimit, default kDefaultPageLimit) and the
// opaque args.cursor (checked against its search by cursor.h decode_cursor, not here).
constexpr size_t kDefaultPageLimit = 10;
constexpr size_t kMaxPageLimit = 100;
struct Page {
  size_t limit = kDefaultPageLimit;
  std::optional<std::string> cursor;
};
storage::Result<Page> decode_page(const Fields& args);

}  // namespace tools
