#include "storage/snapshot_codec.h"

#include <xxhash.h>

#include <cstdio>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "storage/segment_json.h"
#include "storage/snapshot_reader.h"

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

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return std::string(buf, 16);
}

// Turns the segment object at out[start..] into its checksummed form: ..."type":"x","xxh64":"<hex>"}
void checksum_object(std::string& out, size_t start) {
  out.pop_back();  // the object's closing '}'
  const uint64_t sum = XXH64(out.data() + start, out.size() - start, 0);
  out += ",\"xxh64\":\"";
  out += hex64(sum);
  out += "\"}";
}

}  // namespace

std::string encode_snapshot(uint64_t journal_seq, const std::map<std::string, const SegmentMap*>& projects) {
  std::map<std::string, SnapshotProjectView> view;
  for (const auto& [id, segments] : projects) view[id].stashed = segments;
  return encode_snapshot(journal_seq, view);
}

Result<EncodedSnapshot> encode_snapshot_to(uint64_t journal_seq, const std::map<std::string, SnapshotProjectView>& projects,
                                           const std::function<Status(std::string_view)>& write) {
  static const SegmentMap kNone;
  constexpr size_t kPieceBytes = 1u << 20;
  std::unique_ptr<XXH64_state_t, XXH_errorcode (*)(XXH64_state_t*)> hash(XXH64_createState(), &XXH64_freeState);
  if (!hash) return Status::io_error("out of memory");
  XXH64_reset(hash.get(), 0);
  EncodedSnapshot encoded;
  std::string out;
  // Hands what is buffered to `write` (hashed first: the trailer's checksum covers it).
  auto flush = [&]() -> Status {
    XXH64_update(hash.get(), out.data(), out.size());
    encoded.bytes += out.size();
    Status st = write(out);
    out.clear();
    return st;
  };
  out = "{\"version\":\"" + std::string(kSnapshotVersion) + "\",\"journal_seq\":" + std::to_string(journal_seq) + ",\"projects\":{";
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
      const size_t start = out.size();
      append_segment_json(stashed_copy_view, out);
      checksum_object(out, start);
      if (out.size() >= kPieceBytes) {
        if (Status st = flush(); !st.ok()) return st;
      }
    }
    out += "],\n";
    append_indexes(*segments, out);
    if (!view.root_path.empty()) out += ",\"root_path\":" + json_quoted(view.root_path);
    if (!view.working.empty()) {
      out += ",\n\"working\":[";
      for (size_t i = 0; i < view.working.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        const size_t start = out.size();
        append_working_segment_json(*view.working[i].segment, view.working[i].session_id, out);
        checksum_object(out, start);
      }
      out += ']';
    }
    out += '}';
  }
  out += "},\n";  // the file's checksum covers every byte before its own line
  if (Status st = flush(); !st.ok()) return st;
  encoded.checksum = XXH64_digest(hash.get());
  out = "\"xxh64\":\"" + hex64(encoded.checksum) + "\"}\n";
  encoded.bytes += out.size();
  if (Status st = write(out); !st.ok()) return st;
  return encoded;
}

std::string encode_snapshot(uint64_t journal_seq, const std::map<std::string, SnapshotProjectView>& projects) {
  std::string bytes;
  (void)encode_snapshot_to(journal_seq, projects, [&bytes](std::string_view piece) {
    bytes.append(piece);
    return Status::ok_status();
  });
  return bytes;
}

Result<SnapshotData> decode_snapshot(std::string_view bytes) {
  SnapshotData data;
  SnapshotSink sink;
  sink.header = [&](uint64_t seq) { data.journal_seq = seq; };
  sink.stashed = [&](Segment s) {
    const std::string project = s.project_id;
    data.projects[project].push_back(std::move(s));
    return Status::ok_status();
  };
  sink.working = [&](std::string session, Segment s) {
    const std::string project = s.project_id;
    data.working[project].push_back({std::move(session), std::move(s)});
  };
  sink.root_path = [&](std::string project, std::string root) { data.root_paths[project] = std::move(root); };
  auto load = read_snapshot_bytes(bytes, sink);
  if (!load.ok()) return load.status();
  if (!load->damage.empty()) {
    std::string what;
    for (const auto& d : load->damage) what += (what.empty() ? "" : "; ") + d;
    return Status::corruption(what);
  }
  return data;
}

}  // namespace storage
