// Schema vs decoder, for every tool (STYLE.md "Declaring a tool", point 4). For each property of
// each tool's inputSchema (recursively through objects and array items) the test builds the
// smallest arguments that use it, checks that the schema accepts them, and that the tool's decoder
// accepts them too. The decoder logs every member it looks up (tools/fields.h), so the test also
// proves the reverse: the decoder reads no property its schema lacks (context_search_stashed's
// decoder read filters.topic_id, which its schema did not declare, so the validator refused what
// context_stash took). Finally an unknown property on every object is refused by the tool, and the
// shared shapes are one schema wherever they are used.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "mcp/argument_validator.h"
#include "schemas/embedded_schemas.h"
#include "tests/tools/tool_test_support.h"
#include "tools/register_tools.h"

using mcp::Json;

namespace {

// A property path as tokens: "segments", "[]", "text" is segments[].text.
using Path = std::vector<std::string>;

// "segments[].text" (schema path, as tools/fields.h logs it) or, with `index` "[0]", the path of
// the first item as error messages name it.
std::string to_string(const Path& path, const std::string& index = "[]") {
  std::string out;
  for (const std::string& token : path) {
    if (token != "[]" && !out.empty()) out += ".";
    out += token == "[]" ? index : token;
  }
  return out;
}

bool has_type(const Json& schema, const char* type) { return schema.value("type", "") == type; }

// Domain values the schema cannot express (tools/fields.h read_date).
Json scalar_sample(const std::string& name, const Json& schema) {
  if (schema.contains("enum")) return schema.at("enum").at(0);
  if (has_type(schema, "boolean")) return true;
  if (has_type(schema, "integer")) return std::max<int64_t>(schema.value("minimum", int64_t{1}), 1);
  if (name == "created_after" || name == "created_before") return "2026-01-01T00:00:00Z";
  return "a";
}

// The smallest value of `schema` that uses the property at `rest` (empty: only what is required).
Json build(const std::string& name, const Json& schema, const Path& rest) {
  if (has_type(schema, "object")) {
    Json out = Json::object();
    const Json properties = schema.value("properties", Json::object());
    for (const Json& required : schema.value("required", Json::array())) {
      const std::string key = required.get<std::string>();
      out[key] = build(key, properties.at(key), {});
    }
    if (!rest.empty()) {
      const Path deeper(rest.begin() + 1, rest.end());
      const Json& child = properties.contains(rest[0]) ? properties.at(rest[0]) : Json::object();
      out[rest[0]] = child.empty() ? Json(1) : build(rest[0], child, deeper);  // {} : an unknown member
    }
    return out;
  }
  if (has_type(schema, "array")) {
    const Path deeper = rest.empty() ? Path{} : Path(rest.begin() + 1, rest.end());
    Json out = Json::array();
    const size_t count = std::max<size_t>(schema.value("minItems", size_t{1}), 1);
    for (size_t i = 0; i < count; ++i) out.push_back(build(name, schema.at("items"), i == 0 ? deeper : Path{}));
    return out;
  }
  return scalar_sample(name, schema);
}

// Every property path of an object schema, and every object schema's path (for unknown members).
void walk(const Json& schema, const Path& at, std::vector<Path>& properties, std::vector<Path>& objects) {
  if (has_type(schema, "array") && schema.contains("items")) {
    Path items = at;
    items.push_back("[]");
    walk(schema.at("items"), items, properties, objects);
    return;
  }
  if (!has_type(schema, "object")) return;
  // An object without properties is a map of the client's own keys (metadata): its keys are data,
  // so an unknown one is no error.
  if (!schema.contains("properties")) return;
  objects.push_back(at);
  const Json properties_json = schema.value("properties", Json::object());
  for (auto it = properties_json.begin(); it != properties_json.end(); ++it) {
    Path child = at;
    child.push_back(it.key());
    properties.push_back(child);
    walk(it.value(), child, properties, objects);
  }
}

struct Tool {
  const tools::ToolBinding* binding = nullptr;
  Json input_schema;
};

std::vector<Tool> every_tool() {
  std::vector<Tool> out;
  for (const tools::ToolBinding& binding : tools::tool_bindings()) {
    for (const schemas::EmbeddedSchema& schema : schemas::tool_descriptors()) {
      if (schema.name == binding.name) out.push_back({&binding, Json::parse(schema.json).at("inputSchema")});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("tool contract: every decoder accepts exactly the properties its inputSchema declares") {
  const std::vector<Tool> tools = every_tool();
  REQUIRE(tools.size() == tools::tool_bindings().size());
  for (const Tool& tool : tools) {
    const std::string name(tool.binding->name);
    std::string error;
    auto validator = mcp::ArgumentValidator::compile(tool.input_schema, error);
    REQUIRE_MESSAGE(validator != nullptr, name << ": " << error);
    std::vector<Path> properties, objects;
    walk(tool.input_schema, {}, properties, objects);
    std::set<std::string> declared;
    tools::FieldLog read;
    properties.insert(properties.begin(), Path{});  // the minimal arguments alone
    for (const Path& path : properties) {
      if (!path.empty()) declared.insert(to_string(path));
      const Json args = build("", tool.input_schema, path);
      const std::string args_text = mcp::dump_compact(args);
      INFO(name << " " << args_text);
      const std::vector<std::string> problems = validator->validate(args);
      CHECK_MESSAGE(problems.empty(), "the schema refuses its own example: " << (problems.empty() ? "" : problems[0]));
      const storage::Status decoded = tool.binding->decode_only(args, &read);
      CHECK_MESSAGE(decoded.ok(), "the decoder refuses what the schema allows: " << decoded.message());
    }
    for (const std::string& path : declared) {
      CHECK_MESSAGE(read.count(path) == 1, name << ": the schema declares " << path << " but the decoder never reads it");
    }
    for (const std::string& path : read) {
      CHECK_MESSAGE(declared.count(path) == 1, name << ": the decoder reads " << path
                                                    << " but the schema does not declare it");
    }
  }
}

TEST_CASE("tool contract: every tool refuses an unknown property on each of its objects") {
  tools_test::ToolHarness h;
  for (const Tool& tool : every_tool()) {
    const std::string name(tool.binding->name);
    std::vector<Path> properties, objects;
    walk(tool.input_schema, {}, properties, objects);
    for (Path path : objects) {
      path.push_back("x_unknown");
      const Json args = build("", tool.input_schema, path);
      INFO(name << " " << mcp::dump_compact(args));
      const std::string where = to_string(path, "[0]");
      CHECK(tools_test::starts_with(h.error(name, args), "INVALID_ARGUMENT: " + where + ": unknown property"));
    }
  }
}

TEST_CASE("tool contract: filters and segment drafts have one schema in every tool that takes them") {
  // The shared fragments of schemas/fragments/, as spliced into each descriptor; each use keeps
  // its own description.
  // (and its brief tools/list form, mcp/tool_registry.h "x-listed").
  const auto without_description = [](Json schema) {
    schema.erase("description");
    schema.erase("x-listed");
    return schema;
  };
  Json filters, drafts;
  size_t filter_users = 0, draft_users = 0;
  for (const Tool& tool : every_tool()) {
    const Json properties = tool.input_schema.at("properties");
    INFO(tool.binding->name);
    if (properties.contains("filters")) {
      const Json schema = without_description(properties.at("filters"));
      if (filter_users++ == 0) filters = schema;
      CHECK(schema == filters);
    }
    if (properties.contains("segments")) {
      const Json schema = without_description(properties.at("segments").at("items"));
      if (draft_users++ == 0) drafts = schema;
      CHECK(schema == drafts);
    }
  }
  CHECK(filter_users == 2);  // context_search_stashed, context_stash
  CHECK(draft_users == 2);   // context_stash, context_store
  CHECK(filters.at("properties").contains("topic_id"));
  CHECK(filters.value("additionalProperties", true) == false);
  CHECK(drafts.value("additionalProperties", true) == false);
}
