// libFuzzer target: storage::read_snapshot_bytes (storage/snapshot_reader.h) over arbitrary bytes,
// with a sink that keeps every segment.
//
// Asserts, beyond no crash / no sanitizer report / no hang, what the reader's contract promises:
// the header reaches the sink at most once and before any segment, every stashed segment has its
// project_id, SnapshotLoad::segments counts what reached the sink; and a round trip: the stashed
// segments of a successful read, written again by encode_snapshot (snapshot_codec.h), read back
// as the same segments with no damage.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/snapshot_codec.h"
#include "storage/snapshot_reader.h"

namespace {

struct Collected {
  int headers = 0;
  bool segment_before_header = false;
  uint64_t segments = 0;
  std::map<std::string, storage::SegmentMap> stashed;  // project -> id -> segment (last wins)
};

storage::SnapshotSink sink_into(Collected& c) {
  storage::SnapshotSink sink;
  sink.header = [&c](uint64_t) { ++c.headers; };
  sink.stashed = [&c](storage::Segment s) {
    if (c.headers == 0) c.segment_before_header = true;
    if (s.project_id.empty()) std::abort();
    ++c.segments;
    s.tier = storage::Tier::kStashed;  // as Catalog::put_stashed does: a line's "tier" is not trusted
    std::string project = s.project_id;
    std::string id = s.segment_id;
    c.stashed[project].insert_or_assign(std::move(id), std::move(s));
    return storage::Status::ok_status();
  };
  sink.working = [&c](std::string, storage::Segment) {
    if (c.headers == 0) c.segment_before_header = true;
    ++c.segments;
  };
  sink.root_path = [](std::string, std::string) {};
  sink.progress = [](uint64_t) {};
  return sink;
}

void check_round_trip(const Collected& first) {
  std::map<std::string, const storage::SegmentMap*> projects;
  for (const auto& [project, segments] : first.stashed) projects[project] = &segments;
  const std::string bytes = storage::encode_snapshot(7, projects);
  Collected second;
  auto load = storage::read_snapshot_bytes(bytes, sink_into(second));
  if (!load.ok() || !load->damage.empty() || load->lost != 0) std::abort();
  if (second.stashed != first.stashed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Collected c;
  auto load = storage::read_snapshot_bytes(bytes, sink_into(c));
  if (c.headers > 1 || c.segment_before_header) std::abort();
  if (!load.ok()) return 0;
  if (load->segments != c.segments) std::abort();
  check_round_trip(c);
  return 0;
}
