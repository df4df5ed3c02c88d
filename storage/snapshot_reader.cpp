#include "storage/snapshot_reader.h"

#include <simdjson.h>
#include <xxhash.h>

#include <cstdio>
#include <memory>
#include <new>

#include "storage/segment_json.h"
#include "storage/snapshot_codec.h"
#include "storage/snapshot_lines.h"
#include "storage/time_format.h"

namespace storage {
namespace {

constexpr std::string_view kChecksumKey = ",\"xxh64\":\"";
constexpr std::string_view kTrailerKey = "\"xxh64\":\"";
constexpr std::string_view kProjectOpen = ":{\"segments\":[";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_resource_error(simdjson::error_code err) {
  return err == simdjson::CAPACITY || err == simdjson::MEMALLOC;
}

// The segment id a damaged line names, for the report ("" when it cannot be seen).
std::string id_in(std::string_view line) {
  constexpr std::string_view key = "\"segment_id\":\"";
  const size_t at = line.find(key);
  if (at == std::string_view::npos) return "";
  const size_t start = at + key.size();
  const size_t end = line.find('"', start);
  if (end == std::string_view::npos || end - start > 200) return "";
  return std::string(line.substr(start, end - start));
}

// The segment object of a segment line: the line without the structure that follows it.
std::string_view segment_object(std::string_view line) {
  for (std::string_view tail : {"]}}}", "]}},", "]},", "],", "]}", ",", ""}) {
    if (ends_with(line, tail) && line.size() > tail.size() && line[line.size() - tail.size() - 1] == '}') {
      return line.substr(0, line.size() - tail.size());
    }
  }
  return line;
}

// One rule for load and verify (both read through here): a timestamp without a zone, as the
// origin 0.x wrote them, is UTC; every timestamp is kept in the canonical form the engine sorts by.
void normalize_times(Segment& s) {
  for (std::string* t : {&s.created_at, &s.last_touched_at}) {
    if (auto canonical = canonical_rfc3339(*t)) {
      *t = std::move(*canonical);
    } else if (auto naive = canonical_rfc3339(*t + "Z")) {
      *t = std::move(*naive);
    }
  }
}

class Reader {
 public:
  Reader(LineSource& source, const SnapshotSink& sink, const SnapshotReadOptions& options)
      : source_(source), sink_(sink), options_(options), parser_(options.parser_max_bytes),
        hash_(XXH64_createState(), &XXH64_freeState) {}

  Result<SnapshotLoad> run();

 private:
  Status header(std::string_view line);
  Status whole_document();
  Status segment_line(std::string_view line, uint64_t offset);
  void project_line(std::string_view line, uint64_t offset);
  void indexes_line(std::string_view line, uint64_t offset);
  void trailer(std::string_view line, uint64_t offset);
  void damaged(uint64_t offset, const std::string& what);
  Status parse_error(simdjson::error_code err, uint64_t offset, std::string_view what);

  LineSource& source_;
  const SnapshotSink& sink_;
  const SnapshotReadOptions& options_;
  simdjson::dom::parser parser_;
  std::unique_ptr<XXH64_state_t, XXH_errorcode (*)(XXH64_state_t*)> hash_;
  SnapshotLoad load_;
  uint64_t line_no_ = 0;
  std::string project_;
  bool working_ = false;
  bool trailer_seen_ = false;
};

void Reader::damaged(uint64_t offset, const std::string& what) {
  load_.damage.push_back("line " + std::to_string(line_no_) + " (byte " + std::to_string(offset) + "): " + what);
}

Status Reader::parse_error(simdjson::error_code err, uint64_t offset, std::string_view what) {
  return Status::io_error("line " + std::to_string(line_no_) + " (byte " + std::to_string(offset) + ", " +
                          std::string(what) + ") cannot be loaded: " + simdjson::error_message(err) +
                          " (a resource limit, not damage)");
}

Result<SnapshotLoad> Reader::run() {
  XXH64_reset(hash_.get(), 0);
  Line line;
  auto first = source_.next(line);
  if (!first.ok()) return first.status();
  if (!*first) {
    load_.damage.push_back("the file is empty");
    return load_;
  }
  line_no_ = 1;
  const bool canonical = ends_with(line.text, "\"projects\":{") || ends_with(line.text, "\"projects\":{},");
  if (canonical) {
    if (Status st = header(line.text); !st.ok()) return st;
    XXH64_update(hash_.get(), line.text.data(), line.text.size());
    if (line.terminated) XXH64_update(hash_.get(), "\n", 1);
  } else {
    if (source_.size() <= options_.whole_document_max_bytes) {
      Status st = whole_document();
      if (st.code() == Status::Code::kIoError) return st;
      if (st.ok()) return load_;
      load_.damage.push_back("not a valid snapshot: " + st.message());
    } else {
      damaged(0, "not the header of a snapshot");
    }
    if (sink_.header) sink_.header(0);
  }
  while (true) {
    auto more = source_.next(line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    ++line_no_;
    const std::string_view text = line.text;
    if (!line.terminated) damaged(line.offset, "no newline at the end (the file is cut short)");
    if (trailer_seen_) {
      damaged(line.offset, "text after the snapshot's last line");
      continue;
    }
    if (text.substr(0, kTrailerKey.size()) == kTrailerKey) {
      trailer(text, line.offset);
      continue;
    }
    XXH64_update(hash_.get(), text.data(), text.size());
    if (line.terminated) XXH64_update(hash_.get(), "\n", 1);
    if (!text.empty() && text[0] == '{') {
      if (Status st = segment_line(text, line.offset); !st.ok()) return st;
    } else if (!text.empty() && text[0] == '"' &&
               (ends_with(text, kProjectOpen) || ends_with(text, std::string(kProjectOpen) + "],"))) {
      project_line(text, line.offset);  // first: a project may be called "indexes" or "working"
    } else if (text.substr(0, 10) == "\"indexes\":") {
      indexes_line(text, line.offset);
    } else if (text == "\"working\":[") {
      working_ = true;
    } else if (!text.empty() && text[0] == '"') {
      project_line(text, line.offset);  // a damaged one: named as such
    } else {
      damaged(line.offset, "not a line of a snapshot");
    }
  }
  if (canonical && load_.checksummed && !trailer_seen_) {
    load_.damage.push_back("the last line (the file's checksum) is missing: the file is cut short");
  }
  return load_;
}

Status Reader::header(std::string_view line) {
  std::string doc(line);
  if (ends_with(doc, ",")) {
    doc.back() = '}';
  } else {
    doc += "}}";
  }
  simdjson::dom::element el;
  if (auto err = parser_.parse(doc).get(el); err) {
    if (is_resource_error(err)) return parse_error(err, 0, "header");
    damaged(0, std::string("damaged header: ") + simdjson::error_message(err));
    if (sink_.header) sink_.header(0);
    return Status::ok_status();
  }
  std::string_view version;
  if (el["version"].get(version) != simdjson::SUCCESS) {
    damaged(0, "no \"version\" in the header");
    if (sink_.header) sink_.header(0);
    return Status::ok_status();
  }
  if (Status st = check_snapshot_version(version); !st.ok()) {
    if (st.code() == Status::Code::kIoError) return st;
    damaged(0, st.message());
    if (sink_.header) sink_.header(0);
    return Status::ok_status();
  }
  load_.checksummed = version.size() >= 3 && version.substr(0, 2) == "1." && version.substr(2) != "0";
  if (auto err = el["journal_seq"].get(load_.journal_seq); err && err != simdjson::NO_SUCH_FIELD) {
    damaged(0, "\"journal_seq\" is not an unsigned integer");
    if (sink_.header) sink_.header(0);
    return Status::ok_status();
  }
  load_.header_ok = true;
  if (sink_.header) sink_.header(load_.journal_seq);
  return Status::ok_status();
}

Status Reader::segment_line(std::string_view line, uint64_t offset) {
  if (sink_.progress) sink_.progress(offset);
  std::string_view object = segment_object(line);
  const auto lost = [&](const std::string& why) {
    ++load_.lost;
    const std::string id = id_in(line);
    damaged(offset, (id.empty() ? std::string("a segment") : "segment '" + id + "'") + " lost: " + why);
    return Status::ok_status();
  };
  if (load_.checksummed) {
    constexpr size_t kSuffix = kChecksumKey.size() + 16 + 2;
    if (object.size() < kSuffix + 2 || object.substr(object.size() - kSuffix, kChecksumKey.size()) != kChecksumKey ||
        !ends_with(object, "\"}")) {
      return lost("no checksum");
    }
    const std::string_view body = object.substr(0, object.size() - kSuffix);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH64(body.data(), body.size(), 0)));
    if (object.substr(object.size() - 18, 16) != std::string_view(hex, 16)) return lost("checksum mismatch");
  }
  simdjson::dom::element el;
  if (auto err = parser_.parse(object.data(), object.size(), true).get(el); err) {
    if (is_resource_error(err)) return parse_error(err, offset, "a segment");
    return lost(std::string("not JSON: ") + simdjson::error_message(err));
  }
  auto segment = segment_from_element(el);
  if (!segment.ok()) return lost(segment.status().message());
  normalize_times(*segment);
  if (!project_.empty()) segment->project_id = project_;
  if (segment->project_id.empty()) return lost("no project");
  std::string_view session;
  const bool has_session = el["session_id"].get(session) == simdjson::SUCCESS && !session.empty();
  if (working_ || (segment->tier == Tier::kWorking && has_session)) {
    if (!has_session) return lost("a working segment without a session_id");
    segment->tier = Tier::kWorking;
    ++load_.segments;
    if (sink_.working) sink_.working(std::string(session), std::move(segment).value());
    return Status::ok_status();
  }
  ++load_.segments;
  return sink_.stashed ? sink_.stashed(std::move(segment).value()) : Status::ok_status();
}

void Reader::project_line(std::string_view line, uint64_t offset) {
  working_ = false;
  project_.clear();
  size_t at = line.rfind(kProjectOpen);
  if (at == std::string_view::npos || (line.substr(at) != kProjectOpen && line.substr(at + kProjectOpen.size()) != "],")) {
    damaged(offset, "a damaged project line");
    return;
  }
  std::string_view id;
  simdjson::dom::element el;
  if (parser_.parse(line.data(), at, true).get(el) != simdjson::SUCCESS || el.get(id) != simdjson::SUCCESS ||
      id.empty()) {
    damaged(offset, "a damaged project name");
    return;
  }
  project_.assign(id);
}

void Reader::indexes_line(std::string_view line, uint64_t offset) {
  for (std::string_view tail : {"}}}", "}},", "},", ",", "}", ""}) {
    if (!ends_with(line, tail)) continue;
    const std::string doc = "{" + std::string(line.substr(0, line.size() - tail.size())) + "}";
    simdjson::dom::element el;
    if (parser_.parse(doc).get(el) != simdjson::SUCCESS) continue;
    std::string_view root;
    if (el["root_path"].get(root) == simdjson::SUCCESS && !project_.empty() && sink_.root_path) {
      sink_.root_path(project_, std::string(root));
    }
    return;
  }
  damaged(offset, "a damaged project line" + (project_.empty() ? std::string() : " of '" + project_ + "'") +
                      " (its root_path is lost)");
}

void Reader::trailer(std::string_view line, uint64_t offset) {
  trailer_seen_ = true;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH64_digest(hash_.get())));
  if (line != std::string(kTrailerKey) + hex + "\"}") {
    damaged(offset, "the file's checksum does not match");
  } else {
    load_.file_checksum = XXH64_digest(hash_.get());
  }
}

// A file that is not in the writer's layout: one document, parsed whole (it is small).
Status Reader::whole_document() {
  auto bytes = source_.all();
  if (!bytes.ok()) return bytes.status();
  simdjson::dom::element doc;
  if (auto err = parser_.parse(*bytes).get(doc); err) {
    if (is_resource_error(err)) return parse_error(err, 0, "the whole file");
    return Status::corruption(std::string("not valid JSON: ") + simdjson::error_message(err));
  }
  std::string_view version;
  if (doc["version"].get(version) != simdjson::SUCCESS) return Status::corruption("no \"version\"");
  if (Status st = check_snapshot_version(version); !st.ok()) return st;
  SnapshotData data;
  if (auto err = doc["journal_seq"].get(data.journal_seq); err && err != simdjson::NO_SUCH_FIELD) {
    return Status::corruption("\"journal_seq\" is not an unsigned integer");
  }
  simdjson::dom::object projects;
  if (doc["projects"].get(projects) != simdjson::SUCCESS) return Status::corruption("no \"projects\" object");
  for (auto [project, body] : projects) {
    const std::string id(project);
    simdjson::dom::array segments;
    if (body["segments"].get(segments) != simdjson::SUCCESS) {
      return Status::corruption("project '" + id + "': no \"segments\" array");
    }
    size_t index = 0;
    for (simdjson::dom::element el : segments) {
      auto segment = segment_from_element(el);
      if (!segment.ok()) {
        return Status::corruption("project '" + id + "' segment " + std::to_string(index) + ": " +
                                  segment.status().message());
      }
      segment->project_id = id;
      normalize_times(*segment);
      data.projects[id].push_back(std::move(segment).value());
      ++index;
    }
    std::string_view root;
    if (auto err = body["root_path"].get(root); !err) {
      data.root_paths[id] = std::string(root);
    } else if (err != simdjson::NO_SUCH_FIELD) {
      return Status::corruption("project '" + id + "': \"root_path\" is not a string");
    }
    simdjson::dom::array working;
    if (auto err = body["working"].get(working); err && err != simdjson::NO_SUCH_FIELD) {
      return Status::corruption("project '" + id + "': \"working\" is not an array");
    } else if (!err) {
      index = 0;
      for (simdjson::dom::element el : working) {
        auto segment = segment_from_element(el);
        std::string_view session;
        if (segment.ok() && (el["session_id"].get(session) != simdjson::SUCCESS || session.empty())) {
          segment = Status::corruption("no session_id");
        }
        if (!segment.ok()) {
          return Status::corruption("project '" + id + "' working segment " + std::to_string(index) + ": " +
                                    segment.status().message());
        }
        segment->project_id = id;
        segment->tier = Tier::kWorking;
        normalize_times(*segment);
        data.working[id].push_back({std::string(session), std::move(segment).value()});
        ++index;
      }
    }
  }
  // Whole: only now does anything reach the sink.
  load_.journal_seq = data.journal_seq;
  load_.header_ok = true;
  if (sink_.header) sink_.header(data.journal_seq);
  for (auto& [project, segments] : data.projects) {
    for (Segment& s : segments) {
      ++load_.segments;
      if (sink_.stashed) {
        if (Status st = sink_.stashed(std::move(s)); !st.ok()) return Status::io_error(st.message());
      }
    }
  }
  for (auto& [project, segments] : data.working) {
    for (SessionSegment& w : segments) {
      ++load_.segments;
      if (sink_.working) sink_.working(std::move(w.session_id), std::move(w.segment));
    }
  }
  for (auto& [project, root] : data.root_paths) {
    if (sink_.root_path) sink_.root_path(project, std::move(root));
  }
  return Status::ok_status();
}

}  // namespace

SnapshotReadOptions& snapshot_read_defaults() {
  static SnapshotReadOptions options;
  return options;
}

Status check_snapshot_version(std::string_view version) {
  size_t digits = 0;
  while (digits < version.size() && version[digits] >= '0' && version[digits] <= '9') ++digits;
  const std::string major(version.substr(0, digits));
  if (major == "1" && (digits == version.size() || version[digits] == '.')) return Status::ok_status();
  if (digits > 0 && (major.size() > 1 || major[0] > '1') && major[0] != '0') {
    return Status::io_error("this store was written by a newer ooc (format " + major +
                            ".x); upgrade ooc (this ooc reads format 1.x)");
  }
  return Status::corruption("unsupported version '" + std::string(version) + "' (this ooc reads 1.x)");
}

Result<SnapshotLoad> read_snapshot(FileSystem& fs, const std::string& path, const SnapshotSink& sink,
                                   const SnapshotReadOptions& options) {
  try {
    auto info = fs.stat(path);
    if (!info.ok()) return info.status();
    if (!info->exists) return Status::not_found("open " + path + ": No such file or directory");
    FileLines lines(fs, path, info->size, options.chunk_bytes);
    Reader reader(lines, sink, options);
    auto load = reader.run();
    if (!load.ok() && load.status().code() == Status::Code::kIoError &&
        load.status().message().find(path) == std::string::npos) {
      return Status::io_error(path + ": " + load.status().message());
    }
    return load;
  } catch (const std::bad_alloc&) {
    return Status::io_error("read " + path + ": out of memory (a resource limit, not damage)");
  }
}

Result<SnapshotLoad> read_snapshot_bytes(std::string_view bytes, const SnapshotSink& sink,
                                         const SnapshotReadOptions& options) {
  try {
    StringLines lines(bytes);
    Reader reader(lines, sink, options);
    return reader.run();
  } catch (const std::bad_alloc&) {
    return Status::io_error("out of memory (a resource limit, not damage)");
  }
}

}  // namespace storage
