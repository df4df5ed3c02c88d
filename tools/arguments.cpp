#include "tools/arguments.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <set>

#include "storage/time_format.h"
#include "storage/token_estimate.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;
using Json = mcp::Json;

Status field_error(const std::string& field, const std::string& problem) {
  return Status::invalid_argument(field + ": " + problem);
}

std::string join(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : where + "." + std::string(key);
}

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

// Reads an optional string member into `out`.
Status read_string(const Json& object, std::string_view key, const std::string& where,
                   std::optional<std::string>& out) {
  const Json* value = member(object, key);
  if (value == nullptr) return Status::ok_status();
  if (!value->is_string()) return field_error(join(where, key), "must be a string");
  out = value->get<std::string>();
  return Status::ok_status();
}

Status read_int(const Json& value, const std::string& field, int64_t minimum, int64_t& out) {
  if (!value.is_number_integer()) return field_error(field, "must be an integer");
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return field_error(field, "is too large");
  }
  out = value.get<int64_t>();
  if (out < minimum) return field_error(field, "must be >= " + std::to_string(minimum));
  return Status::ok_status();
}

Status read_strings(const Json& value, const std::string& field, std::vector<std::string>& out) {
  if (!value.is_array()) return field_error(field, "must be an array of strings");
  std::set<std::string> seen;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      return field_error(field + "[" + std::to_string(i) + "]", "must be a string");
    }
    std::string item = value[i].get<std::string>();
    if (seen.insert(item).second) out.push_back(std::move(item));
  }
  return Status::ok_status();
}

Status read_line_range(const Json& value, const std::string& field, storage::LineRange& out) {
  if (!value.is_array() || value.size() != 2) {
    return field_error(field, "must be [start, end], two integers >= 1");
  }
  if (Status s = read_int(value[0], field + "[0]", 1, out.start); !s.ok()) return s;
  if (Status s = read_int(value[1], field + "[1]", 1, out.end); !s.ok()) return s;
  if (out.start > out.end) {
    return field_error(field, "start " + std::to_string(out.start) + " is after end " +
                                  std::to_string(out.end));
  }
  return Status::ok_status();
}

Status read_type(const Json& value, const std::string& field, storage::SegmentType& out) {
  auto type = value.is_string() ? storage::parse_segment_type(value.get<std::string>()) : std::nullopt;
  if (!type) return field_error(field, "must be one of " + std::string(storage::segment_type_names()));
  out = *type;
  return Status::ok_status();
}

Status check_keys(const Json& object, const std::string& where, const std::set<std::string_view>& allowed) {
  for (const auto& item : object.items()) {
    if (!allowed.count(item.key())) {
      return field_error(join(where, item.key()), "unknown field");
    }
  }
  return Status::ok_status();
}

Result<std::string> read_date(const Json& object, std::string_view key, const std::string& where) {
  std::optional<std::string> text;
  if (Status s = read_string(object, key, where, text); !s.ok()) return s;
  if (!text) return std::string();
  std::optional<std::string> canonical = storage::canonical_rfc3339(*text);
  if (!canonical) {
    return field_error(join(where, key), "'" + *text +
                                             "' is not an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)");
  }
  return *canonical;
}

}  // namespace

Result<std::string> project_argument(const Json& args, const std::string& default_project, ProjectUse use) {
  std::optional<std::string> project;
  if (Status s = read_string(args, "project_id", "", project); !s.ok()) return s;
  if (!project) return default_project;
  if (*project == "*") {
    if (use == ProjectUse::kWrite) {
      return field_error("project_id", "'*' (every project) is only for reads; name one project");
    }
    return *project;
  }
  if (Status s = storage::validate_project_id(*project); !s.ok()) return s;
  return *project;
}

Result<std::vector<std::string>> id_list_argument(const Json& args, std::string_view key) {
  std::vector<std::string> ids;
  const Json* value = member(args, key);
  if (value == nullptr) return ids;
  if (Status s = read_strings(*value, std::string(key), ids); !s.ok()) return s;
  return ids;
}

bool bool_argument(const Json& args, std::string_view key, bool fallback) {
  const Json* value = member(args, key);
  return value != nullptr && value->is_boolean() ? value->get<bool>() : fallback;
}

Result<storage::SegmentDraft> parse_draft(const Json& value, const std::string& where) {
  if (!value.is_object()) return field_error(where, "must be an object with a string 'text'");
  static const std::set<std::string_view> kAllowed = {"text", "segment_id", "type", "task_id",
                                                      "file_path", "line_range", "tags", "topic_id",
                                                      "pinned", "tokens"};
  if (Status s = check_keys(value, where, kAllowed); !s.ok()) return s;
  storage::SegmentDraft draft;
  const Json* text = member(value, "text");
  if (text == nullptr || !text->is_string()) return field_error(join(where, "text"), "required string");
  draft.text = text->get<std::string>();
  if (Status s = read_string(value, "segment_id", where, draft.segment_id); !s.ok()) return s;
  if (Status s = read_string(value, "task_id", where, draft.task_id); !s.ok()) return s;
  if (Status s = read_string(value, "file_path", where, draft.file_path); !s.ok()) return s;
  if (Status s = read_string(value, "topic_id", where, draft.topic_id); !s.ok()) return s;
  if (const Json* type = member(value, "type")) {
    storage::SegmentType parsed{};
    if (Status s = read_type(*type, join(where, "type"), parsed); !s.ok()) return s;
    draft.type = parsed;
  }
  if (const Json* range = member(value, "line_range")) {
    storage::LineRange parsed;
    if (Status s = read_line_range(*range, join(where, "line_range"), parsed); !s.ok()) return s;
    draft.line_range = parsed;
  }
  if (const Json* tags = member(value, "tags")) {
    if (Status s = read_strings(*tags, join(where, "tags"), draft.tags); !s.ok()) return s;
  }
  if (const Json* pinned = member(value, "pinned")) {
    if (!pinned->is_boolean()) return field_error(join(where, "pinned"), "must be true or false");
    draft.pinned = pinned->get<bool>();
  }
  if (const Json* tokens = member(value, "tokens")) {
    int64_t parsed = 0;
    if (Status s = read_int(*tokens, join(where, "tokens"), 0, parsed); !s.ok()) return s;
    draft.tokens = parsed;
  }
  return draft;
}

Result<std::vector<storage::SegmentDraft>> parse_drafts(const Json& args, std::string_view key) {
  std::vector<storage::SegmentDraft> drafts;
  const Json* value = member(args, key);
  if (value == nullptr) return drafts;
  if (!value->is_array()) return field_error(std::string(key), "must be an array of segments");
  for (size_t i = 0; i < value->size(); ++i) {
    Result<storage::SegmentDraft> draft =
        parse_draft((*value)[i], std::string(key) + "[" + std::to_string(i) + "]");
    if (!draft.ok()) return draft.status();
    drafts.push_back(std::move(draft).value());
  }
  return drafts;
}

Result<storage::SearchFilters> parse_filters(const Json& filters, std::string_view where_view) {
  const std::string where(where_view);
  storage::SearchFilters out;
  if (filters.is_null()) return out;
  if (!filters.is_object()) return field_error(where, "must be an object");
  static const std::set<std::string_view> kAllowed = {"task_id", "file_path", "topic_id", "tags",
                                                      "tags_any", "type", "created_after",
                                                      "created_before", "pinned"};
  if (Status s = check_keys(filters, where, kAllowed); !s.ok()) return s;
  if (Status s = read_string(filters, "task_id", where, out.task_id); !s.ok()) return s;
  if (Status s = read_string(filters, "file_path", where, out.file_path); !s.ok()) return s;
  if (Status s = read_string(filters, "topic_id", where, out.topic_id); !s.ok()) return s;
  if (const Json* tags = member(filters, "tags")) {
    if (Status s = read_strings(*tags, join(where, "tags"), out.tags); !s.ok()) return s;
  }
  if (const Json* tags = member(filters, "tags_any")) {
    if (Status s = read_strings(*tags, join(where, "tags_any"), out.tags_any); !s.ok()) return s;
  }
  if (const Json* types = member(filters, "type")) {
    // One type name or a list of them.
    const Json list = types->is_array() ? *types : Json::array({*types});
    for (size_t i = 0; i < list.size(); ++i) {
      storage::SegmentType parsed{};
      if (Status s = read_type(list[i], join(where, "type"), parsed); !s.ok()) return s;
      out.types.push_back(parsed);
    }
  }
  for (std::string_view key : {std::string_view("created_after"), std::string_view("created_before")}) {
    Result<std::string> date = read_date(filters, key, where);
    if (!date.ok()) return date.status();
    if (date->empty()) continue;
    (key == "created_after" ? out.created_after : out.created_before) = std::move(date).value();
  }
  if (const Json* pinned = member(filters, "pinned")) {
    if (!pinned->is_boolean()) return field_error(join(where, "pinned"), "must be true or false");
    out.pinned = pinned->get<bool>();
  }
  return out;
}

Result<storage::Segment> parse_exported_segment(const Json& value, const std::string& where) {
  if (!value.is_object()) return field_error(where, "must be a segment object");
  storage::Segment segment;
  std::optional<std::string> text, id, project, generation;
  if (Status s = read_string(value, "segment_id", where, id); !s.ok()) return s;
  if (Status s = read_string(value, "text", where, text); !s.ok()) return s;
  if (Status s = read_string(value, "project_id", where, project); !s.ok()) return s;
  if (!id || !text || !project) return field_error(where, "segment_id, text and project_id are required");
  segment.segment_id = *id;
  segment.text = *text;
  segment.project_id = *project;
  if (Status s = read_string(value, "task_id", where, segment.task_id); !s.ok()) return s;
  if (Status s = read_string(value, "file_path", where, segment.file_path); !s.ok()) return s;
  if (Status s = read_string(value, "topic_id", where, segment.topic_id); !s.ok()) return s;
  if (const Json* type = member(value, "type")) {
    if (Status s = read_type(*type, join(where, "type"), segment.type); !s.ok()) return s;
  }
  if (const Json* range = member(value, "line_range")) {
    storage::LineRange parsed;
    if (Status s = read_line_range(*range, join(where, "line_range"), parsed); !s.ok()) return s;
    segment.line_range = parsed;
  }
  if (const Json* tags = member(value, "tags")) {
    if (Status s = read_strings(*tags, join(where, "tags"), segment.tags); !s.ok()) return s;
  }
  Result<std::string> created = read_date(value, "created_at", where);
  if (!created.ok()) return created.status();
  if (created->empty()) return field_error(join(where, "created_at"), "required RFC 3339 date-time");
  segment.created_at = *created;
  Result<std::string> touched = read_date(value, "last_touched_at", where);
  if (!touched.ok()) return touched.status();
  segment.last_touched_at = touched->empty() ? segment.created_at : *touched;
  if (const Json* pinned = member(value, "pinned")) {
    if (!pinned->is_boolean()) return field_error(join(where, "pinned"), "must be true or false");
    segment.pinned = pinned->get<bool>();
  }
  if (Status s = read_string(value, "generation", where, generation); !s.ok()) return s;
  if (generation) {
    auto parsed = storage::parse_generation(*generation);
    if (!parsed) return field_error(join(where, "generation"), "must be young or old");
    segment.generation = *parsed;
  }
  struct Counter { std::string_view key; int64_t* out; };
  for (Counter counter : {Counter{"gc_survival_count", &segment.gc_survival_count},
                          Counter{"refcount", &segment.refcount}, Counter{"tokens", &segment.tokens}}) {
    if (const Json* number = member(value, counter.key)) {
      if (Status s = read_int(*number, join(where, counter.key), 0, *counter.out); !s.ok()) return s;
    }
  }
  if (member(value, "tokens") == nullptr) {
    segment.tokens = storage::estimate_tokens(segment.text);
  }
  segment.tier = storage::Tier::kStashed;
  return segment;
}

}  // namespace tools
