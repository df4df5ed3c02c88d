// Fields: reads the members of one JSON object into typed values, for the argument decoders of
// the tools (arguments.h, tools/context_*.cpp) and for `ooc import` (exported_segment.h).
//
// Every failure is Status::invalid_argument naming the field the way the client wrote it:
// "segments[2].type: must be one of message, code, log, note, decision, summary". Absent and null
// members leave the output untouched. Nothing here throws.
//
// Every lookup, whether the member is present or not, is recorded in an optional FieldLog under
// the member's schema path ("project_id", "filters.task_id", "segments[].text"). Decoders never
// branch on the log; tests/tools/tool_contract_test.cpp uses it to prove that each decoder reads
// exactly the properties its inputSchema declares. Unknown members are not refused here: the
// registry has already checked them against the schema (additionalProperties: false).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace tools {

// Schema paths of the members a decoder looked up.
using FieldLog = std::set<std::string>;

// invalid_argument "<field>: <problem>".
storage::Status field_error(const std::string& field, const std::string& problem);

// `value` as a segment type name, else "<field>: must be one of message, code, ...".
storage::Status parse_type(const mcp::Json& value, const std::string& field, storage::SegmentType& out);

class Fields {
 public:
  // The top-level arguments object. `object` (and `log`, when given) must outlive this. `where`
  // prefixes error texts ("export.jsonl:3" for `ooc import`); empty for tool arguments.
  explicit Fields(const mcp::Json& object, FieldLog* log = nullptr, std::string where = "");

  bool is_object() const { return object_->is_object(); }
  // Prefix of error texts: "" at the top level, "filters", "segments[2]".
  const std::string& where() const { return where_; }
  // "where.key", or "key" at the top level.
  std::string name(std::string_view key) const;
  // Member `key` (recorded in the log), or nullptr when absent, null, or this is no object.
  const mcp::Json* find(std::string_view key) const;

  // The object `value` found at member `key`, and item `index` of the array found at `key`.
  Fields object(std::string_view key, const mcp::Json& value) const;
  Fields item(std::string_view key, size_t index, const mcp::Json& value) const;

  storage::Status read_string(std::string_view key, std::optional<std::string>& out) const;
  storage::Status read_bool(std::string_view key, std::optional<bool>& out) const;
  // An integer >= `minimum`.
  storage::Status read_int(std::string_view key, int64_t minimum, std::optional<int64_t>& out) const;
  // An array of strings; duplicates are dropped, order kept.
  storage::Status read_strings(std::string_view key, std::vector<std::string>& out) const;
  // [start, end], two integers >= 1 with start <= end.
  storage::Status read_line_range(std::string_view key, std::optional<storage::LineRange>& out) const;
  storage::Status read_type(std::string_view key, std::optional<storage::SegmentType>& out) const;
  // A flat object of string keys to strings, numbers (integers kept as int64) or booleans
  // (storage::Metadata), checked against the default SegmentLimits; a nested value or null is an
  // error naming the key.
  storage::Status read_metadata(std::string_view key, storage::Metadata& out) const;
  // An RFC 3339 date-time, made canonical (storage/time_format.h); an invalid date is an error.
  storage::Status read_date(std::string_view key, std::optional<std::string>& out) const;

 private:
  Fields(const mcp::Json& object, std::string where, std::string path, FieldLog* log);

  const mcp::Json* object_;
  std::string where_;
  std::string path_;  // schema path: array indexes become "[]"
  FieldLog* log_;
};

}  // namespace tools
