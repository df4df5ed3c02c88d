#include "storage/segment_json.h"

#include <simdjson.h>

#include <variant>

namespace storage {

nlohmann::json segment_to_json(const Segment& s) {
  nlohmann::json j = nlohmann::json::object();
  j["segment_id"] = s.segment_id;
  j["text"] = s.text;
  j["type"] = std::string(to_string(s.type));
  j["project_id"] = s.project_id;
  if (s.task_id) j["task_id"] = *s.task_id;
  if (s.file_path) j["file_path"] = *s.file_path;
  if (s.topic_id) j["topic_id"] = *s.topic_id;
  if (s.line_range) j["line_range"] = nlohmann::json::array({s.line_range->start, s.line_range->end});
  j["tags"] = s.tags;
  j["created_at"] = s.created_at;
  j["last_touched_at"] = s.last_touched_at;
  j["pinned"] = s.pinned;
  j["generation"] = std::string(to_string(s.generation));
  j["gc_survival_count"] = s.gc_survival_count;
  j["refcount"] = s.refcount;
  j["tokens"] = s.tokens;
  j["tier"] = std::string(to_string(s.tier));
  if (!s.metadata.empty()) j["metadata"] = metadata_to_json(s.metadata);
  if (!s.supersedes.empty()) j["supersedes"] = s.supersedes;
  if (s.superseded_by) j["superseded_by"] = *s.superseded_by;
  j["revision"] = s.revision;
  return j;
}

nlohmann::json metadata_to_json(const Metadata& metadata) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& entry : metadata) {  // no structured binding: clang 14 cannot capture one
    const std::string& key = entry.first;
    std::visit([&j, &key](const auto& v) { j[key] = v; }, entry.second);
  }
  return j;
}

void append_segment_json(const Segment& segment, std::string& out) {
  out += segment_to_json(segment).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_working_segment_json(const Segment& segment, const std::string& session_id, std::string& out) {
  nlohmann::json j = segment_to_json(segment);
  j["tier"] = std::string(to_string(Tier::kWorking));
  j["session_id"] = session_id;
  out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

Status bad(std::string_view field, std::string_view what) {
  return Status::corruption("segment field '" + std::string(field) + "': " + std::string(what));
}

Status read_string(const simdjson::dom::element& v, std::string_view field, std::string& out) {
  std::string_view sv;
  if (v.get(sv) != simdjson::SUCCESS) return bad(field, "expected a string");
  out.assign(sv);
  return Status::ok_status();
}

Status read_int(const simdjson::dom::element& v, std::string_view field, int64_t& out) {
  if (v.get(out) != simdjson::SUCCESS) return bad(field, "expected an integer");
  return Status::ok_status();
}

// A flat object of strings, integers, other numbers and booleans (Segment::metadata).
Status read_metadata(const simdjson::dom::element& v, Metadata& out) {
  simdjson::dom::object obj;
  if (v.get(obj) != simdjson::SUCCESS) return bad("metadata", "expected an object");
  for (auto field : obj) {
    const std::string key(field.key);
    const simdjson::dom::element value = field.value;
    switch (value.type()) {
      case simdjson::dom::element_type::STRING: {
        std::string_view sv;
        if (value.get(sv) != simdjson::SUCCESS) return bad("metadata", "bad string");
        out[key] = std::string(sv);
        break;
      }
      case simdjson::dom::element_type::INT64: {
        int64_t i = 0;
        if (value.get(i) != simdjson::SUCCESS) return bad("metadata", "bad integer");
        out[key] = i;
        break;
      }
      case simdjson::dom::element_type::DOUBLE: {
        double d = 0;
        if (value.get(d) != simdjson::SUCCESS) return bad("metadata", "bad number");
        out[key] = d;
        break;
      }
      case simdjson::dom::element_type::BOOL: {
        bool b = false;
        if (value.get(b) != simdjson::SUCCESS) return bad("metadata", "bad boolean");
        out[key] = b;
        break;
      }
      default:
        return bad("metadata", "value of '" + key + "' must be a string, a number or a boolean");
    }
  }
  return Status::ok_status();
}

Status read_field(std::string_view key, const simdjson::dom::element& v, Segment& s) {
  if (key == "segment_id") return read_string(v, key, s.segment_id);
  if (key == "text") return read_string(v, key, s.text);
  if (key == "project_id") return read_string(v, key, s.project_id);
  if (key == "created_at") return read_string(v, key, s.created_at);
  if (key == "last_touched_at") return read_string(v, key, s.last_touched_at);
  if (key == "tokens") return read_int(v, key, s.tokens);
  if (key == "gc_survival_count") return read_int(v, key, s.gc_survival_count);
  if (key == "refcount") return read_int(v, key, s.refcount);
  if (key == "revision") return read_int(v, key, s.revision);
  if (key == "metadata") return read_metadata(v, s.metadata);
  if (key == "superseded_by") {
    if (v.is_null()) return Status::ok_status();
    std::string value;
    if (Status st = read_string(v, key, value); !st.ok()) return st;
    s.superseded_by = std::move(value);
    return Status::ok_status();
  }
  if (key == "supersedes") {
    simdjson::dom::array arr;
    if (v.get(arr) != simdjson::SUCCESS) return bad(key, "expected an array");
    for (simdjson::dom::element id : arr) {
      std::string value;
      if (Status st = read_string(id, key, value); !st.ok()) return st;
      s.supersedes.push_back(std::move(value));
    }
    return Status::ok_status();
  }
  if (key == "task_id" || key == "file_path" || key == "topic_id") {
    if (v.is_null()) return Status::ok_status();
    std::string value;
    if (Status st = read_string(v, key, value); !st.ok()) return st;
    (key == "task_id" ? s.task_id : key == "file_path" ? s.file_path : s.topic_id) = std::move(value);
    return Status::ok_status();
  }
  if (key == "type" || key == "generation" || key == "tier") {
    std::string_view sv;
    if (v.get(sv) != simdjson::SUCCESS) return bad(key, "expected a string");
    if (key == "type") {
      const auto t = parse_segment_type(sv);
      if (!t) return bad(key, "unknown type '" + std::string(sv) + "'");
      s.type = *t;
    } else if (key == "generation") {
      const auto g = parse_generation(sv);
      if (!g) return bad(key, "unknown generation '" + std::string(sv) + "'");
      s.generation = *g;
    } else if (sv == "working" || sv == "stashed") {
      s.tier = sv == "working" ? Tier::kWorking : Tier::kStashed;
    } else {
      return bad(key, "unknown tier '" + std::string(sv) + "'");
    }
    return Status::ok_status();
  }
  if (key == "pinned") {
    if (v.get(s.pinned) != simdjson::SUCCESS) return bad(key, "expected a boolean");
    return Status::ok_status();
  }
  if (key == "tags") {
    simdjson::dom::array arr;
    if (v.get(arr) != simdjson::SUCCESS) return bad(key, "expected an array");
    for (simdjson::dom::element tag : arr) {
      std::string value;
      if (Status st = read_string(tag, key, value); !st.ok()) return st;
      s.tags.push_back(std::move(value));
    }
    return Status::ok_status();
  }
  if (key == "line_range") {
    if (v.is_null()) return Status::ok_status();
    simdjson::dom::array arr;
    if (v.get(arr) != simdjson::SUCCESS || arr.size() != 2) return bad(key, "expected [start, end]");
    LineRange r;
    if (arr.at(0).get(r.start) != simdjson::SUCCESS || arr.at(1).get(r.end) != simdjson::SUCCESS) {
      return bad(key, "expected two integers");
    }
    s.line_range = r;
    return Status::ok_status();
  }
  return Status::ok_status();  // unknown field: skipped
}

}  // namespace

Result<Segment> segment_from_element(const simdjson::dom::element& element) {
  simdjson::dom::object obj;
  if (element.get(obj) != simdjson::SUCCESS) return Status::corruption("segment: expected an object");
  Segment s;
  s.tier = Tier::kStashed;
  for (auto [key, value] : obj) {
    if (Status st = read_field(key, value, s); !st.ok()) return st;
  }
  if (s.segment_id.empty()) return bad("segment_id", "missing");
  if (s.created_at.empty()) return bad("created_at", "missing");
  if (s.last_touched_at.empty()) s.last_touched_at = s.created_at;
  return s;
}

}  // namespace storage
