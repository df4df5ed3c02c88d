#include <doctest/doctest.h>

#include "tests/tools/tool_test_support.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

TEST_CASE("context_store: stores segments in the working set with generated ids and their tokens") {
  ToolHarness h;
  Json out = h.ok("context_store", R"({"segments":[
      {"segment_id":"decision-db","text":"We use a JSON snapshot plus a journal.","type":"decision","tags":["storage"]},
      {"text":"fn main() {}","type":"code","file_path":"src/main.rs","line_range":[1,3]}]})");
  REQUIRE(out.at("stored").size() == 2);
  CHECK(out.at("stored")[0].at("segment_id") == "decision-db");
  CHECK_FALSE(out.at("stored")[0].contains("replaced"));
  CHECK(starts_with(out.at("stored")[1].at("segment_id").get<std::string>(), "seg-"));
  const int64_t total = out.at("stored")[0].at("tokens").get<int64_t>() + out.at("stored")[1].at("tokens").get<int64_t>();
  CHECK(out.at("active_tokens").get<int64_t>() == total);
  CHECK(out.at("project_id") == "proj");

  auto working = h.store().load_segments("proj");
  REQUIRE(working.ok());
  CHECK(working->size() == 2);
}

TEST_CASE("context_store: the same segment_id replaces and the summary counts replacements") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"a","text":"one","tokens":5}]})");
  Json out = h.ok("context_store", R"({"project_id":"proj","segments":[{"segment_id":"a","text":"two","tokens":7}]})");
  CHECK(out.at("stored")[0].at("replaced") == true);
  CHECK(out.at("active_tokens") == 7);
  CHECK(out.at("summary") == "Stored 1 segment (7 tokens, 1 replaced) in project 'proj'; working set now 7 tokens. "
                             "Stash with context_stash when your context grows.");
}

TEST_CASE("context_store: schema violations are INVALID_ARGUMENT naming the field") {
  ToolHarness h;
  CHECK(starts_with(h.error("context_store", R"({})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_store", R"({"segments":[]})"), "INVALID_ARGUMENT: "));
  CHECK(contains(h.error("context_store", R"({"segments":[{"segment_id":"x"}]})"), "INVALID_ARGUMENT"));
  CHECK(contains(h.error("context_store", R"({"segments":[{"text":"x","type":"poem"}]})"), "type"));
  CHECK(contains(h.error("context_store", R"({"segments":[{"text":"x","colour":"red"}]})"), "INVALID_ARGUMENT"));
  CHECK(contains(h.error("context_store", R"({"segments":[{"text":"x","line_range":[0,2]}]})"), "INVALID_ARGUMENT"));
  CHECK(contains(h.error("context_store", R"({"project_id":"*","segments":[{"text":"x"}]})"), "project_id"));
  CHECK(contains(h.error("context_store", R"({"project_id":"has space","segments":[{"text":"x"}]})"), "project_id"));
}

TEST_CASE("context_store: at most 100 segments per call") {
  ToolHarness h;
  Json args = {{"segments", Json::array()}};
  for (int i = 0; i < 101; ++i) args["segments"].push_back({{"text", "t" + std::to_string(i)}});
  CHECK(starts_with(h.error("context_store", args), "INVALID_ARGUMENT: "));
  args["segments"].erase(args["segments"].size() - 1);
  CHECK(h.ok("context_store", args).at("stored").size() == 100);
}

TEST_CASE("context_store: domain errors the schema cannot see") {
  ToolHarness h;
  CHECK(h.error("context_store", R"({"segments":[{"text":"x","line_range":[5,3]}]})") ==
        "INVALID_ARGUMENT: segments[0].line_range: start 5 is after end 3");
  CHECK(starts_with(h.error("context_store", R"({"segments":[{"segment_id":"bad id","text":"x"}]})"),
                    "INVALID_ARGUMENT: "));
  CHECK(contains(h.error("context_store", R"({"segments":[{"segment_id":"d","text":"x"},{"segment_id":"d","text":"y"}]})"),
                 "more than once"));
  // Nothing of a failed batch is stored.
  auto working = h.store().load_segments("proj");
  REQUIRE(working.ok());
  CHECK(working->empty());
}

TEST_CASE("context_store: text over the segment size limit is LIMIT_EXCEEDED with a next step") {
  ToolHarness h({.max_segment_bytes = 16});
  std::string error = h.error("context_store", R"({"segments":[{"text":"12345678901234567"}]})");
  CHECK(starts_with(error, "LIMIT_EXCEEDED: segments[0].text"));
  CHECK(contains(error, "split the call into smaller batches or shorter texts"));
  CHECK(h.ok("context_store", R"({"segments":[{"text":"1234567890123456"}]})").at("stored").size() == 1);
}

TEST_CASE("context_store: text over the configured 1 MiB limit is LIMIT_EXCEEDED naming the setting") {
  ToolHarness h;
  Json args = {{"segments", Json::array({{{"text", std::string((1u << 20) + 1, 'a')}}})}};
  const std::string error = h.error("context_store", args);
  CHECK(starts_with(error, "LIMIT_EXCEEDED: segments[0].text"));
  CHECK(error.find("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES") != std::string::npos);
}

TEST_CASE("context_store: text over the 4 MiB ceiling is rejected by the schema") {
  ToolHarness h;
  Json args = {{"segments", Json::array({{{"text", std::string((4u << 20) + 1, 'a')}}})}};
  CHECK(starts_with(h.error("context_store", args), "INVALID_ARGUMENT: segments[0].text"));
}

TEST_CASE("context_store: tolerates a segments array sent as a JSON string") {
  ToolHarness h;
  Json out = h.ok("context_store", Json{{"segments", R"([{"text":"stringified"}])"}});
  CHECK(out.at("stored").size() == 1);
}

TEST_CASE("context_store: a lone tag string and pinned as the string true are stored as a list and a boolean") {
  ToolHarness h;
  Json out = h.ok("context_store", R"({"segments":[{"segment_id":"x","text":"x","tags":"auth","pinned":"true"}]})");
  CHECK(contains(out.at("summary").get<std::string>(),
                 R"(Normalized: segments[0].pinned "true" → true; segments[0].tags "auth" → ["auth"].)"));
  auto working = h.store().load_segments("proj");
  REQUIRE(working.ok());
  REQUIRE(working->size() == 1);
  CHECK((*working)[0].tags == std::vector<std::string>{"auth"});
  CHECK((*working)[0].pinned);
  CHECK(starts_with(h.error("context_store", R"({"segments":[{"text":"x","pinned":"yes"}]})"),
                    "INVALID_ARGUMENT: segments[0].pinned: must be a boolean, got string"));
}

TEST_CASE("context_store: metadata is kept as sent and shown, and the reply gives each revision") {
  ToolHarness h;
  Json out = h.ok("context_store", R"({"segments":[{"segment_id":"m","text":"t",
      "metadata":{"owner":"ana","n":5,"ratio":0.5,"done":false}}]})");
  CHECK(out.at("stored")[0].at("revision") == 1);
  CHECK(h.ok("context_store", R"({"segments":[{"segment_id":"m","text":"t2","metadata":{"n":6}}]})")
            .at("stored")[0]
            .at("revision") == 2);
  Json working = h.ok("context_get_working_set", R"({})");
  REQUIRE(working.at("segments").size() == 1);
  CHECK(working.at("segments")[0].at("revision") == 2);
  CHECK(working.at("segments")[0].at("metadata") == Json{{"n", 6}});
  // A segment without metadata has no metadata member.
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"plain","text":"t"}]})");
  const Json listed = h.ok("context_get_working_set", R"({})");
  for (const Json& s : listed.at("segments")) {
    CHECK(s.contains("metadata") == (s.at("segment_id") == "m"));
  }
}

TEST_CASE("context_store: metadata that is nested, null or too long is INVALID_ARGUMENT naming the key") {
  ToolHarness h;
  std::string error = h.error("context_store", R"({"segments":[{"text":"t","metadata":{"deep":{"x":1}}}]})");
  CHECK(starts_with(error, "INVALID_ARGUMENT: "));
  CHECK(contains(error, "deep"));
  error = h.error("context_store", R"({"segments":[{"text":"t","metadata":{"gone":null}}]})");
  CHECK(starts_with(error, "INVALID_ARGUMENT: "));
  CHECK(contains(error, "gone"));
  error = h.error("context_store", R"({"segments":[{"text":"t","metadata":{"list":[1]}}]})");
  CHECK(contains(error, "list"));
  error = h.error("context_store", R"({"segments":[{"text":"t","metadata":{"bad key":1}}]})");
  CHECK(contains(error, "bad key"));
  Json args = Json::parse(R"({"segments":[{"text":"t","metadata":{}}]})");
  args["segments"][0]["metadata"]["long"] = std::string(1025, 'x');
  CHECK(contains(h.error("context_store", args), "segments[0].metadata.long"));
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").empty());
}

TEST_CASE("context_store: supersedes marks the old segment in both tiers and both sides show the link") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"old","text":"old plan"}]})");
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"new","text":"new plan","supersedes":["old"]}]})");
  Json working = h.ok("context_get_working_set", R"({})");
  REQUIRE(working.at("segments").size() == 1);
  CHECK(working.at("segments")[0].at("supersedes") == Json::array({"old"}));
  Json old = h.ok("context_retrieve_stashed", R"({"segment_ids":["old"]})").at("segments")[0];
  CHECK(old.at("superseded_by") == "new");
  CHECK(old.at("revision") == 2);
  std::string error = h.error("context_store", R"({"segments":[{"segment_id":"x","text":"t","supersedes":["ghost"]}]})");
  CHECK(starts_with(error, "NOT_FOUND: "));
  CHECK(contains(error, "'ghost'"));
  error = h.error("context_store", R"({"segments":[{"segment_id":"x","text":"t","supersedes":["x"]}]})");
  CHECK(starts_with(error, "INVALID_ARGUMENT: "));
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").size() == 1);  // nothing stored
}

TEST_CASE("context_store: a duplicate of a stashed segment is named in the item and in the summary") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"a","text":"Use the journal for every write."}]})");
  Json out = h.ok("context_store", R"({"segments":[
      {"segment_id":"b","text":"  USE the journal\nfor every write. "},
      {"segment_id":"c","text":"Something else entirely."}]})");
  CHECK(out.at("stored")[0].at("duplicates") ==
        Json::parse(R"([{"segment_id":"a","tier":"stashed","kind":"exact","similarity":1.0}])"));
  CHECK_FALSE(out.at("stored")[1].contains("duplicates"));  // lean: no empty list
  CHECK(contains(out.at("summary").get<std::string>(),
                 " 'b' duplicates stashed 'a' (exact): supersede the old one (supersedes: ['a']) or context_delete it."));
  // Superseding it in the same call: nothing to report.
  out = h.ok("context_store", R"({"segments":[{"segment_id":"d","text":"use the journal for every write.","supersedes":["a"]}]})");
  CHECK(out.at("stored")[0].at("duplicates") ==
        Json::parse(R"([{"segment_id":"b","tier":"working","kind":"exact","similarity":1.0}])"));
}
