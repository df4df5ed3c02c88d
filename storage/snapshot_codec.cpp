#include "storage/snapshot_codec.h"

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "storage/segment_json.h"

namespace storage {
namespace {

std::string json_quoted(std::string_view s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The persisted courtesy indexes: key -> ids. Readers of the file may use them; we never trust them.
void append_indexes(const SegmentMap& segments, std::string& out) {
  std::map<std::string, std::vector<std::string>> by_task, by_file, by_tag;
  for (const auto& [id, s] : segments) {
    if (s.task_id) by_task[*s.task_id].push_back(id);
    if (s.file_path) by_file[*s.file_path].push_back(id);
    for (const auto& tag : s.tags) by_tag[tag].push_back(id);
  }
  const auto dump = [&](std::string_view name, const std::map<std::string, std::vector<std::string>>& index) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, ids] : index) j[key] = ids;
    out += json_quoted(name);
    out += ':';
    out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  out += "\"indexes\":{";
  dump("by_task", by_task);
  out += ',';
  dump("by_file", by_file);
  out += ',';
  dump("by_tag", by_tag);
  out += '}';
}

}  // namespace

std::string encode_snapshot(uint64_t journal_seq, const std::map<std::string, const SegmentMap*>& projects) {
  std::string out = "{\"version\":\"1.0\",\"journal_seq\":" + std::to_string(journal_seq) + ",\"projects\":{";
  bool first_project = true;
  for (const auto& [project, segments] : projects) {
    if (!first_project) out += ',';
    first_project = false;
    out += '\n';
    out += json_quoted(project);
    out += ":{\"segments\":[";
    bool first = true;
    for (const auto& [id, segment] : *segments) {
      out += first ? "\n" : ",\n";
      first = false;
      Segment stashed_copy_view = segment;  // tier is always "stashed" on disk
      stashed_copy_view.tier = Tier::kStashed;
      append_segment_json(stashed_copy_view, out);
    }
    out += "],\n";
    append_indexes(*segments, out);
    out += '}';
  }
  out += "}}\n";
  return out;
}

Result<SnapshotData> decode_snapshot(const std::string& bytes) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(bytes.data(), bytes.size(),
                                       bytes.capacity() - bytes.size() < simdjson::SIMDJSON_PADDING).get(doc); err) {
    return Status::corruption(std::string("not valid JSON: ") + simdjson::error_message(err));
  }
  SnapshotData data;
  std::string_view version;
  if (doc["version"].get(version) != simdjson::SUCCESS) return Status::corruption("no \"version\"");
  if (version.empty() || version[0] != '1') {
    return Status::corruption("unsupported version '" + std::string(version) + "' (this ooc reads 1.x)");
  }
  if (auto err = doc["journal_seq"].get(data.journal_seq); err && err != simdjson::NO_SUCH_FIELD) {
    return Status::corruption("\"journal_seq\" is not an unsigned integer");
  }
  simdjson::dom::object projects;
  if (doc["projects"].get(projects) != simdjson::SUCCESS) return Status::corruption("no \"projects\" object");
  for (auto [project, body] : projects) {
    simdjson::dom::array segments;
    if (body["segments"].get(segments) != simdjson::SUCCESS) {
      return Status::corruption("project '" + std::string(project) + "': no \"segments\" array");
    }
    auto& out = data.projects[std::string(project)];
    out.reserve(segments.size());
    size_t index = 0;
    for (simdjson::dom::element el : segments) {
      auto segment = segment_from_element(el);
      if (!segment.ok()) {
        return Status::corruption("project '" + std::string(project) + "' segment " + std::to_string(index) + ": " +
                                  segment.status().message());
      }
      if (segment->project_id.empty()) segment->project_id = std::string(project);
      out.push_back(std::move(segment).value());
      ++index;
    }
  }
  return data;
}

}  // namespace storage
