#include <doctest/doctest.h>

#include "storage/file_system.h"
#include "tests/support/faulty_file_system.h"
#include "tests/tools/tool_test_support.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

namespace {

// "a" both stashed and (restored) active, "w" only active, "s" only stashed.
void prepare(ToolHarness& h) {
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"a","text":"A"},{"segment_id":"s","text":"S"}]})");
  (void)h.ok("context_retrieve_stashed", R"({"segment_ids":["a"],"restore":true})");
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"w","text":"W"}]})");
}

}  // namespace

TEST_CASE("context_delete: tier all removes both copies and reports unknown ids") {
  ToolHarness h;
  prepare(h);
  Json out = h.ok("context_delete", R"({"segment_ids":["a","missing"],"tier":"all"})");
  REQUIRE(out.at("deleted").size() == 1);
  CHECK(out.at("deleted")[0].at("segment_id") == "a");
  CHECK(out.at("deleted")[0].at("tiers").size() == 2);
  CHECK(out.at("not_found") == Json::array({"missing"}));
  CHECK(out.at("summary") == "Deleted 1 segment ('a') from the working set and stash of project 'proj'. Not found: 'missing'.");
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["a"]})").at("not_found") == Json::array({"a"}));
}

TEST_CASE("context_delete: tier working or stashed leaves the other tier alone") {
  ToolHarness h;
  prepare(h);
  Json working = h.ok("context_delete", R"({"segment_ids":["a","s"],"tier":"working"})");
  CHECK(working.at("deleted").size() == 1);
  CHECK(working.at("not_found") == Json::array({"s"}));
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["a"]})").at("segments").size() == 1);
  Json stashed = h.ok("context_delete", R"({"segment_ids":["w"],"tier":"stashed"})");
  CHECK(stashed.at("deleted").empty());
  CHECK(stashed.at("summary") == "Nothing deleted: no segment with these ids in the stash of project 'proj'. Check ids "
                                 "with context_search_stashed or context_get_working_set.");
}

TEST_CASE("context_delete: argument errors") {
  ToolHarness h;
  CHECK(starts_with(h.error("context_delete", R"({})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_delete", R"({"segment_ids":[]})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_delete", R"({"segment_ids":["a"],"tier":"both"})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_delete", R"({"segment_ids":["a"],"project_id":"*"})"), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_delete: a storage failure is STORAGE_ERROR and the segment survives") {
  testing::FaultyFileSystem fs(storage::posix_file_system());
  ToolHarness h({.fs = &fs});
  REQUIRE(h.store().wait_until_loaded().ok());
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"keep","text":"K"}]})");
  fs.fail_all_writes(ENOSPC);
  std::string error = h.error("context_delete", R"({"segment_ids":["keep"],"tier":"stashed"})");
  CHECK(starts_with(error, "STORAGE_ERROR: "));
  CHECK(contains(error, "No space left on device"));
  fs.heal();
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["keep"]})").at("segments").size() == 1);
}

TEST_CASE("context_delete: a lone id string is read as a one-id list and the summary says so") {
  ToolHarness h;
  prepare(h);
  Json out = h.ok("context_delete", R"({"segment_ids":"s","tier":"stashed"})");
  REQUIRE(out.at("deleted").size() == 1);
  CHECK(out.at("deleted")[0].at("segment_id") == "s");
  CHECK(contains(out.at("summary").get<std::string>(), R"( Normalized: segment_ids "s" → ["s"].)"));
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["s"]})").at("not_found") == Json::array({"s"}));
  CHECK(starts_with(h.error("context_delete", R"({"segment_ids":5})"),
                    "INVALID_ARGUMENT: segment_ids: must be an array, got number"));
}
