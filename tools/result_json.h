// Result shaping shared by the tools' encoders: engine types -> the JSON of structuredContent,
// and the number/list wording of one-line summaries. (Failures: tool.h error_result.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"
#include "mcp/tool_registry.h"
#include "storage/search/search_types.h"
#include "storage/segment.h"
#include "storage/store.h"

namespace tools {

// Segment text one result may carry. Results are mirrored as a JSON text block, so a response is
// about twice this plus escaping: well below the 10 MiB SDK clients buffer (DESIGN §5).
constexpr size_t kMaxResponseTextBytes = size_t{3} << 20;

// How much of a segment a reply shows (issue 11 #10: replies carry what an agent uses).
struct SegmentView {
  bool with_text = false;
  // Every field of DESIGN §2, absent optional ones as null, the GC internals (generation,
  // gc_survival_count, refcount) and the tier: `ooc export`, `ooc show`, and `verbose: true`.
  // Lean (false): unset fields, empty tags, pinned false and last_touched_at equal to created_at
  // are left out, and so are the internals and the tier (the tool implies it). metadata,
  // supersedes and superseded_by appear only when set, in both forms; revision always.
  bool verbose = false;
  bool with_project = false;  // project_id (always when verbose): for replies over project "*"
};
mcp::Json segment_to_json(const storage::Segment& segment, const SegmentView& view);

// A search result: metadata, score and snippet, never the full text; unset fields left out
// (metadata and superseded_by when set).
mcp::Json hit_to_json(const storage::SearchHit& hit, bool with_project);

// The duplicates of one stored or stashed segment (issue 11 #5):
// [{"segment_id", "tier", "kind", "similarity"}], similarity cut to two decimals.
mcp::Json duplicates_to_json(const std::vector<storage::Duplicate>& duplicates);
// One sentence naming the first 3 duplicate pairs of `written` and what to do about them, starting
// with a space; "" when none has duplicates.
std::string duplicates_sentence(const std::vector<storage::StoredSegment>& written);

// "1,240"
std::string with_commas(int64_t value);
// "1 segment", "3 segments"; `plural` when adding "s" is wrong ("matches").
std::string count_of(size_t count, std::string_view noun, std::string_view plural = "");
// "'a', 'b', 'c' and 2 more"
std::string quoted_list(const std::vector<std::string>& items, size_t max_shown = 5);
// "project 'p'" or "all projects" for "*".
std::string project_phrase(const std::string& project);

}  // namespace tools
