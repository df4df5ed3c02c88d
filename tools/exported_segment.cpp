#include "tools/exported_segment.h"

#include <optional>
#include <string_view>

#include "storage/token_estimate.h"
#include "tools/fields.h"

namespace tools {

storage::Result<storage::Segment> parse_exported_segment(const mcp::Json& value, const std::string& where) {
  using storage::Status;
  if (!value.is_object()) return field_error(where, "must be a segment object");
  const Fields in(value, nullptr, where);
  storage::Segment segment;
  std::optional<std::string> text, id, project, generation, created, touched;
  if (Status s = in.read_string("segment_id", id); !s.ok()) return s;
  if (Status s = in.read_string("text", text); !s.ok()) return s;
  if (Status s = in.read_string("project_id", project); !s.ok()) return s;
  if (!id || !text || !project) return field_error(where, "segment_id, text and project_id are required");
  segment.segment_id = *id;
  segment.text = *text;
  segment.project_id = *project;
  if (Status s = in.read_string("task_id", segment.task_id); !s.ok()) return s;
  if (Status s = in.read_string("file_path", segment.file_path); !s.ok()) return s;
  if (Status s = in.read_string("topic_id", segment.topic_id); !s.ok()) return s;
  std::optional<storage::SegmentType> type;
  if (Status s = in.read_type("type", type); !s.ok()) return s;
  segment.type = type.value_or(segment.type);
  if (Status s = in.read_line_range("line_range", segment.line_range); !s.ok()) return s;
  if (Status s = in.read_strings("tags", segment.tags); !s.ok()) return s;
  if (Status s = in.read_date("created_at", created); !s.ok()) return s;
  if (!created) return field_error(in.name("created_at"), "required RFC 3339 date-time");
  segment.created_at = *created;
  if (Status s = in.read_date("last_touched_at", touched); !s.ok()) return s;
  segment.last_touched_at = touched.value_or(segment.created_at);
  std::optional<bool> pinned;
  if (Status s = in.read_bool("pinned", pinned); !s.ok()) return s;
  segment.pinned = pinned.value_or(false);
  if (Status s = in.read_string("generation", generation); !s.ok()) return s;
  if (generation) {
    auto parsed = storage::parse_generation(*generation);
    if (!parsed) return field_error(in.name("generation"), "must be young or old");
    segment.generation = *parsed;
  }
  struct Counter { std::string_view key; int64_t* out; };
  for (Counter counter : {Counter{"gc_survival_count", &segment.gc_survival_count},
                          Counter{"refcount", &segment.refcount}, Counter{"tokens", &segment.tokens}}) {
    std::optional<int64_t> number;
    if (Status s = in.read_int(counter.key, 0, number); !s.ok()) return s;
    if (number) *counter.out = *number;
  }
  if (in.find("tokens") == nullptr) segment.tokens = storage::estimate_tokens(segment.text);
  std::optional<int64_t> revision;
  if (Status s = in.read_int("revision", 1, revision); !s.ok()) return s;
  segment.revision = revision.value_or(1);
  if (Status s = in.read_metadata("metadata", segment.metadata); !s.ok()) return s;
  if (Status s = in.read_strings("supersedes", segment.supersedes); !s.ok()) return s;
  if (Status s = in.read_string("superseded_by", segment.superseded_by); !s.ok()) return s;
  segment.tier = storage::Tier::kStashed;
  return segment;
}

}  // namespace tools
