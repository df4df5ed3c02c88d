#include <doctest/doctest.h>

#include "tests/tools/tool_test_support.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

namespace {

void stash_two(ToolHarness& h) {
  (void)h.ok("context_stash", R"({"segments":[
      {"segment_id":"a","text":"first text","tokens":30,"task_id":"t","file_path":"f.cpp","line_range":[3,9],
       "tags":["x"],"topic_id":"top","pinned":true,"type":"code"},
      {"segment_id":"b","text":"second text","tokens":50}]})");
}

}  // namespace

TEST_CASE("context_retrieve_stashed: returns every field of each segment with verbose and lists unknown ids") {
  ToolHarness h;
  stash_two(h);
  Json out = h.ok("context_retrieve_stashed", R"({"segment_ids":["a","nope"],"verbose":true})");
  REQUIRE(out.at("segments").size() == 1);
  const Json& a = out.at("segments")[0];
  for (const char* key : {"segment_id", "text", "type", "project_id", "task_id", "file_path", "topic_id", "line_range",
                          "tags", "created_at", "last_touched_at", "pinned", "generation", "gc_survival_count",
                          "refcount", "tokens", "tier", "revision"}) {
    CHECK_MESSAGE(a.contains(key), key);
  }
  CHECK(a.at("text") == "first text");
  CHECK(a.at("line_range") == Json::array({3, 9}));
  CHECK(a.at("tier") == "stashed");
  CHECK(a.at("created_at") == "2026-01-01T00:00:00.000Z");
  CHECK(out.at("tokens") == 30);
  CHECK(out.at("not_found") == Json::array({"nope"}));
  CHECK(out.at("summary") == "Retrieved 1 segment (30 tokens) from project 'proj'. Not found: 'nope'; check the ids "
                             "with context_search_stashed.");
}

TEST_CASE("context_retrieve_stashed: restore copies into the working set and the stash keeps its copy") {
  ToolHarness h;
  stash_two(h);
  Json out = h.ok("context_retrieve_stashed", R"({"segment_ids":["b"],"restore":true})");
  CHECK(out.at("active_tokens") == 50);
  Json working = h.ok("context_get_working_set", R"({})");
  CHECK(working.at("segments").size() == 1);
  CHECK(h.ok("context_search_stashed", R"({})").at("total_matches") == 2);
  Json everywhere = h.ok("context_retrieve_stashed", R"({"project_id":"*","segment_ids":["a"],"restore":true})");
  CHECK(contains(everywhere.at("summary").get<std::string>(), "working sets of their projects"));
}

TEST_CASE("context_retrieve_stashed: max_tokens stops before exceeding the budget") {
  ToolHarness h;
  stash_two(h);
  Json out = h.ok("context_retrieve_stashed", R"({"segment_ids":["a","b"],"max_tokens":60})");
  CHECK(out.at("segments").size() == 1);
  CHECK(out.at("tokens") == 30);
  CHECK(out.at("omitted") == Json::array({"b"}));
  CHECK(contains(out.at("summary").get<std::string>(),
                 "Left out to stay within max_tokens 60: 'b'; raise max_tokens or retrieve them separately."));
}

TEST_CASE("context_retrieve_stashed: argument errors") {
  ToolHarness h;
  CHECK(starts_with(h.error("context_retrieve_stashed", R"({})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_retrieve_stashed", R"({"segment_ids":[]})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_retrieve_stashed", R"({"segment_ids":["a"],"max_tokens":0})"), "INVALID_ARGUMENT: "));
  Json many = {{"segment_ids", Json::array()}};
  for (int i = 0; i < 101; ++i) many["segment_ids"].push_back("s" + std::to_string(i));
  CHECK(starts_with(h.error("context_retrieve_stashed", many), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_retrieve_stashed: a response keeps to about 3 MiB of text and lists the rest as omitted") {
  ToolHarness h({.max_segment_bytes = 2u << 20});
  const std::string big((1200u << 10), 'x');
  Json args = {{"segments", Json::array()}};
  for (const char* id : {"big-1", "big-2", "big-3"}) args["segments"].push_back({{"segment_id", id}, {"text", big}, {"tokens", 1000}});
  (void)h.ok("context_stash", args);
  Json out = h.ok("context_retrieve_stashed", R"({"segment_ids":["big-1","big-2","big-3"],"restore":true})");
  CHECK(out.at("segments").size() == 2);
  CHECK(out.at("tokens") == 2000);
  CHECK(out.at("omitted") == Json::array({"big-3"}));
  CHECK(out.at("active_tokens") == 2000);
  CHECK(contains(out.at("summary").get<std::string>(),
                 "Left out to keep the response small: 'big-3'; retrieve them in another call."));
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").size() == 2);
}

TEST_CASE("context_retrieve_stashed: lean replies leave out internals, the implied tier and unset fields") {
  ToolHarness h;
  stash_two(h);
  Json out = h.ok("context_retrieve_stashed", R"({"segment_ids":["a","b"]})");
  REQUIRE(out.at("segments").size() == 2);
  const Json& a = out.at("segments")[0];
  const Json& b = out.at("segments")[1];
  for (const char* key : {"generation", "gc_survival_count", "refcount", "tier", "project_id"}) {
    CHECK_MESSAGE(!a.contains(key), key);
    CHECK_MESSAGE(!b.contains(key), key);
  }
  // What an agent uses stays: a's metadata, b has only what is set.
  CHECK(a.at("line_range") == Json::array({3, 9}));
  CHECK(a.at("pinned") == true);
  CHECK(a.at("topic_id") == "top");
  for (const char* key : {"task_id", "file_path", "topic_id", "line_range", "pinned", "tags"}) {
    CHECK_MESSAGE(!b.contains(key), key);
  }
  for (const Json& segment : out.at("segments")) {
    for (const auto& item : segment.items()) CHECK_MESSAGE(!item.value().is_null(), item.key());
  }
  CHECK(b.at("text") == "second text");
  CHECK(b.at("tokens") == 50);
  CHECK_FALSE(out.contains("not_found"));
  CHECK_FALSE(out.contains("omitted"));
  // Over every project, each segment says where it lives.
  Json all = h.ok("context_retrieve_stashed", R"({"project_id":"*","segment_ids":["a"]})");
  CHECK(all.at("segments")[0].at("project_id") == "proj");
}

TEST_CASE("context_retrieve_stashed: restore and max_tokens sent as strings are read as a boolean and a number") {
  ToolHarness h;
  stash_two(h);
  Json out = h.ok("context_retrieve_stashed", R"({"segment_ids":"b","restore":"true","max_tokens":"2000"})");
  CHECK(out.at("segments").size() == 1);
  CHECK(out.at("active_tokens") == 50);
  CHECK(contains(out.at("summary").get<std::string>(),
                 R"(Normalized: max_tokens "2000" → 2000; restore "true" → true; segment_ids "b" → ["b"].)"));
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").size() == 1);
  CHECK(starts_with(h.error("context_retrieve_stashed", R"({"segment_ids":["b"],"restore":"yes"})"),
                    "INVALID_ARGUMENT: restore: must be a boolean, got string"));
  CHECK(starts_with(h.error("context_retrieve_stashed", R"({"segment_ids":["b"],"max_tokens":"2k"})"),
                    "INVALID_ARGUMENT: max_tokens: must be an integer, got string"));
}
