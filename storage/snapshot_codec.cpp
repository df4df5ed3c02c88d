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

// The sessions' keys of one project: "root_path" and "working" (both optional).
Status decode_sessions(const std::string& project, simdjson::dom::element body, SnapshotData& data) {
  std::string_view root;
  if (auto err = body["root_path"].get(root); !err) {
    data.root_paths[project] = std::string(root);
  } else if (err != simdjson::NO_SUCH_FIELD) {
    return Status::corruption("project '" + project + "': \"root_path\" is not a string");
  }
  simdjson::dom::array working;
  if (auto err = body["working"].get(working); err) {
    if (err == simdjson::NO_SUCH_FIELD) return Status::ok_status();
    return Status::corruption("project '" + project + "': \"working\" is not an array");
  }
  size_t index = 0;
  for (simdjson::dom::element el : working) {
    auto segment = segment_from_element(el);
    std::string_view session;
    if (segment.ok() && (el["session_id"].get(session) != simdjson::SUCCESS || session.empty())) {
      segment = Status::corruption("no session_id");
    }
    if (!segment.ok()) {
      return Status::corruption("project '" + project + "' working segment " + std::to_string(index) + ": " +
                                segment.status().message());
    }
    if (segment->project_id.empty()) segment->project_id = project;
    segment->tier = Tier::kWorking;
    data.working[project].push_back({std::string(session), std::move(segment).value()});
    ++index;
  }
  return Status::ok_status();
}

}  // namespace

std::string encode_snapshot(uint64_t journal_seq, const std::map<std::string, const SegmentMap*>& projects) {
  std::map<std::string, SnapshotProjectView> view;
  for (const auto& [id, segments] : projects) view[id].stashed = segments;
  return encode_snapshot(journal_seq, view);
}

std::string encode_snapshot(uint64_t journal_seq, const std::map<std::string, SnapshotProjectView>& projects) {
  static const SegmentMap kNone;
  std::string out = "{\"version\":\"1.0\",\"journal_seq\":" + std::to_string(journal_seq) + ",\"projects\":{";
  bool first_project = true;
  for (const auto& [project, view] : projects) {
    const SegmentMap* segments = view.stashed != nullptr ? view.stashed : &kNone;
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
    if (!view.root_path.empty()) out += ",\"root_path\":" + json_quoted(view.root_path);
    if (!view.working.empty()) {
      out += ",\n\"working\":[";
      for (size_t i = 0; i < view.working.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        append_working_segment_json(*view.working[i].segment, view.working[i].session_id, out);
      }
      out += ']';
    }
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
    if (Status st = decode_sessions(std::string(project), body, data); !st.ok()) return st;
  }
  return data;
}

}  // namespace storage
