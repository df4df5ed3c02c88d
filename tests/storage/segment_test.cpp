#include <doctest/doctest.h>

#include "storage/segment.h"
#include "storage/time_format.h"
#include "storage/token_estimate.h"

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

TEST_CASE("time: RFC 3339 timestamps parse with offsets and format canonically") {
  CHECK(format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(canonical_rfc3339("2026-01-02T03:04:05Z") == std::optional<std::string>("2026-01-02T03:04:05.000Z"));
  CHECK(canonical_rfc3339("2026-01-02T05:04:05.5+02:00") == std::optional<std::string>("2026-01-02T03:04:05.500Z"));
  CHECK(canonical_rfc3339("2026-01-02") == std::optional<std::string>("2026-01-02T00:00:00.000Z"));
  CHECK(canonical_rfc3339("2024-02-29T00:00:00Z").has_value());
  CHECK_FALSE(canonical_rfc3339("2025-02-29T00:00:00Z").has_value());
  CHECK_FALSE(canonical_rfc3339("2026-13-01T00:00:00Z").has_value());
  CHECK_FALSE(canonical_rfc3339("2026-01-02T03:04:05").has_value());  // no zone
  CHECK_FALSE(canonical_rfc3339("not a date").has_value());
  const int64_t ms = *parse_rfc3339_ms("2026-11-28T19:02:20.123Z");
  CHECK(format_rfc3339_ms(ms) == "2026-11-28T19:02:20.123Z");
}

TEST_CASE("tokens: estimates are close to BPE counts for prose and code") {
  CHECK(estimate_tokens("") == 0);
  CHECK(estimate_tokens("a") == 1);
  // "The quick brown fox jumps over the lazy dog." is 10 tokens in cl100k.
  CHECK(estimate_tokens("The quick brown fox jumps over the lazy dog.") == 10);
  // Code: punctuation counts; `int main() { return 0; }` is 9 tokens in cl100k.
  const int64_t code = estimate_tokens("int main() { return 0; }");
  CHECK(code >= 8);
  CHECK(code <= 11);
  // Long text scales roughly linearly.
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "The storage engine appends one journal line per batch. ";
  const int64_t n = estimate_tokens(long_text);
  CHECK(n >= 900);
  CHECK(n <= 1200);
}
