#include <doctest/doctest.h>

#include <cstdio>

#include "storage/file_system.h"
#include "tests/support/faulty_file_system.h"
#include "tests/tools/tool_test_support.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

namespace {

void store_three(ToolHarness& h) {
  (void)h.ok("context_store", R"({"segments":[
      {"segment_id":"a","text":"alpha parser notes","task_id":"t1","tokens":100},
      {"segment_id":"b","text":"beta lexer notes","task_id":"t2","tokens":200,"tags":["lex"]},
      {"segment_id":"c","text":"gamma parser log","task_id":"t1","tokens":940,"type":"log"}]})");
}

size_t working_count(ToolHarness& h) {
  auto working = h.store().load_segments("proj");
  REQUIRE(working.ok());
  return working->size();
}

}  // namespace

TEST_CASE("context_stash: stashes by id, frees tokens and reports unknown ids per id") {
  ToolHarness h;
  store_three(h);
  Json out = h.ok("context_stash", R"({"segment_ids":["a","c","zzz"]})");
  CHECK(out.at("stashed").size() == 2);
  CHECK(out.at("not_found") == Json::array({"zzz"}));
  CHECK(out.at("tokens_freed") == 1040);
  CHECK(out.at("active_tokens") == 200);
  CHECK(out.at("stashed_tokens") == 1040);
  CHECK(out.at("summary") ==
        "Stashed 2 segments (1,040 tokens freed). Find them later with context_search_stashed. "
        "Not in the working set: 'zzz' (see context_get_working_set).");
  CHECK(working_count(h) == 1);
}

TEST_CASE("context_stash: selects working-set segments by query words and by filters") {
  ToolHarness h;
  store_three(h);
  Json by_query = h.ok("context_stash", R"({"query":"PARSER notes"})");
  REQUIRE(by_query.at("stashed").size() == 1);
  CHECK(by_query.at("stashed")[0].at("segment_id") == "a");
  Json by_filter = h.ok("context_stash", R"({"filters":{"tags":["lex"]}})");
  REQUIRE(by_filter.at("stashed").size() == 1);
  CHECK(by_filter.at("stashed")[0].at("segment_id") == "b");
  Json by_type = h.ok("context_stash", R"({"query":"parser","filters":{"type":["log"],"task_id":"t1"}})");
  REQUIRE(by_type.at("stashed").size() == 1);
  CHECK(by_type.at("stashed")[0].at("segment_id") == "c");
  Json none = h.ok("context_stash", R"({"query":"nothing-like-this"})");
  CHECK(none.at("stashed").empty());
  CHECK(none.at("summary") == "Nothing stashed: no matching segment in the working set.");
}

TEST_CASE("context_stash: inline segments are stored and stashed in one call") {
  ToolHarness h;
  Json out = h.ok("context_stash", R"({"segments":[{"segment_id":"adr-1","text":"Use flock for writers","tokens":12}]})");
  CHECK(out.at("stashed")[0].at("segment_id") == "adr-1");
  CHECK(out.at("stashed_tokens") == 12);
  auto got = h.store().get("proj", "adr-1", storage::Tier::kStashed);
  REQUIRE(got.ok());
  CHECK(got->has_value());
}

TEST_CASE("context_stash: dry_run reports what would be stashed and changes nothing") {
  ToolHarness h;
  store_three(h);
  Json out = h.ok("context_stash", R"({"segment_ids":["a","b"],"dry_run":true})");
  CHECK(out.at("dry_run") == true);
  CHECK(out.at("tokens_freed") == 300);
  CHECK(out.at("summary") ==
        "Dry run: would stash 2 segments (300 tokens freed); nothing changed. Call again without dry_run to stash.");
  CHECK(working_count(h) == 3);
  auto stashed = h.store().export_stashed("proj");
  REQUIRE(stashed.ok());
  CHECK(stashed->empty());
}

TEST_CASE("context_stash: argument errors name the field") {
  ToolHarness h;
  CHECK(h.error("context_stash", R"({})") ==
        "INVALID_ARGUMENT: pass segment_ids, a query and/or filters over the working set, or inline segments");
  // filters and inline segments share their schema with context_search_stashed and context_store,
  // so the schema answers the same way for every tool.
  CHECK(h.error("context_stash", R"({"filters":{"colour":"red"}})") ==
        "INVALID_ARGUMENT: filters.colour: unknown property; allowed properties are created_after, created_before, "
        "file_path, metadata, pinned, tags, tags_any, task_id, topic_id, type (see the tool's inputSchema; fix the arguments and "
        "retry)");
  CHECK(starts_with(h.error("context_stash", R"({"filters":{"type":["poem"]}})"),
                    "INVALID_ARGUMENT: filters.type[0]: must be one of message, code, log, note, decision, summary"));
  CHECK(starts_with(h.error("context_stash", R"({"segments":[{"segment_id":"x"}]})"),
                    "INVALID_ARGUMENT: segments[0].text: is required"));
  CHECK(starts_with(h.error("context_stash", R"({"segments":[{"text":"x","line_range":[2]}]})"),
                    "INVALID_ARGUMENT: segments[0].line_range: must have at least 2 item(s)"));
  CHECK(h.error("context_stash", R"({"segments":[{"text":"x","line_range":[5,3]}]})") ==
        "INVALID_ARGUMENT: segments[0].line_range: start 5 is after end 3");
  CHECK(starts_with(h.error("context_stash", R"({"project_id":"*","segment_ids":["a"]})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_stash", R"({"segment_ids":["a"],"extra":1})"), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_stash: more than 100 ids or inline segments is rejected") {
  ToolHarness h;
  Json args = {{"segment_ids", Json::array()}};
  for (int i = 0; i < 101; ++i) args["segment_ids"].push_back("id-" + std::to_string(i));
  CHECK(starts_with(h.error("context_stash", args), "INVALID_ARGUMENT: "));
  Json inline_args = {{"segments", Json::array()}};
  for (int i = 0; i < 101; ++i) inline_args["segments"].push_back({{"text", "x"}});
  CHECK(starts_with(h.error("context_stash", inline_args), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_stash: a storage failure is STORAGE_ERROR with the path and OS reason, and nothing moves") {
  testing::FaultyFileSystem fs(storage::posix_file_system());
  ToolHarness h({.fs = &fs});
  REQUIRE(h.store().wait_until_loaded().ok());
  store_three(h);
  fs.fail_all_writes(EACCES);
  std::string error = h.error("context_stash", R"({"segment_ids":["a"]})");
  CHECK(starts_with(error, "STORAGE_ERROR: "));
  CHECK(contains(error, h.storage_path()));
  CHECK(contains(error, "Permission denied"));
  CHECK(contains(error, "nothing was changed"));
  CHECK(working_count(h) == 3);
  fs.heal();
  CHECK(h.ok("context_stash", R"({"segment_ids":["a"]})").at("stashed").size() == 1);
}

TEST_CASE("context_stash: query and filters skip superseded working segments, explicit ids still move them") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"old","text":"parser notes"}]})");
  Json out = h.ok("context_store", R"({"segments":[{"segment_id":"new","text":"parser notes v2","supersedes":["old"]}]})");
  CHECK(out.at("stored")[0].at("revision") == 1);
  out = h.ok("context_stash", R"({"query":"parser"})");
  REQUIRE(out.at("stashed").size() == 1);
  CHECK(out.at("stashed")[0].at("segment_id") == "new");
  CHECK(out.at("stashed")[0].at("revision") == 1);
  out = h.ok("context_stash", R"({"filters":{}})");
  CHECK(out.at("stashed").empty());
  out = h.ok("context_stash", R"({"segment_ids":["old"]})");
  REQUIRE(out.at("stashed").size() == 1);
  CHECK(out.at("stashed")[0].at("revision") == 2);  // stored, then marked superseded
  Json old = h.ok("context_retrieve_stashed", R"({"segment_ids":["old"]})").at("segments")[0];
  CHECK(old.at("superseded_by") == "new");
}

TEST_CASE("context_stash: inline supersedes is one batch with the new segment, all or nothing") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"a","text":"A"}]})");
  std::string error = h.error("context_stash", R"({"segments":[{"segment_id":"b","text":"B","supersedes":["a","zz"]}]})");
  CHECK(starts_with(error, "NOT_FOUND: "));
  CHECK(contains(error, "segments[0].supersedes[1]"));
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["a","b"]})").at("not_found") == Json::array({"b"}));
  CHECK_FALSE(h.ok("context_retrieve_stashed", R"({"segment_ids":["a"]})").at("segments")[0].contains("superseded_by"));
}

TEST_CASE("context_stash: a near duplicate is named with its similarity in the item and in the summary") {
  ToolHarness h;
  const std::string old_text =
      "The parser reads the input once and builds a tree of nodes for every statement it meets. Errors carry the "
      "line and column where the token started. Comments are kept so that the formatter can restore them later. "
      "Strings are decoded lazily to save memory on large files. Numbers keep their original spelling for output.";
  const std::string new_text = old_text + " Keywords are interned.";
  (void)h.ok("context_store", Json{{"segments", {{{"segment_id", "old"}, {"text", old_text}}}}});
  Json out = h.ok("context_stash", Json{{"segments", {{{"segment_id", "new"}, {"text", new_text}}}}});
  REQUIRE(out.at("stashed")[0].contains("duplicates"));
  const Json& d = out.at("stashed")[0].at("duplicates")[0];
  CHECK(d.at("segment_id") == "old");
  CHECK(d.at("tier") == "working");
  CHECK(d.at("kind") == "near");
  const double similarity = d.at("similarity").get<double>();
  CHECK(similarity >= 0.8);
  CHECK(similarity < 1.0);
  char shown[16];
  std::snprintf(shown, sizeof shown, "%.2f", similarity);
  CHECK(contains(out.at("summary").get<std::string>(), std::string(" 'new' is near working 'old' (") + shown + ")"));
}
