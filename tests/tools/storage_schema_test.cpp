#include <doctest/doctest.h>

#include "mcp/json.h"
#include "mcp/tool_registry.h"
#include "schemas/embedded_schemas.h"
#include "tests/support/temp_dir.h"
#include "tests/tools/tool_test_support.h"

using mcp::Json;

namespace {

// Validates `document` against schemas/storage.schema.json with valijson, through a registry
// whose only tool takes the snapshot as its arguments. Returns the error text ("" when valid).
std::string validate_snapshot(const Json& document) {
  mcp::ToolRegistry registry;
  Json descriptor = {{"name", "snapshot"}, {"inputSchema", Json::parse(schemas::storage_schema())}};
  REQUIRE(registry.add(descriptor, [](const Json&) { return mcp::ToolResult::success(Json::object()); }) == "");
  std::optional<Json> result = registry.call("snapshot", document);
  REQUIRE(result.has_value());
  return result->value("isError", false) ? result->at("content").at(0).at("text").get<std::string>() : "";
}

}  // namespace

TEST_CASE("storage.schema.json: a compacted snapshot with every field validates") {
  tools_test::ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[
      {"segment_id":"full","text":"t","type":"code","task_id":"k","file_path":"a/b.cpp","line_range":[1,2],
       "tags":["x","y"],"topic_id":"o","pinned":true,"tokens":3,"metadata":{"n":1,"s":"x","b":true,"d":0.5}},
      {"segment_id":"bare","text":"u"}]})");
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"newer","text":"w","supersedes":["bare"]}]})");
  (void)h.ok("context_stash", R"({"project_id":"second","segments":[{"text":"v"}]})");
  REQUIRE(h.store().compact().ok());
  const Json snapshot = Json::parse(testing::read_text(h.storage_path()), nullptr, false);
  REQUIRE_FALSE(snapshot.is_discarded());
  CHECK(validate_snapshot(snapshot) == "");
  const Json& segments = snapshot.at("projects").at("proj").at("segments");
  CHECK(segments.at(0).at("superseded_by") == "newer");  // bare
  CHECK(segments.at(0).at("revision") == 2);
  CHECK(segments.at(1).at("metadata").at("d") == 0.5);   // full
  CHECK(segments.at(2).at("supersedes") == Json::array({"bare"}));  // newer
  // Nested metadata is not the format.
  Json nested = snapshot;
  nested["projects"]["proj"]["segments"][1]["metadata"]["n"] = Json::object();
  CHECK(validate_snapshot(nested) != "");
}

TEST_CASE("storage.schema.json: rejects a wrong version, a bad id and a missing field") {
  CHECK(validate_snapshot(Json::parse(R"({"version":"2.0","journal_seq":0,"projects":{}})")) != "");
  CHECK(validate_snapshot(Json::parse(R"({"version":"1.0","journal_seq":0,"projects":{"p":{"segments":[
      {"segment_id":"bad id","text":"t","type":"note","project_id":"p","tags":[],"created_at":"2026-01-01T00:00:00.000Z",
       "last_touched_at":"2026-01-01T00:00:00.000Z","pinned":false,"generation":"young","gc_survival_count":0,
       "refcount":0,"tokens":1,"tier":"stashed"}],"indexes":{"by_task":{},"by_file":{},"by_tag":{}}}}})")) != "");
  CHECK(validate_snapshot(Json::parse(R"({"version":"1.0","projects":{}})")) != "");
  CHECK(validate_snapshot(Json::parse(R"({"version":"1.0","journal_seq":0,"projects":{}})")) == "");
}

TEST_CASE("storage.schema.json: a snapshot with a session's working segments and a root path validates") {
  testing::TempDir dir;
  const std::string path = dir.file("storage.json");
  storage::StoreOptions options;
  options.path = path;
  options.sync = storage::SyncMode::kNever;
  options.session_id = "s-20260101T000000-abcdef";
  auto store = storage::Store::open(options);
  storage::SegmentDraft d;
  d.segment_id = "w";
  d.text = "in the working set";
  std::vector<storage::SegmentDraft> drafts{d};
  REQUIRE(store->store_segments("p", drafts).ok());
  REQUIRE(store->claim_project("p", "/home/u/p").ok());
  REQUIRE(store->compact().ok());
  Json snapshot = Json::parse(testing::read_text(path), nullptr, false);
  REQUIRE_FALSE(snapshot.is_discarded());
  REQUIRE(snapshot["projects"]["p"].contains("working"));
  CHECK(snapshot["projects"]["p"]["root_path"] == "/home/u/p");
  CHECK(validate_snapshot(snapshot) == "");
  snapshot["projects"]["p"]["working"][0].erase("session_id");
  CHECK(validate_snapshot(snapshot) != "");
  snapshot["projects"]["p"]["working"][0]["session_id"] = "s-1";
  snapshot["projects"]["p"]["segments"] = snapshot["projects"]["p"]["working"];  // a working segment among stashed ones
  CHECK(validate_snapshot(snapshot) != "");
}
