#include <doctest/doctest.h>

#include <set>

#include "mcp/json.h"
#include "schemas/embedded_schemas.h"
#include "tests/tools/tool_test_support.h"

using mcp::Json;

namespace {

// Every property of every object schema (recursively) has a description, or is a nested
// property whose parent describes it; every array has maxItems and every string a bound.
void check_bounds(const Json& schema, const std::string& where) {
  if (schema.value("type", "") == "array") CHECK_MESSAGE(schema.contains("maxItems"), where);
  if (schema.value("type", "") == "string") {
    CHECK_MESSAGE((schema.contains("maxLength") || schema.contains("pattern")), where);
  }
  if (schema.contains("items")) check_bounds(schema.at("items"), where + "[]");
  if (schema.contains("properties")) {
    for (const auto& [name, property] : schema.at("properties").items()) check_bounds(property, where + "." + name);
  }
}

}  // namespace

TEST_CASE("tool descriptors: the whole tools/list array stays within 10 KB") {
  tools_test::ToolHarness h;
  Json tools = Json::array();
  for (const Json& descriptor : h.registry().descriptors()) tools.push_back(descriptor);  // as tools/list shows them
  const size_t bytes = mcp::dump_compact(tools).size();
  MESSAGE("tools/list tools array: " << bytes << " bytes");
  CHECK(bytes <= 10240);  // DESIGN §9
  CHECK(mcp::dump_compact(tools).find("x-listed") == std::string::npos);
}

TEST_CASE("tool descriptors: complete, bounded and truthfully annotated") {
  const std::set<std::string> read_only = {"context_get_working_set", "context_list_projects", "context_primer",
                                           "context_search_stashed"};
  std::vector<std::string> names;
  for (const schemas::EmbeddedSchema& schema : schemas::tool_descriptors()) {
    const Json d = Json::parse(schema.json);
    const std::string name = d.at("name").get<std::string>();
    INFO(name);
    names.push_back(name);
    CHECK(name == schema.name);
    CHECK(d.at("title").is_string());
    CHECK(d.at("description").get<std::string>().size() <= 200);
    const Json& input = d.at("inputSchema");
    CHECK(input.at("type") == "object");
    CHECK(input.at("additionalProperties") == false);
    for (const auto& item : input.at("properties").items()) {
      CHECK_MESSAGE(item.value().contains("description"), item.key());
    }
    CHECK(input.at("properties").contains("project_id"));
    check_bounds(input, name);
    CHECK(d.at("outputSchema").at("type") == "object");
    CHECK(d.at("outputSchema").at("required") == Json::array({"summary"}));
    const Json& annotations = d.at("annotations");
    CHECK(annotations.value("readOnlyHint", false) == (read_only.count(name) > 0));
    CHECK(annotations.at("openWorldHint") == false);
    if (!read_only.count(name)) {
      CHECK(annotations.at("destructiveHint") == (name == "context_delete"));
      CHECK(annotations.value("idempotentHint", false) == (name != "context_stash" && name != "context_edit"));
    }
  }
  CHECK(names == std::vector<std::string>{"context_delete", "context_edit", "context_get_working_set", "context_list_projects",
                                          "context_primer", "context_retrieve_stashed", "context_search_stashed", "context_stash",
                                          "context_store"});
}

TEST_CASE("register_tools: every descriptor has a handler and the registry lists all nine") {
  tools_test::ToolHarness h;
  CHECK(h.registry().descriptors().size() == 9);
  for (const schemas::EmbeddedSchema& schema : schemas::tool_descriptors()) CHECK(h.registry().has(schema.name));
}

TEST_CASE("register_tools: a second registration reports the duplicates instead of starting") {
  tools_test::ToolHarness h;
  mcp::ToolRegistry registry;
  tools::ToolContext ctx{h.store(), "proj"};
  REQUIRE(tools::register_tools(registry, ctx).ok());
  const storage::Status again = tools::register_tools(registry, ctx);
  CHECK(again.code() == storage::Status::Code::kInvalidArgument);
  CHECK(again.message().find("duplicate") != std::string::npos);
}
