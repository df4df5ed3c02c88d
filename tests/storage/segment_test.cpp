#include <doctest/doctest.h>

#include "storage/segment.h"

using namespace storage;

namespace {

Segment valid_segment() {
  Segment s;
  s.segment_id = "decision-storage-format";
  s.text = "We store segments as JSON.";
  s.project_id = "ooc";
  s.created_at = "2026-01-02T03:04:05.000Z";
  s.last_touched_at = "2026-01-02T03:04:05.000Z";
  return s;
}

}  // namespace

TEST_CASE("segment: a complete segment with readable ids is valid") {
  CHECK(validate_segment(valid_segment(), SegmentLimits{}).ok());
}

TEST_CASE("segment: each invalid field is rejected with its name in the message") {
  struct Case {
    const char* name;
    void (*mutate)(Segment&);
    const char* expected;
  };
  const Case cases[] = {
      {"bad id", [](Segment& s) { s.segment_id = "has space"; }, "segment_id 'has space'"},
      {"id starting with dash", [](Segment& s) { s.segment_id = "-x"; }, "segment_id"},
      {"bad project", [](Segment& s) { s.project_id = "a/b"; }, "project_id 'a/b'"},
      {"empty text", [](Segment& s) { s.text.clear(); }, "text: must not be empty"},
      {"invalid utf8", [](Segment& s) { s.text = "\xff\xfe"; }, "text: not valid UTF-8"},
      {"line range", [](Segment& s) { s.line_range = LineRange{5, 2}; }, "line_range"},
      {"empty task", [](Segment& s) { s.task_id = ""; }, "task_id: must not be empty"},
      {"duplicate tag", [](Segment& s) { s.tags = {"a", "a"}; }, "tags[1]: duplicate tag"},
      {"long tag", [](Segment& s) { s.tags = {std::string(65, 'x')}; }, "tags[0]"},
      {"bad date", [](Segment& s) { s.created_at = "yesterday"; }, "created_at: 'yesterday'"},
      {"negative tokens", [](Segment& s) { s.tokens = -1; }, "tokens: must be >= 0"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Segment s = valid_segment();
    c.mutate(s);
    const Status st = validate_segment(s, SegmentLimits{}, "segments[2]");
    CHECK_FALSE(st.ok());
    CHECK(st.message().find(c.expected) != std::string::npos);
    CHECK(st.message().find("segments[2]") == 0);
  }
}

TEST_CASE("segment: text over the size limit is LIMIT_EXCEEDED with the limit named") {
  Segment s = valid_segment();
  SegmentLimits limits;
  limits.max_segment_bytes = 10;
  s.text = std::string(11, 'x');
  const Status st = validate_segment(s, limits);
  CHECK(st.code() == Status::Code::kLimitExceeded);
  CHECK(st.message().find("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES") != std::string::npos);
}

TEST_CASE("segment: ids accept the documented character set and length") {
  CHECK(validate_segment_id("adr/016:storage.format_v2-b").ok());
  CHECK(validate_segment_id(std::string(200, 'a')).ok());
  CHECK_FALSE(validate_segment_id(std::string(201, 'a')).ok());
  CHECK_FALSE(validate_segment_id("").ok());
  CHECK(validate_project_id("my-project.v2_x").ok());
  CHECK_FALSE(validate_project_id("*").ok());
  CHECK_FALSE(validate_project_id(std::string(129, 'p')).ok());
}
