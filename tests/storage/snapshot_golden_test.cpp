// The snapshot format is a contract with users' files: compare against a checked-in golden file.
// To update it deliberately: OOC_UPDATE_GOLDEN=1 ./ooc_tests -tc='snapshot*'
#include <doctest/doctest.h>

#include <cstdlib>

#include "storage/snapshot_codec.h"
#include "tests/support/temp_dir.h"

using namespace storage;

namespace {

SegmentMap golden_segments() {
  SegmentMap map;
  Segment full;
  full.segment_id = "decision-storage-format";
  full.text = "# ADR-016\nWe keep a JSON snapshot plus a journal.\n\"quoted\" and unicode: café";
  full.type = SegmentType::kDecision;
  full.project_id = "ooc";
  full.task_id = "task-7";
  full.file_path = "storage/FORMAT.md";
  full.topic_id = "storage";
  full.line_range = LineRange{3, 9};
  full.tags = {"adr", "storage"};
  full.created_at = "2026-01-02T03:04:05.000Z";
  full.last_touched_at = "2026-01-03T00:00:00.000Z";
  full.pinned = true;
  full.generation = Generation::kOld;
  full.gc_survival_count = 2;
  full.refcount = 1;
  full.tokens = 21;
  full.tier = Tier::kStashed;
  full.metadata = {{"owner", std::string("ana")}, {"pr", int64_t{412}}, {"ratio", 0.25}, {"merged", true}, {"whole", 5.0}};
  full.supersedes = {"decision-json-only"};
  full.superseded_by = "decision-storage-format-v2";
  full.revision = 3;
  map[full.segment_id] = full;
  Segment minimal;
  minimal.segment_id = "a-note";
  minimal.text = "minimal";
  minimal.project_id = "ooc";
  minimal.created_at = "2026-01-01T00:00:00.000Z";
  minimal.last_touched_at = "2026-01-01T00:00:00.000Z";
  minimal.tokens = 1;
  minimal.tier = Tier::kStashed;
  map[minimal.segment_id] = minimal;
  return map;
}

}  // namespace

TEST_CASE("snapshot: the encoding matches the golden file byte for byte") {
  const SegmentMap segments = golden_segments();
  const std::string bytes = encode_snapshot(42, {{"ooc", &segments}});
  const std::string golden_path = std::string(OOC_TESTS_DIR) + "/storage/golden/snapshot.json";
  if (std::getenv("OOC_UPDATE_GOLDEN") != nullptr) testing::write_text(golden_path, bytes);
  CHECK(bytes == testing::read_text(golden_path));
}

TEST_CASE("snapshot: decoding the golden file gives back the same segments") {
  const std::string golden_path = std::string(OOC_TESTS_DIR) + "/storage/golden/snapshot.json";
  const std::string bytes = testing::read_text(golden_path);
  auto decoded = decode_snapshot(bytes);
  REQUIRE(decoded.ok());
  CHECK(decoded->journal_seq == 42);
  const SegmentMap expected = golden_segments();
  REQUIRE(decoded->projects.at("ooc").size() == 2);
  for (const Segment& s : decoded->projects.at("ooc")) CHECK(s == expected.at(s.segment_id));
}

TEST_CASE("snapshot: unknown fields are skipped and wrong types are named") {
  auto ok = decode_snapshot(
      R"({"version":"1.0","journal_seq":1,"future":true,"projects":{"p":{"segments":[{"segment_id":"a","text":"t","created_at":"2026-01-01T00:00:00.000Z","new_field":[1,2]}]}}})");
  REQUIRE(ok.ok());
  CHECK(ok->projects.at("p").at(0).segment_id == "a");
  CHECK(ok->projects.at("p").at(0).project_id == "p");
  auto bad = decode_snapshot(
      R"({"version":"1.0","projects":{"p":{"segments":[{"segment_id":"a","text":5,"created_at":"x"}]}}})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("'text'") != std::string::npos);
  auto future = decode_snapshot(R"({"version":"2.0","projects":{}})");
  REQUIRE_FALSE(future.ok());
  CHECK(future.status().code() == Status::Code::kIoError);  // refused, not damage
  CHECK(future.status().message().find("newer ooc (format 2.x)") != std::string::npos);
  auto odd = decode_snapshot(R"({"version":"x1","projects":{}})");
  REQUIRE_FALSE(odd.ok());
  CHECK(odd.status().message().find("unsupported version 'x1'") != std::string::npos);
}

TEST_CASE("snapshot: every segment line and the whole file carry an XXH64 checksum (format 1.1)") {
  const SegmentMap segments = golden_segments();
  const std::string bytes = encode_snapshot(42, {{"ooc", &segments}});
  CHECK(bytes.rfind("{\"version\":\"1.1\",", 0) == 0);
  size_t segment_lines = 0;
  size_t pos = 0;
  while ((pos = bytes.find("\n{\"created_at\"", pos)) != std::string::npos) {
    const size_t end = bytes.find('\n', pos + 1);
    CHECK(bytes.substr(pos, end - pos).find(",\"xxh64\":\"") != std::string::npos);
    ++segment_lines;
    ++pos;
  }
  CHECK(segment_lines == 2);
  const size_t last = bytes.rfind("\n\"xxh64\":\"", bytes.size() - 2);
  REQUIRE(last != std::string::npos);
  CHECK(bytes.size() - last == 1 + 9 + 16 + 3);  // "\n" + "xxh64":" + hex + "}\n
  std::string changed = bytes;
  changed[changed.find("minimal")] = 'M';
  auto damaged = decode_snapshot(changed);
  REQUIRE_FALSE(damaged.ok());
  CHECK(damaged.status().message().find("segment 'a-note' lost: checksum mismatch") != std::string::npos);
}

TEST_CASE("snapshot: projects named like the format's own keys round-trip line by line") {
  const SegmentMap segments = golden_segments();
  const SegmentMap none;
  const std::string bytes =
      encode_snapshot(7, {{"indexes", &segments}, {"working", &segments}, {"xxh64", &segments}, {"empty", &none}});
  auto decoded = decode_snapshot(bytes);
  REQUIRE(decoded.ok());
  CHECK(decoded->journal_seq == 7);
  CHECK(decoded->projects.at("indexes").size() == 2);
  CHECK(decoded->projects.at("working").size() == 2);
  CHECK(decoded->projects.at("xxh64").size() == 2);
  CHECK(decoded->projects.at("working").at(0).project_id == "working");
  auto empty = decode_snapshot(encode_snapshot(0, std::map<std::string, const SegmentMap*>{}));
  REQUIRE(empty.ok());
  CHECK(empty->projects.empty());
}
