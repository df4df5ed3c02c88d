#include <doctest/doctest.h>

#include <algorithm>

#include "storage/file_system.h"
#include "tests/support/faulty_file_system.h"
#include "tests/tools/tool_test_support.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

namespace {

void stash_corpus(ToolHarness& h) {
  (void)h.ok("context_stash", R"({"segments":[
      {"segment_id":"journal-format","text":"The journal is JSON Lines with an xxh64 checksum per line.","task_id":"t1","tags":["storage"]},
      {"segment_id":"journal-replay","text":"Replay the journal after the snapshot at start-up.","task_id":"t1","file_path":"src/load.cpp"},
      {"segment_id":"search-bm25","text":"Ranking uses BM25 over the journal-free inverted index.","type":"decision"}]})");
  (void)h.ok("context_stash", R"({"project_id":"other","segments":[{"segment_id":"elsewhere","text":"A zebra fact."}]})");
}

}  // namespace

TEST_CASE("context_search_stashed: ranked results carry metadata and a snippet but never the text") {
  ToolHarness h;
  stash_corpus(h);
  Json out = h.ok("context_search_stashed", R"({"query":"journal replay"})");
  REQUIRE(out.at("results").size() >= 2);
  const Json& first = out.at("results")[0];
  CHECK(first.at("segment_id") == "journal-replay");
  for (const char* key : {"segment_id", "score", "snippet", "type", "task_id", "file_path", "tokens", "created_at"}) {
    CHECK_MESSAGE(first.contains(key), key);
  }
  CHECK_FALSE(first.contains("text"));
  CHECK_FALSE(first.contains("project_id"));  // implied by the search's project
  CHECK_FALSE(first.contains("tags"));        // none set: unset fields are left out, never null
  CHECK(first.at("file_path") == "src/load.cpp");
  CHECK_FALSE(out.contains("next_cursor"));
  CHECK(out.at("summary") == "Found " + std::to_string(out.at("total_matches").get<size_t>()) +
                                 " matches in project 'proj'; showing 1-" + std::to_string(out.at("results").size()) +
                                 ". Get full text with context_retrieve_stashed(segment_ids).");
}

TEST_CASE("context_search_stashed: filters, substring mode and no query") {
  ToolHarness h;
  stash_corpus(h);
  Json by_task = h.ok("context_search_stashed", R"({"filters":{"task_id":"t1"}})");
  CHECK(by_task.at("total_matches") == 2);
  Json by_type = h.ok("context_search_stashed", R"({"query":"journal","filters":{"type":["decision"]}})");
  REQUIRE(by_type.at("results").size() == 1);
  CHECK(by_type.at("results")[0].at("segment_id") == "search-bm25");
  Json substring = h.ok("context_search_stashed", R"({"query":"XXH64 CHECK","mode":"substring"})");
  REQUIRE(substring.at("results").size() == 1);
  CHECK(substring.at("results")[0].at("segment_id") == "journal-format");
  Json all = h.ok("context_search_stashed", R"({})");
  CHECK(all.at("total_matches") == 3);
}

TEST_CASE("context_search_stashed: filters.topic_id selects stashed segments as context_stash selects working ones") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"t-a","text":"alpha","topic_id":"parser"},
                                                {"segment_id":"t-b","text":"beta","topic_id":"lexer"}]})");
  Json stashed = h.ok("context_stash", R"({"filters":{"topic_id":"parser"}})");
  REQUIRE(stashed.at("stashed").size() == 1);
  CHECK(stashed.at("stashed")[0].at("segment_id") == "t-a");
  (void)h.ok("context_stash", R"({"segment_ids":["t-b"]})");
  Json found = h.ok("context_search_stashed", R"({"filters":{"topic_id":"lexer"}})");
  REQUIRE(found.at("results").size() == 1);
  CHECK(found.at("results")[0].at("segment_id") == "t-b");
  CHECK(h.ok("context_search_stashed", R"({"filters":{"topic_id":"nothing"}})").at("total_matches") == 0);
}

TEST_CASE("context_search_stashed: pages with an opaque cursor bound to the query") {
  ToolHarness h;
  stash_corpus(h);
  Json first = h.ok("context_search_stashed", R"({"query":"journal","limit":2})");
  CHECK(first.at("total_matches") == 3);
  REQUIRE(first.at("results").size() == 2);
  REQUIRE(first.at("next_cursor").is_string());
  CHECK(contains(first.at("summary").get<std::string>(), "showing 1-2"));
  CHECK(contains(first.at("summary").get<std::string>(), "more with cursor: next_cursor"));
  Json args = {{"query", "journal"}, {"limit", 2}, {"cursor", first.at("next_cursor")}};
  Json second = h.ok("context_search_stashed", args);
  REQUIRE(second.at("results").size() == 1);
  CHECK_FALSE(second.contains("next_cursor"));
  CHECK(contains(second.at("summary").get<std::string>(), "showing 3-3"));

  Json other_query = {{"query", "replay"}, {"cursor", first.at("next_cursor")}};
  CHECK(starts_with(h.error("context_search_stashed", other_query),
                    "INVALID_ARGUMENT: cursor: it belongs to a different query, filters, mode or project"));
  CHECK(starts_with(h.error("context_search_stashed", R"({"query":"journal","cursor":"e30"})"),
                    "INVALID_ARGUMENT: cursor: not a next_cursor"));
}

TEST_CASE("context_search_stashed: '*' searches every project and no match anywhere suggests next steps") {
  ToolHarness h;
  stash_corpus(h);
  Json all = h.ok("context_search_stashed", R"({"query":"zebra","project_id":"*"})");
  REQUIRE(all.at("results").size() == 1);
  CHECK(all.at("results")[0].at("project_id") == "other");
  CHECK(contains(all.at("summary").get<std::string>(), "in all projects"));
  Json nothing = h.ok("context_search_stashed", R"({"query":"unicorn"})");
  CHECK(nothing.at("summary") == "No matches in project 'proj'. Try fewer or other keywords, mode 'substring' for "
                                 "exact text, looser filters, or project_id '*'.");
}

TEST_CASE("context_search_stashed: limits and dates are checked") {
  ToolHarness h;
  CHECK(starts_with(h.error("context_search_stashed", R"({"limit":101})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_search_stashed", R"({"limit":0})"), "INVALID_ARGUMENT: "));
  CHECK(starts_with(h.error("context_search_stashed", R"({"mode":"fuzzy"})"), "INVALID_ARGUMENT: "));
  CHECK(h.error("context_search_stashed", R"({"filters":{"created_before":"2026-13-01"}})") ==
        "INVALID_ARGUMENT: filters.created_before: '2026-13-01' is not an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)");
  CHECK(h.ok("context_search_stashed", R"({"filters":{"created_after":"2020-01-01"}})").at("total_matches") == 0);
}

TEST_CASE("context_search_stashed: created_after and created_before also take an age before now") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"old-news","text":"needle"}]})");
  // 30000 weeks is some 575 years: every segment is newer, none older.
  CHECK(h.ok("context_search_stashed", R"({"filters":{"created_after":"30000w"}})").at("total_matches") == 1);
  CHECK(h.ok("context_search_stashed", R"({"filters":{"created_before":"30000w"}})").at("total_matches") == 0);
  CHECK(h.ok("context_search_stashed", R"({"filters":{"created_before":"7d"}})").at("total_matches").is_number());
  CHECK(starts_with(h.error("context_search_stashed", R"({"filters":{"created_after":"7y"}})"), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_search_stashed: a limit of 100 returns up to 100 results") {
  ToolHarness h;
  Json args = {{"segments", Json::array()}};
  for (int i = 0; i < 100; ++i) args["segments"].push_back({{"segment_id", "n" + std::to_string(i)}, {"text", "needle"}});
  (void)h.ok("context_stash", args);
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"n100","text":"needle"}]})");
  Json out = h.ok("context_search_stashed", R"({"query":"needle","limit":100})");
  CHECK(out.at("results").size() == 100);
  CHECK(out.at("total_matches") == 101);
  CHECK(out.at("next_cursor").is_string());
  Json fallback = h.ok("context_search_stashed", R"({"query":"needle"})");
  CHECK(fallback.at("results").size() == 10);
}

TEST_CASE("context_search_stashed: lone filter strings and a numeric-string limit are accepted") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[
      {"segment_id":"auth-choice","text":"Tokens are signed JWTs.","type":"decision","tags":["auth"]},
      {"segment_id":"auth-note","text":"Tokens expire after an hour.","type":"note","tags":["auth"]},
      {"segment_id":"db-choice","text":"Postgres for the main store.","type":"decision","tags":["db"]}]})");
  Json out = h.ok("context_search_stashed", R"({"filters":{"type":"decision","tags":"auth"},"limit":"5"})");
  REQUIRE(out.at("results").size() == 1);
  CHECK(out.at("results")[0].at("segment_id") == "auth-choice");
  CHECK(contains(out.at("summary").get<std::string>(),
                 R"(Normalized: filters.tags "auth" → ["auth"]; filters.type "decision" → ["decision"]; )"
                 R"(limit "5" → 5.)"));
  CHECK(starts_with(h.error("context_search_stashed", R"({"limit":"five"})"),
                    "INVALID_ARGUMENT: limit: must be an integer, got string"));
  CHECK(starts_with(h.error("context_search_stashed", R"({"limit":"500"})"),
                    "INVALID_ARGUMENT: limit: must be at most 100"));
}

TEST_CASE("context_search_stashed: filters.metadata matches every pair, type-exact for strings") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[
      {"segment_id":"int","text":"build notes","metadata":{"pr":5,"team":"core"}},
      {"segment_id":"str","text":"build notes","metadata":{"pr":"5","team":"core"}},
      {"segment_id":"none","text":"build notes"}]})");
  const auto ids = [&](const char* args) {
    std::vector<std::string> out;
    const Json reply = h.ok("context_search_stashed", args);
    for (const Json& r : reply.at("results")) out.push_back(r.at("segment_id").get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(ids(R"({"filters":{"metadata":{"team":"core"}}})") == std::vector<std::string>{"int", "str"});
  CHECK(ids(R"({"filters":{"metadata":{"team":"core","pr":5}}})") == std::vector<std::string>{"int"});
  CHECK(ids(R"({"query":"build","filters":{"metadata":{"pr":"5"}}})") == std::vector<std::string>{"str"});
  CHECK(ids(R"({"filters":{"metadata":{"pr":true}}})").empty());
  Json hit = h.ok("context_search_stashed", R"({"filters":{"metadata":{"pr":5}}})").at("results")[0];
  CHECK(hit.at("metadata") == Json{{"pr", 5}, {"team", "core"}});
  CHECK(starts_with(h.error("context_search_stashed", R"({"filters":{"metadata":{"pr":[5]}}})"), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_search_stashed: superseded segments are left out unless include_superseded") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"old","text":"deploy steps v1"}]})");
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"new","text":"deploy steps v2","supersedes":["old"]}]})");
  Json out = h.ok("context_search_stashed", R"({"query":"deploy"})");
  REQUIRE(out.at("results").size() == 1);
  CHECK(out.at("results")[0].at("segment_id") == "new");
  CHECK_FALSE(out.at("results")[0].contains("superseded_by"));
  out = h.ok("context_search_stashed", R"({"query":"deploy","include_superseded":true})");
  REQUIRE(out.at("total_matches") == 2);
  for (const Json& r : out.at("results")) {
    CHECK(r.contains("superseded_by") == (r.at("segment_id") == "old"));
  }
  // Still retrievable by id, with the link.
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["old"]})").at("segments")[0].at("superseded_by") == "new");
  // Deleting the successor brings the old one back.
  (void)h.ok("context_delete", R"({"segment_ids":["new"],"tier":"stashed"})");
  out = h.ok("context_search_stashed", R"({"query":"deploy"})");
  REQUIRE(out.at("results").size() == 1);
  CHECK(out.at("results")[0].at("segment_id") == "old");
}
