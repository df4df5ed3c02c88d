#include <doctest/doctest.h>

#include "storage/file_system.h"
#include "tests/support/faulty_file_system.h"
#include "tests/tools/tool_test_support.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

namespace {

std::string text_of(ToolHarness& h, const std::string& id) {
  Json out = h.ok("context_retrieve_stashed", Json{{"segment_ids", {id}}});
  REQUIRE(out.at("segments").size() == 1);
  return out.at("segments")[0].at("text").get<std::string>();
}

int64_t revision_of(ToolHarness& h, const std::string& id) {
  Json out = h.ok("context_retrieve_stashed", Json{{"segment_ids", {id}}});
  REQUIRE(out.at("segments").size() == 1);
  return out.at("segments")[0].at("revision").get<int64_t>();
}

}  // namespace

TEST_CASE("context_edit: append adds a line and bumps the revision, which retrieve shows") {
  ToolHarness h;
  Json stashed = h.ok("context_stash", R"({"segments":[{"segment_id":"n","text":"first"}]})");
  CHECK(stashed.at("stashed")[0].at("revision") == 1);
  CHECK(revision_of(h, "n") == 1);
  Json out = h.ok("context_edit", R"({"segment_id":"n","revision":1,"append":"second line"})");
  CHECK(out.at("segment_id") == "n");
  CHECK(out.at("revision") == 2);
  CHECK(out.at("tokens").get<int64_t>() > 1);
  CHECK(contains(out.at("summary").get<std::string>(), "now revision 2"));
  CHECK(text_of(h, "n") == "first\nsecond line");
  CHECK(revision_of(h, "n") == 2);
  // The edited text is what search finds.
  Json found = h.ok("context_search_stashed", R"({"query":"second"})");
  CHECK(found.at("total_matches") == 1);
}

TEST_CASE("context_edit: replace_lines replaces, deletes and refuses lines outside the text") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"n","text":"one\ntwo\nthree\n"}]})");
  (void)h.ok("context_edit", R"({"segment_id":"n","revision":1,"replace_lines":{"start":2,"end":2,"text":"TWO"}})");
  CHECK(text_of(h, "n") == "one\nTWO\nthree\n");
  (void)h.ok("context_edit", R"({"segment_id":"n","revision":2,"replace_lines":{"start":1,"end":2,"text":""}})");
  CHECK(text_of(h, "n") == "three\n");
  const std::string error =
      h.error("context_edit", R"({"segment_id":"n","revision":3,"replace_lines":{"start":1,"end":2,"text":"x"}})");
  CHECK(starts_with(error, "INVALID_ARGUMENT: "));
  CHECK(contains(error, "has 1 line"));
  CHECK(revision_of(h, "n") == 3);
}

TEST_CASE("context_edit: a stale revision is CONFLICT naming the current revision, and nothing changes") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"n","text":"base"}]})");
  (void)h.ok("context_edit", R"({"segment_id":"n","revision":1,"append":"mine"})");
  const std::string error = h.error("context_edit", R"({"segment_id":"n","revision":1,"append":"theirs"})");
  CHECK(starts_with(error, "CONFLICT: "));
  CHECK(contains(error, "is at revision 2"));
  CHECK(contains(error, "context_retrieve_stashed"));
  CHECK(text_of(h, "n") == "base\nmine");
}

TEST_CASE("context_edit: argument errors and unknown segments") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"n","text":"base"}]})");
  CHECK(starts_with(h.error("context_edit", R"({"segment_id":"n","append":"x"})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_edit", R"({"segment_id":"n","revision":1})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_edit",
                            R"({"segment_id":"n","revision":1,"append":"x","replace_lines":{"start":1,"end":1,"text":""}})"),
                    "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_edit", R"({"segment_id":"n","revision":1,"replace_lines":{"start":2,"end":1,"text":""}})"),
                    "INVALID_ARGUMENT: "));
  // Deleting every line would leave the segment empty.
  CHECK(contains(h.error("context_edit", R"({"segment_id":"n","revision":1,"replace_lines":{"start":1,"end":1,"text":""}})"),
                 "context_delete"));
  CHECK(starts_with(h.error("context_edit", R"({"segment_id":"nope","revision":1,"append":"x"})"), "NOT_FOUND: "));
  // A working-set segment is not stashed: not found.
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"w","text":"W"}]})");
  CHECK(starts_with(h.error("context_edit", R"({"segment_id":"w","revision":1,"append":"x"})"), "NOT_FOUND: "));
}

TEST_CASE("context_edit: the size limit still applies") {
  ToolHarness h({.max_segment_bytes = 16});
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"n","text":"0123456789"}]})");
  CHECK(starts_with(h.error("context_edit", R"({"segment_id":"n","revision":1,"append":"0123456789"})"),
                    "LIMIT_EXCEEDED: "));
  CHECK(text_of(h, "n") == "0123456789");
}

TEST_CASE("context_edit: a storage failure is STORAGE_ERROR and the revision stays") {
  testing::FaultyFileSystem fs(storage::posix_file_system());
  ToolHarness h({.fs = &fs});
  REQUIRE(h.store().wait_until_loaded().ok());
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"n","text":"base"}]})");
  fs.fail_all_writes(ENOSPC);
  CHECK(starts_with(h.error("context_edit", R"({"segment_id":"n","revision":1,"append":"x"})"), "STORAGE_ERROR: "));
  fs.heal();
  CHECK(revision_of(h, "n") == 1);
  CHECK(text_of(h, "n") == "base");
}
