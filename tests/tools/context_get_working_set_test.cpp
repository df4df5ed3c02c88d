#include <doctest/doctest.h>

#include "tests/tools/tool_test_support.h"

using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

TEST_CASE("context_get_working_set: an empty working set says how to fill it") {
  ToolHarness h;
  Json out = h.ok("context_get_working_set", R"({})");
  CHECK(out.at("segments").empty());
  CHECK(out.at("active_tokens") == 0);
  CHECK(out.at("summary") == "The working set of project 'proj' is empty. Add segments with context_store.");
}

TEST_CASE("context_get_working_set: lists metadata and tokens, text only when asked, by task") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[
      {"segment_id":"a","text":"alpha","task_id":"t1","tokens":1000},
      {"segment_id":"b","text":"beta","task_id":"t2","tokens":240}]})");
  Json out = h.ok("context_get_working_set", R"({})");
  REQUIRE(out.at("segments").size() == 2);
  CHECK_FALSE(out.at("segments")[0].contains("text"));
  CHECK_FALSE(out.at("segments")[0].contains("tier"));  // implied; internals only with verbose
  CHECK_FALSE(out.at("segments")[0].contains("generation"));
  CHECK(h.ok("context_get_working_set", R"({"verbose":true})").at("segments")[0].at("tier") == "working");
  CHECK(out.at("active_tokens") == 1240);
  CHECK(out.at("summary") == "2 active segments in project 'proj' (1,240 tokens; working set 1,240). Stash what you "
                             "no longer need in context with context_stash.");
  Json with_text = h.ok("context_get_working_set", R"({"task_id":"t2","include_text":true})");
  REQUIRE(with_text.at("segments").size() == 1);
  CHECK(with_text.at("segments")[0].at("text") == "beta");
  CHECK(with_text.at("summary") == "1 active segment of task 't2' in project 'proj' (240 tokens; working set 1,240). "
                                   "Stash what you no longer need in context with context_stash.");
}

TEST_CASE("context_get_working_set: '*' lists every project and other projects stay apart") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[{"text":"mine"}]})");
  (void)h.ok("context_store", R"({"project_id":"other","segments":[{"text":"theirs"}]})");
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").size() == 1);
  CHECK(h.ok("context_get_working_set", R"({"project_id":"*"})").at("segments").size() == 2);
  CHECK(starts_with(h.error("context_get_working_set", R"({"project_id":"a b"})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_get_working_set", R"({"include_text":"yes"})"), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_get_working_set: pages of 100 by default with a cursor that continues the same listing") {
  ToolHarness h;
  for (int batch = 0; batch < 3; ++batch) {
    Json segments = Json::array();
    for (int i = 0; i < 50; ++i) segments.push_back({{"text", "segment " + std::to_string(batch * 50 + i)}});
    (void)h.ok("context_store", Json{{"segments", segments}}.dump());
  }
  Json first = h.ok("context_get_working_set", R"({})");
  CHECK(first.at("segments").size() == 100);
  CHECK(first.at("total") == 150);
  REQUIRE(first.at("next_cursor").is_string());
  CHECK(first.at("summary").get<std::string>().find("Showing 1-100 of 150; more with cursor: next_cursor.") !=
        std::string::npos);
  const std::string cursor = first.at("next_cursor").get<std::string>();
  Json second = h.ok("context_get_working_set", Json{{"cursor", cursor}}.dump());
  CHECK(second.at("segments").size() == 50);
  CHECK_FALSE(second.contains("next_cursor"));
  CHECK(second.at("segments")[0].at("segment_id") != first.at("segments")[0].at("segment_id"));
  Json small = h.ok("context_get_working_set", R"({"limit":7})");
  CHECK(small.at("segments").size() == 7);
  // A cursor continues only the listing it came from.
  CHECK(starts_with(h.error("context_get_working_set", Json{{"cursor", cursor}, {"task_id", "t"}}.dump()),
                    "INVALID_ARGUMENT: "));
}

TEST_CASE("context_get_working_set: a single page has a total and no next_cursor") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[{"text":"one"}]})");
  Json out = h.ok("context_get_working_set", R"({})");
  CHECK(out.at("total") == 1);
  CHECK_FALSE(out.contains("next_cursor"));
}
