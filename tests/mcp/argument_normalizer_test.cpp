#include "mcp/argument_normalizer.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

using mcp::Json;

namespace {

// Shaped like the real tools: context_delete, context_search_stashed's filters, segment drafts.
const Json& schema() {
  static const Json s = Json::parse(R"({"type": "object", "properties": {
    "segment_ids": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "limit": {"type": "integer", "minimum": 1, "maximum": 50},
    "restore": {"type": "boolean"},
    "cursor": {"type": "string"},
    "tier": {"enum": ["working", "stashed", "all"]},
    "anything": {},
    "either": {"type": ["integer", "string"]},
    "code": {"type": "integer", "enum": ["none", 1, 2]},
    "filters": {"type": "object", "properties": {
      "type": {"type": "array", "items": {"enum": ["note", "decision"]}},
      "tags": {"type": "array", "items": {"type": "string"}},
      "free": {"type": "array", "items": {}},
      "untyped": {"type": "array"},
      "line_range": {"type": "array", "items": {"type": "integer"}}}},
    "segments": {"type": "array", "items": {"type": "object", "properties": {
      "tags": {"type": "array", "items": {"type": "string"}},
      "pinned": {"type": "boolean"},
      "tokens": {"type": "integer"}}}}}})");
  return s;
}

mcp::NormalizedArguments run(const char* arguments) {
  return mcp::normalize_arguments(Json::parse(arguments), schema());
}

// Normalization leaves `arguments` exactly as it was and notes nothing.
void unchanged(const char* arguments) {
  INFO(arguments);
  const mcp::NormalizedArguments out = run(arguments);
  CHECK(out.value == Json::parse(arguments));
  CHECK(out.notes.empty());
}

}  // namespace

TEST_CASE("argument_normalizer: a lone string where an array of strings is wanted is wrapped") {
  const mcp::NormalizedArguments out = run(R"({"segment_ids": "a"})");
  CHECK(out.value == Json::parse(R"({"segment_ids": ["a"]})"));
  CHECK(out.notes == std::vector<std::string>{R"(segment_ids "a" → ["a"])"});
}

TEST_CASE("argument_normalizer: nested arrays of strings, enums and any items are wrapped") {
  const mcp::NormalizedArguments out =
      run(R"({"filters": {"type": "decision", "tags": "auth", "free": "x",
                          "untyped": "y"},
              "segments": [{"tags": "t"}, {"tags": ["u"]}]})");
  CHECK(out.value == Json::parse(R"({"filters": {"type": ["decision"], "tags": ["auth"],
                                                  "free": ["x"], "untyped": ["y"]},
                                     "segments": [{"tags": ["t"]}, {"tags": ["u"]}]})"));
  CHECK(out.notes == std::vector<std::string>{R"(filters.free "x" → ["x"])",
                                              R"(filters.tags "auth" → ["auth"])",
                                              R"(filters.type "decision" → ["decision"])",
                                              R"(filters.untyped "y" → ["y"])",
                                              R"(segments[0].tags "t" → ["t"])"});
}

TEST_CASE("argument_normalizer: a stringified JSON array is parsed before any wrapping") {
  const mcp::NormalizedArguments out = run(R"({"segment_ids": "[\"a\",\"b\"]"})");
  CHECK(out.value == Json::parse(R"({"segment_ids": ["a", "b"]})"));
  CHECK(out.notes == std::vector<std::string>{R"(segment_ids "[\"a\",\"b\"]" → ["a","b"])"});
  // A string that parses to a scalar is not an array: it is wrapped as it was written.
  CHECK(run(R"({"segment_ids": "5"})").value == Json::parse(R"({"segment_ids": ["5"]})"));
}

TEST_CASE("argument_normalizer: a stringified array of objects is parsed and normalized inside") {
  const mcp::NormalizedArguments out =
      run(R"({"segments": "[{\"tags\":\"x\",\"pinned\":\"true\",\"tokens\":\"7\"}]"})");
  CHECK(out.value ==
        Json::parse(R"({"segments": [{"tags": ["x"], "pinned": true, "tokens": 7}]})"));
  REQUIRE(out.notes.size() == 4);
  CHECK(out.notes[0].rfind("segments \"[{", 0) == 0);
  CHECK(out.notes[1] == "segments[0].pinned \"true\" → true");
  CHECK(out.notes[2] == R"(segments[0].tags "x" → ["x"])");
  CHECK(out.notes[3] == "segments[0].tokens \"7\" → 7");
}

TEST_CASE("argument_normalizer: a numeric string where an integer is wanted becomes the integer") {
  const mcp::NormalizedArguments out = run(R"({"limit": "5"})");
  CHECK(out.value == Json::parse(R"({"limit": 5})"));
  CHECK(out.value.at("limit").is_number_integer());
  CHECK(out.notes == std::vector<std::string>{"limit \"5\" → 5"});
  CHECK(run(R"({"limit": "-12"})").value.at("limit") == -12);
  // Bounds are the validator's job: out of range still becomes the integer it says.
  CHECK(run(R"({"limit": "5000"})").value.at("limit") == 5000);
  CHECK(run(R"({"limit": "9223372036854775807"})").value.at("limit") == INT64_MAX);
  CHECK(run(R"({"filters": {"line_range": ["3", "9"]}})").value ==
        Json::parse(R"({"filters": {"line_range": [3, 9]}})"));
}

TEST_CASE("argument_normalizer: anything but a plain decimal integer stays a string") {
  for (const char* text : {"5x", "five", "", " 5", "5 ", "+5", "-", "1.0", "1e3", "0x10",
                           "9223372036854775808", "-9223372036854775809"}) {
    const Json args = {{"limit", text}};
    INFO(text);
    CHECK(mcp::normalize_arguments(args, schema()).value == args);
  }
}

TEST_CASE("argument_normalizer: exactly true or false in lower case becomes the boolean") {
  CHECK(run(R"({"restore": "true"})").value == Json::parse(R"({"restore": true})"));
  CHECK(run(R"({"restore": "false"})").value == Json::parse(R"({"restore": false})"));
  CHECK(run(R"({"restore": "false"})").notes ==
        std::vector<std::string>{"restore \"false\" → false"});
  CHECK(run(R"({"segments": [{"pinned": "true"}]})").value ==
        Json::parse(R"({"segments": [{"pinned": true}]})"));
  for (const char* text : {"yes", "True", "TRUE", "1", "0", "", " true", "no"}) {
    const Json args = {{"restore", text}};
    INFO(text);
    CHECK(mcp::normalize_arguments(args, schema()).value == args);
  }
}

TEST_CASE("argument_normalizer: a schema that takes strings never has its string changed") {
  unchanged(R"({"cursor": "5"})");
  unchanged(R"({"cursor": "[1]"})");
  unchanged(R"({"tier": "working"})");
  unchanged(R"({"anything": "5"})");
  unchanged(R"({"either": "5"})");
  unchanged(R"({"code": "none"})");
}

TEST_CASE("argument_normalizer: wrong types other than strings are left for the validator") {
  unchanged(R"({"segment_ids": 5})");
  unchanged(R"({"segment_ids": {"a": 1}})");
  unchanged(R"({"cursor": 5})");
  unchanged(R"({"limit": 5.5})");
  unchanged(R"({"restore": 1})");
  unchanged(R"({"filters": "oops"})");
}

TEST_CASE("argument_normalizer: a string is wrapped only when the items would take it") {
  unchanged(R"({"filters": {"type": "memo"}})");
  unchanged(R"({"filters": {"line_range": "5"}})");
}

TEST_CASE("argument_normalizer: unknown properties and non-object schemas are ignored") {
  unchanged(R"({"nope": "5", "segments": [{"nope": "true"}]})");
  const Json args = Json::parse(R"({"limit": "5"})");
  CHECK(mcp::normalize_arguments(args, Json(true)).value == args);
}

TEST_CASE("argument_normalizer: long values are cut in the note at a character boundary") {
  const std::string id = std::string(38, 'a') + "éé";
  const mcp::NormalizedArguments out =
      mcp::normalize_arguments(Json{{"segment_ids", id}}, schema());
  REQUIRE(out.notes.size() == 1);
  // Bytes 39 and 40 of the quoted id are the first é: the cut at 40 would split it.
  CHECK(out.notes[0] == "segment_ids \"" + std::string(38, 'a') + "… → [\"" +
                            std::string(38, 'a') + "…");
}

TEST_CASE("argument_normalizer: the summary sentence names three notes and counts the rest") {
  CHECK(mcp::normalization_sentence({}).empty());
  CHECK(mcp::normalization_sentence({"limit \"5\" → 5"}) == "Normalized: limit \"5\" → 5.");
  CHECK(mcp::normalization_sentence({"a", "b", "c"}) == "Normalized: a; b; c.");
  CHECK(mcp::normalization_sentence({"a", "b", "c", "d", "e"}) ==
        "Normalized: a; b; c; and 2 more.");
}
