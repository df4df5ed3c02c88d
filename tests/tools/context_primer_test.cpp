#include <doctest/doctest.h>

#include "storage/token_estimate.h"
#include "tests/tools/tool_test_support.h"
#include "tools/primer.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

TEST_CASE("context_primer: sections, ids to retrieve and the markdown of the shared primer") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[
      {"segment_id":"adr-1","text":"# Journal\nSnapshot plus journal.","type":"decision"},
      {"segment_id":"rules","text":"We use uv.","pinned":true},
      {"segment_id":"t1-notes","text":"Lexer notes.","task_id":"t1"}]})");
  Json out = h.ok("context_primer", R"({})");
  CHECK(out.at("project_id") == "proj");
  CHECK(out.at("max_tokens") == 2000);
  REQUIRE(out.at("sections").size() == 4);
  CHECK(out.at("sections")[0].at("name") == "Pinned");
  const Json& pinned = out.at("sections")[0].at("entries");
  REQUIRE(pinned.size() == 1);
  CHECK(pinned[0].at("segment_id") == "rules");
  CHECK(pinned[0].at("type") == "note");
  CHECK(pinned[0].at("title") == "We use uv.");
  CHECK(pinned[0].at("full_text") == true);
  CHECK_FALSE(pinned[0].contains("task_id"));
  CHECK(out.at("sections")[2].at("entries")[0].at("task_id") == "t1");
  CHECK(out.at("retrieve_ids").empty());
  const std::string markdown = out.at("markdown").get<std::string>();
  CHECK(out.at("tokens") == storage::estimate_tokens(markdown));
  storage::Result<tools::Primer> same = tools::build_primer(h.store(), "proj", 2000);
  REQUIRE(same.ok());
  CHECK(markdown == same->markdown);
  CHECK(starts_with(out.at("summary").get<std::string>(), "Primer of project 'proj': 3 segments (3 with full text), "));
}

TEST_CASE("context_primer: a small budget lists ids to retrieve and says so") {
  ToolHarness h;
  std::string big;
  for (int i = 0; i < 300; ++i) big += "journal snapshot replay ";
  (void)h.ok("context_stash", Json{{"segments", {{{"segment_id", "big"}, {"text", big}, {"type", "summary"}}}}});
  Json out = h.ok("context_primer", R"({"max_tokens":100})");
  CHECK(out.at("tokens").get<int64_t>() <= 100);
  CHECK(out.at("retrieve_ids") == Json::array({"big"}));
  CHECK(out.at("sections")[3].at("entries")[0].at("full_text") == false);
  CHECK(contains(out.at("summary").get<std::string>(), "context_retrieve_stashed(retrieve_ids)"));
}

TEST_CASE("context_primer: an empty project, another project by id") {
  ToolHarness h;
  Json empty = h.ok("context_primer", R"({"project_id":"nothing-here"})");
  CHECK(empty.at("project_id") == "nothing-here");
  CHECK(contains(empty.at("markdown").get<std::string>(), "Nothing stored for this project yet"));
  CHECK(contains(empty.at("summary").get<std::string>(), "nothing pinned"));
}

TEST_CASE("context_primer: max_tokens and project_id are validated") {
  ToolHarness h;
  CHECK(starts_with(h.error("context_primer", R"({"max_tokens":99})"), "INVALID_ARGUMENT"));
  CHECK(starts_with(h.error("context_primer", R"({"max_tokens":20001})"), "INVALID_ARGUMENT"));
  CHECK(starts_with(h.error("context_primer", R"({"project_id":"*"})"), "INVALID_ARGUMENT"));
  CHECK(h.error("context_primer", R"({"max_tokens":"2k"})") ==
        "INVALID_ARGUMENT: max_tokens: must be an integer, got string (see the tool's inputSchema; fix the "
        "arguments and retry)");
  // A decimal string is a slip, read as the integer (argument_normalizer).
  CHECK(h.ok("context_primer", R"({"max_tokens":"2000"})").at("max_tokens") == 2000);
}

TEST_CASE("context_primer: reading the primer changes nothing in the store") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"d1","text":"A decision.","type":"decision"}]})");
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"w1","text":"Working note.","task_id":"t1"}]})");
  storage::Result<storage::StoreStats> before = h.store().stats();
  REQUIRE(before.ok());
  Json out = h.ok("context_primer", R"({})");
  CHECK(out.at("sections")[2].at("entries")[0].at("working_set") == true);
  storage::Result<storage::StoreStats> after = h.store().stats();
  REQUIRE(after.ok());
  CHECK(after->journal_seq == before->journal_seq);
  CHECK(after->journal_bytes == before->journal_bytes);
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").size() == 1);
}

TEST_CASE("context_primer: superseded segments are left out of every section") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"adr-old","text":"Use JSON.","type":"decision","pinned":true}]})");
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"w-old","text":"Working note.","pinned":true}]})");
  Json before = h.ok("context_primer", R"({})");
  CHECK(contains(before.at("markdown").get<std::string>(), "adr-old"));
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"adr-new","text":"Use JSON lines.","type":"decision",
      "supersedes":["adr-old","w-old"]}]})");
  const std::string markdown = h.ok("context_primer", R"({})").at("markdown").get<std::string>();
  CHECK(contains(markdown, "adr-new"));
  CHECK_FALSE(contains(markdown, "adr-old"));
  CHECK_FALSE(contains(markdown, "w-old"));
}
