// The segment model (DESIGN §2): a piece of an agent's context plus its metadata, and the rules
// that make one valid. Pure functions; no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/status.h"

namespace storage {

enum class SegmentType { kMessage, kCode, kLog, kNote, kDecision, kSummary };
enum class Generation { kYoung, kOld };
enum class Tier { kWorking, kStashed };

std::string_view to_string(SegmentType type);
std::string_view to_string(Generation generation);
std::string_view to_string(Tier tier);
std::optional<SegmentType> parse_segment_type(std::string_view text);
std::optional<Generation> parse_generation(std::string_view text);
// "message, code, log, note, decision, summary" — for error messages.
std::string_view segment_type_names();

struct LineRange {
  int64_t start = 1;
  int64_t end = 1;
  bool operator==(const LineRange&) const = default;
};

// One value of a segment's free-form metadata (issue 11 #9): a string, an integer (int64), another
// number (double) or a boolean. Nothing nested, no null.
using MetadataValue = std::variant<bool, int64_t, double, std::string>;
// Keys in byte order, so encodings are deterministic.
using Metadata = std::map<std::string, MetadataValue>;

// Filter equality of metadata values: same type, except that numbers compare by value (5 == 5.0);
// a string never equals a number or a boolean ("5" != 5, "true" != true).
bool metadata_equal(const MetadataValue& a, const MetadataValue& b);

struct Segment {
  std::string segment_id;
  std::string text;
  SegmentType type = SegmentType::kNote;
  std::string project_id;
  std::optional<std::string> task_id;
  std::optional<std::string> file_path;
  std::optional<std::string> topic_id;
  std::optional<LineRange> line_range;
  std::vector<std::string> tags;
  std::string created_at;       // canonical RFC 3339 (see time_format.h)
  std::string last_touched_at;  // canonical RFC 3339
  bool pinned = false;
  Generation generation = Generation::kYoung;
  int64_t gc_survival_count = 0;
  int64_t refcount = 0;
  int64_t tokens = 0;
  Tier tier = Tier::kWorking;
  Metadata metadata;                         // free-form, flat (issue 11 #9)
  std::vector<std::string> supersedes;       // ids this segment replaced (issue 11 #3)
  std::optional<std::string> superseded_by;  // the id that replaced this one
  int64_t revision = 1;                      // >= 1; every change adds one (issue 11 #4)

  bool operator==(const Segment&) const = default;
};

// What a client supplies to create or update a segment; unset fields take defaults.
struct SegmentDraft {
  std::optional<std::string> segment_id;  // generated ("seg-" + 12 hex) when absent
  std::string text;
  std::optional<SegmentType> type;
  std::optional<std::string> task_id;
  std::optional<std::string> file_path;
  std::optional<std::string> topic_id;
  std::optional<LineRange> line_range;
  std::vector<std::string> tags;
  std::optional<bool> pinned;
  std::optional<int64_t> tokens;
  std::optional<Generation> generation;
  std::optional<int64_t> gc_survival_count;
  std::optional<int64_t> refcount;
  Metadata metadata;
  std::vector<std::string> supersedes;  // ids of segments this one replaces (marked superseded_by)
};

struct SegmentLimits {
  size_t max_segment_bytes = 1 << 20;  // OUT_OF_CONTEXT_MAX_SEGMENT_BYTES
  size_t max_tags = 32;
  size_t max_tag_chars = 64;
  size_t max_metadata_chars = 1024;  // task_id, topic_id, file_path, and metadata string values
  size_t max_metadata_keys = 32;
  size_t max_metadata_key_chars = 64;
  size_t max_supersedes = 32;
};

// A metadata map checked against `limits`: at most max_metadata_keys keys of 1-64 characters of
// A-Z a-z 0-9 _ . : -, string values valid UTF-8 of at most max_metadata_chars bytes, finite numbers.
// invalid_argument naming the key ("segments[0].metadata.k: ..."); `where` as for validate_segment.
Status validate_metadata(const Metadata& metadata, const SegmentLimits& limits, std::string_view where = "");

// Keeps the supersede links of the version `next` replaces: `previous`'s supersedes are added
// (order kept, no duplicates) and its superseded_by is kept when `next` has none. Storing a new
// version of a segment never clears its links.
void carry_links(Segment& next, const Segment& previous);

// Each returns invalid_argument naming the field ("segment_id 'x y': must match ...").
Status validate_project_id(std::string_view project_id);
Status validate_segment_id(std::string_view segment_id);
// Checks every field of a complete segment (ids, sizes, UTF-8, dates, line range, counters).
// `where` prefixes messages, e.g. "segments[2]".
Status validate_segment(const Segment& segment, const SegmentLimits& limits, std::string_view where = "");

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// The same segment without its text (for search results and listings).
Segment metadata_only(const Segment& segment);

}  // namespace storage
