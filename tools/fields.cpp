#include "tools/fields.h"

#include <limits>

#include "storage/time_format.h"

namespace tools {
namespace {

using storage::Status;
using Json = mcp::Json;

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

Status int_value(const Json& value, const std::string& field, int64_t minimum, int64_t& out) {
  if (!value.is_number_integer()) return field_error(field, "must be an integer");
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return field_error(field, "is too large");
  }
  out = value.get<int64_t>();
  if (out < minimum) return field_error(field, "must be >= " + std::to_string(minimum));
  return Status::ok_status();
}

}  // namespace

Status field_error(const std::string& field, const std::string& problem) {
  return Status::invalid_argument(field + ": " + problem);
}

Status parse_type(const Json& value, const std::string& field, storage::SegmentType& out) {
  auto type = value.is_string() ? storage::parse_segment_type(value.get<std::string>()) : std::nullopt;
  if (!type) return field_error(field, "must be one of " + std::string(storage::segment_type_names()));
  out = *type;
  return Status::ok_status();
}

Fields::Fields(const Json& object, FieldLog* log, std::string where)
    : Fields(object, std::move(where), "", log) {}

Fields::Fields(const Json& object, std::string where, std::string path, FieldLog* log)
    : object_(&object), where_(std::move(where)), path_(std::move(path)), log_(log) {}

std::string Fields::name(std::string_view key) const { return join(where_, key); }

const Json* Fields::find(std::string_view key) const {
  if (log_ != nullptr) log_->insert(join(path_, key));
  if (!object_->is_object()) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

Fields Fields::object(std::string_view key, const Json& value) const {
  return Fields(value, name(key), join(path_, key), log_);
}

Fields Fields::item(std::string_view key, size_t index, const Json& value) const {
  return Fields(value, name(key) + "[" + std::to_string(index) + "]", join(path_, key) + "[]", log_);
}

Status Fields::read_string(std::string_view key, std::optional<std::string>& out) const {
  const Json* value = find(key);
  if (value == nullptr) return Status::ok_status();
  if (!value->is_string()) return field_error(name(key), "must be a string");
  out = value->get<std::string>();
  return Status::ok_status();
}

Status Fields::read_bool(std::string_view key, std::optional<bool>& out) const {
  const Json* value = find(key);
  if (value == nullptr) return Status::ok_status();
  if (!value->is_boolean()) return field_error(name(key), "must be true or false");
  out = value->get<bool>();
  return Status::ok_status();
}

Status Fields::read_int(std::string_view key, int64_t minimum, std::optional<int64_t>& out) const {
  const Json* value = find(key);
  if (value == nullptr) return Status::ok_status();
  int64_t parsed = 0;
  if (Status s = int_value(*value, name(key), minimum, parsed); !s.ok()) return s;
  out = parsed;
  return Status::ok_status();
}

Status Fields::read_strings(std::string_view key, std::vector<std::string>& out) const {
  const Json* value = find(key);
  if (value == nullptr) return Status::ok_status();
  const std::string field = name(key);
  if (!value->is_array()) return field_error(field, "must be an array of strings");
  std::set<std::string> seen;
  for (size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    if (!item.is_string()) return field_error(field + "[" + std::to_string(i) + "]", "must be a string");
    std::string text = item.get<std::string>();
    if (seen.insert(text).second) out.push_back(std::move(text));
  }
  return Status::ok_status();
}

Status Fields::read_line_range(std::string_view key, std::optional<storage::LineRange>& out) const {
  const Json* value = find(key);
  if (value == nullptr) return Status::ok_status();
  const std::string field = name(key);
  if (!value->is_array() || value->size() != 2) {
    return field_error(field, "must be [start, end], two integers >= 1");
  }
  storage::LineRange range;
  if (Status s = int_value((*value)[0], field + "[0]", 1, range.start); !s.ok()) return s;
  if (Status s = int_value((*value)[1], field + "[1]", 1, range.end); !s.ok()) return s;
  if (range.start > range.end) {
    return field_error(field, "start " + std::to_string(range.start) + " is after end " + std::to_string(range.end));
  }
  out = range;
  return Status::ok_status();
}

Status Fields::read_type(std::string_view key, std::optional<storage::SegmentType>& out) const {
  const Json* value = find(key);
  if (value == nullptr) return Status::ok_status();
  storage::SegmentType type{};
  if (Status s = parse_type(*value, name(key), type); !s.ok()) return s;
  out = type;
  return Status::ok_status();
}

Status Fields::read_metadata(std::string_view key, storage::Metadata& out) const {
  const Json* value = find(key);
  if (value == nullptr) return Status::ok_status();
  const std::string field = name(key);
  if (!value->is_object()) return field_error(field, "must be an object of keys to strings, numbers or booleans");
  storage::Metadata metadata;
  for (const auto& [k, v] : value->items()) {
    const std::string item = field + "." + k;
    if (v.is_string()) {
      metadata[k] = v.get<std::string>();
    } else if (v.is_boolean()) {
      metadata[k] = v.get<bool>();
    } else if (v.is_number_integer()) {
      int64_t number = 0;
      if (Status s = int_value(v, item, std::numeric_limits<int64_t>::min(), number); !s.ok()) return s;
      metadata[k] = number;
    } else if (v.is_number_float()) {
      metadata[k] = v.get<double>();
    } else {
      return field_error(item, "must be a string, a number or a boolean (not an object, array or null)");
    }
  }
  if (Status s = storage::validate_metadata(metadata, storage::SegmentLimits{}, where_); !s.ok()) return s;
  out = std::move(metadata);
  return Status::ok_status();
}

Status Fields::read_date(std::string_view key, std::optional<std::string>& out) const {
  std::optional<std::string> text;
  if (Status s = read_string(key, text); !s.ok()) return s;
  if (!text) return Status::ok_status();
  std::optional<std::string> canonical = storage::canonical_rfc3339(*text);
  if (!canonical) {
    return field_error(name(key), "'" + *text + "' is not an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)");
  }
  out = std::move(canonical);
  return Status::ok_status();
}

}  // namespace tools
