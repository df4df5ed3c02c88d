#include "tools/arguments.h"

#include <charconv>
#include <chrono>
#include <cstdint>

#include "storage/time_format.h"

namespace tools {

using storage::Result;
using storage::Status;
using Json = mcp::Json;

Result<std::optional<std::string>> decode_project(const Fields& args, ProjectUse use) {
  std::optional<std::string> project;
  if (Status s = args.read_string("project_id", project); !s.ok()) return s;
  if (!project) return project;
  if (*project == "*") {
    if (use == ProjectUse::kWrite) {
      return field_error("project_id", "'*' (every project) is only for reads; name one project");
    }
    return project;
  }
  if (Status s = storage::validate_project_id(*project); !s.ok()) return s;
  return project;
}

Result<std::vector<std::string>> decode_ids(const Fields& args, std::string_view key) {
  std::vector<std::string> ids;
  if (Status s = args.read_strings(key, ids); !s.ok()) return s;
  return ids;
}

namespace {

// created_after / created_before: RFC 3339, or an age before now: digits and a unit, m (minutes),
// h (hours), d (days) or w (weeks): "7d" is seven days ago.
Status read_filter_date(const Fields& in, std::string_view key, std::optional<std::string>& out) {
  std::optional<std::string> text;
  if (Status s = in.read_string(key, text); !s.ok()) return s;
  if (text && text->size() >= 2 && text->size() <= 7) {
    const char unit = text->back();
    const std::string_view digits = std::string_view(*text).substr(0, text->size() - 1);
    int64_t count = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    const bool numeric = error == std::errc() && end == digits.data() + digits.size();
    int64_t unit_ms = 0;
    if (unit == 'm') unit_ms = 60'000;
    if (unit == 'h') unit_ms = 3'600'000;
    if (unit == 'd') unit_ms = 86'400'000;
    if (unit == 'w') unit_ms = 7 * 86'400'000LL;
    if (numeric && unit_ms != 0) {
      const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
      out = storage::format_rfc3339_ms(now - count * unit_ms);
      return Status::ok_status();
    }
  }
  return in.read_date(key, out);
}

Result<storage::SegmentDraft> decode_draft(const Fields& in) {
  if (!in.is_object()) return field_error(in.where(), "must be an object with a string 'text'");
  storage::SegmentDraft draft;
  const Json* text = in.find("text");
  if (text == nullptr || !text->is_string()) return field_error(in.name("text"), "required string");
  draft.text = text->get<std::string>();
  if (Status s = in.read_string("segment_id", draft.segment_id); !s.ok()) return s;
  if (Status s = in.read_string("task_id", draft.task_id); !s.ok()) return s;
  if (Status s = in.read_string("file_path", draft.file_path); !s.ok()) return s;
  if (Status s = in.read_string("topic_id", draft.topic_id); !s.ok()) return s;
  if (Status s = in.read_type("type", draft.type); !s.ok()) return s;
  if (Status s = in.read_line_range("line_range", draft.line_range); !s.ok()) return s;
  if (Status s = in.read_strings("tags", draft.tags); !s.ok()) return s;
  if (Status s = in.read_bool("pinned", draft.pinned); !s.ok()) return s;
  if (Status s = in.read_int("tokens", 0, draft.tokens); !s.ok()) return s;
  if (Status s = in.read_metadata("metadata", draft.metadata); !s.ok()) return s;
  if (Status s = in.read_strings("supersedes", draft.supersedes); !s.ok()) return s;
  return draft;
}

}  // namespace

Result<std::vector<storage::SegmentDraft>> decode_drafts(const Fields& args) {
  std::vector<storage::SegmentDraft> drafts;
  const Json* value = args.find("segments");
  if (value == nullptr) return drafts;
  if (!value->is_array()) return field_error(args.name("segments"), "must be an array of segments");
  for (size_t i = 0; i < value->size(); ++i) {
    Result<storage::SegmentDraft> draft = decode_draft(args.item("segments", i, (*value)[i]));
    if (!draft.ok()) return draft.status();
    drafts.push_back(std::move(draft).value());
  }
  return drafts;
}

Result<std::optional<storage::SearchFilters>> decode_filters(const Fields& args) {
  const Json* value = args.find("filters");
  if (value == nullptr) return std::optional<storage::SearchFilters>();
  if (!value->is_object()) return field_error(args.name("filters"), "must be an object");
  const Fields in = args.object("filters", *value);
  storage::SearchFilters out;
  if (Status s = in.read_string("task_id", out.task_id); !s.ok()) return s;
  if (Status s = in.read_string("file_path", out.file_path); !s.ok()) return s;
  if (Status s = in.read_string("topic_id", out.topic_id); !s.ok()) return s;
  if (Status s = in.read_strings("tags", out.tags); !s.ok()) return s;
  if (Status s = in.read_strings("tags_any", out.tags_any); !s.ok()) return s;
  if (const Json* types = in.find("type")) {
    if (!types->is_array()) return field_error(in.name("type"), "must be an array of segment types");
    for (const Json& type : *types) {
      storage::SegmentType parsed{};
      if (Status s = parse_type(type, in.name("type"), parsed); !s.ok()) return s;
      out.types.push_back(parsed);
    }
  }
  if (Status s = read_filter_date(in, "created_after", out.created_after); !s.ok()) return s;
  if (Status s = read_filter_date(in, "created_before", out.created_before); !s.ok()) return s;
  if (Status s = in.read_bool("pinned", out.pinned); !s.ok()) return s;
  if (Status s = in.read_metadata("metadata", out.metadata); !s.ok()) return s;
  return std::optional<storage::SearchFilters>(std::move(out));
}

Result<Page> decode_page(const Fields& args) {
  Page page;
  if (const Json* limit = args.find("limit")) {
    if (!limit->is_number_integer() || limit->get<int64_t>() < 1 ||
        limit->get<int64_t>() > static_cast<int64_t>(kMaxPageLimit)) {
      return field_error(args.name("limit"), "must be an integer from 1 to " + std::to_string(kMaxPageLimit));
    }
    page.limit = static_cast<size_t>(limit->get<int64_t>());
  }
  if (Status s = args.read_string("cursor", page.cursor); !s.ok()) return s;
  return page;
}

}  // namespace tools
