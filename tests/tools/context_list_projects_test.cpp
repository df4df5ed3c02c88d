#include <doctest/doctest.h>

#include "tests/tools/tool_test_support.h"

using tools_test::contains;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

TEST_CASE("context_list_projects: counts per project, the default project and the store files") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"a","text":"A","tokens":10}]})");
  (void)h.ok("context_store", R"({"project_id":"beta","segments":[{"text":"B","tokens":7}]})");
  Json out = h.ok("context_list_projects", R"({})");
  REQUIRE(out.at("projects").size() == 2);
  const Json& beta = out.at("projects")[0];
  CHECK(beta.at("project_id") == "beta");
  CHECK(beta.at("active_count") == 1);
  CHECK(beta.at("active_tokens") == 7);
  const Json& proj = out.at("projects")[1];
  CHECK(proj.at("stashed_count") == 1);
  CHECK(proj.at("stashed_tokens") == 10);
  CHECK(proj.at("last_updated") == "2026-01-01T00:00:00.000Z");
  CHECK(out.at("default_project") == "proj");
  CHECK(out.at("store").at("path") == h.store_location());
  CHECK(starts_with(out.at("summary").get<std::string>(), "2 projects; default project 'proj'. Store " + h.store_location()));
  Json only = h.ok("context_list_projects", R"({"project_id":"beta"})");
  CHECK(only.at("projects").size() == 1);
  CHECK(contains(only.at("summary").get<std::string>(), "1 project matching 'beta'"));
  CHECK(starts_with(h.error("context_list_projects", R"({"verbose":true})"), "INVALID_ARGUMENT: "));
}

TEST_CASE("context_list_projects: an empty store lists nothing") {
  ToolHarness h;
  Json out = h.ok("context_list_projects", R"({})");
  CHECK(out.at("projects").empty());
  CHECK(starts_with(out.at("summary").get<std::string>(), "0 projects; default project 'proj'."));
}

TEST_CASE("context_list_projects: two directories with one name are two projects, each with its root path") {
  ToolHarness h;
  auto first = h.store().claim_project("api", "/work/one/api");
  auto second = h.store().claim_project("api", "/work/two/api");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first == "api");
  CHECK(*second == "api-two");
  (void)h.ok("context_stash", R"({"project_id":"api","segments":[{"text":"A"}]})");
  (void)h.ok("context_stash", R"({"project_id":"api-two","segments":[{"text":"B"}]})");
  Json out = h.ok("context_list_projects", R"({})");
  REQUIRE(out.at("projects").size() == 2);
  CHECK(out.at("projects")[0].at("root_path") == "/work/one/api");
  CHECK(out.at("projects")[1].at("root_path") == "/work/two/api");
}
