#include <doctest/doctest.h>

#include "fake_tools.h"
#include "mcp/tool_registry.h"

using mcp::Json;

namespace {

std::string error_text(const Json& result) {
  REQUIRE(result.value("isError", false));
  return result.at("content").at(0).at("text").get<std::string>();
}

Json call(const mcp::ToolRegistry& registry, const char* name, const char* args) {
  std::optional<Json> result = registry.call(name, Json::parse(args));
  REQUIRE(result.has_value());
  return *result;
}

}  // namespace

TEST_CASE("registry: descriptors are sorted by name whatever the order of add") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  std::vector<std::string> names;
  for (const Json& d : registry.descriptors()) names.push_back(d.at("name").get<std::string>());
  CHECK(names == std::vector<std::string>{"boom", "echo", "fail", "store_like"});
  CHECK(registry.has("echo"));
  CHECK_FALSE(registry.has("nope"));
}

TEST_CASE("registry: add rejects a missing name, a duplicate and a non-object inputSchema") {
  mcp::ToolRegistry registry = mcp_test::make_registry();
  auto ok = [](const Json&) { return mcp::ToolResult::success(Json::object()); };
  CHECK(registry.add(Json::parse(R"({"inputSchema":{"type":"object"}})"), ok) ==
        "tool descriptor needs a non-empty string \"name\"");
  CHECK(registry.add(Json::parse(R"({"name":"echo","inputSchema":{"type":"object"}})"), ok) ==
        "duplicate tool name 'echo'");
  CHECK(registry.add(Json::parse(R"({"name":"x","inputSchema":{"type":"array"}})"), ok) ==
        "tool 'x': inputSchema must be a schema with \"type\": \"object\"");
  CHECK(registry.add(Json::parse(R"({"name":"y","inputSchema":{"type":"object"},
                                    "outputSchema":{"type":"string"}})"),
                     ok) == "tool 'y': outputSchema must be a schema with \"type\": \"object\"");
}

TEST_CASE("registry: add reports a schema valijson cannot load") {
  mcp::ToolRegistry registry;
  const std::string error = registry.add(
      Json::parse(R"({"name":"z","inputSchema":{"type":"object","required":"text"}})"),
      [](const Json&) { return mcp::ToolResult::success(Json::object()); });
  CHECK(error.rfind("tool 'z': inputSchema cannot be loaded: ", 0) == 0);
}

TEST_CASE("registry: a success mirrors structuredContent as compact JSON text") {
  const Json result = call(mcp_test::make_registry(), "echo", R"({"text":"hi","times":2})");
  CHECK(result == Json::parse(R"({"content":[{"type":"text","text":"{\"text\":\"hihi\"}"}],
                                  "structuredContent":{"text":"hihi"}})"));
}

TEST_CASE("registry: a domain failure becomes an isError result with CODE: message") {
  const Json result = call(mcp_test::make_registry(), "fail", "{}");
  CHECK(result == Json::parse(R"({"content":[{"type":"text",
      "text":"NOT_FOUND: no stashed segment 'x'; search first"}],"isError":true})"));
}

TEST_CASE("registry: an exception escaping a handler becomes internal error in <tool>") {
  const Json result = call(mcp_test::make_registry(), "boom", "{}");
  CHECK(error_text(result) ==
        "INTERNAL_ERROR: internal error in boom (a bug in ooc; details are in the server log "
        "on stderr)");
}

TEST_CASE("registry: an unknown tool gives nullopt") {
  CHECK_FALSE(mcp_test::make_registry().call("nope", Json::object()).has_value());
}

TEST_CASE("registry: an enum violation names the path and the allowed values") {
  const Json result = call(mcp_test::make_registry(), "store_like",
                           R"({"segments":[{"text":"a"},{"text":"b"},{"text":"c","type":"memo"}]})");
  CHECK(error_text(result) ==
        "INVALID_ARGUMENT: segments[2].type: must be one of message, code, log, note, decision, "
        "summary (see the tool's inputSchema; fix the arguments and retry)");
}

TEST_CASE("registry: a missing required property is named with its full path") {
  const Json result = call(mcp_test::make_registry(), "store_like", R"({"segments":[{}]})");
  CHECK(error_text(result).rfind("INVALID_ARGUMENT: segments[0].text: is required (", 0) == 0);
}

TEST_CASE("registry: an unknown property is named and the allowed ones are listed") {
  const Json result = call(mcp_test::make_registry(), "echo", R"({"text":"a","colour":"red"})");
  CHECK(error_text(result).rfind(
            "INVALID_ARGUMENT: colour: unknown property; allowed properties are text, times (",
            0) == 0);
}

TEST_CASE("registry: type, bounds, length, pattern and uniqueness get their own reasons") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  auto first = [&](const char* tool, const char* args) {
    const std::string text = error_text(call(registry, tool, args));
    return text.substr(0, text.find(" (see the tool"));
  };
  CHECK(first("echo", R"({"text":5})") == "INVALID_ARGUMENT: text: must be a string, got number");
  CHECK(first("echo", R"({"text":""})") == "INVALID_ARGUMENT: text: must not be empty");
  CHECK(first("echo", R"({"text":"aaaaaaaaaaaaaaaaaaaaaaaaa"})") ==
        "INVALID_ARGUMENT: text: must be at most 20 characters long");
  CHECK(first("echo", R"({"text":"a","times":9})") == "INVALID_ARGUMENT: times: must be at most 3");
  CHECK(first("echo", R"({"text":"a","times":0})") ==
        "INVALID_ARGUMENT: times: must be at least 1");
  CHECK(first("store_like", R"({"segments":[{"text":"a","segment_id":"A1"}]})") ==
        "INVALID_ARGUMENT: segments[0].segment_id: must match the pattern ^[a-z]+$");
  CHECK(first("store_like", R"({"segments":[{"text":"a","tags":["x","x"]}]})") ==
        "INVALID_ARGUMENT: segments[0].tags: must not contain duplicate items");
  CHECK(first("store_like", R"({"segments":[]})") ==
        "INVALID_ARGUMENT: segments: must have at least 1 item(s)");
  CHECK(first("store_like", R"({"segments":[{"text":"a","line_range":[0,2]}]})") ==
        "INVALID_ARGUMENT: segments[0].line_range[0]: must be at least 1");
}

TEST_CASE("registry: at most three problems are reported, deepest first") {
  const Json result = call(mcp_test::make_registry(), "store_like",
                           R"({"x":1,"segments":[{"type":"memo","tags":[1],"text":2,"y":0}]})");
  const std::string text = error_text(result);
  CHECK(text.rfind("INVALID_ARGUMENT: segments[0].tags[0]: must be a string, got number; ", 0) ==
        0);
  CHECK(text.find("more problems)") != std::string::npos);
}

TEST_CASE("registry: stringified arrays and objects are parsed once before validation") {
  const Json result = call(mcp_test::make_registry(), "store_like",
                           R"({"segments":"[{\"text\":\"a\",\"tags\":\"[\\\"t\\\"]\"}]",
                               "options":"{\"dry_run\":true}"})");
  CHECK(result.at("structuredContent") == Json{{"count", 1}});
}

TEST_CASE("registry: a string that is not JSON stays a string and fails validation") {
  const Json result = call(mcp_test::make_registry(), "store_like", R"({"segments":"oops"})");
  CHECK(error_text(result).rfind("INVALID_ARGUMENT: segments: must be an array, got string", 0) ==
        0);
}

TEST_CASE("registry: a string where the schema wants a string is never parsed") {
  const Json result = call(mcp_test::make_registry(), "echo", R"({"text":"[1]"})");
  CHECK(result.at("structuredContent") == Json{{"text", "[1]"}});
}

namespace {

// One tool whose reply carries a summary (like every ooc tool) and echoes what it was given.
mcp::ToolRegistry summarizing_registry(Json summary) {
  mcp::ToolRegistry registry;
  const Json descriptor = Json::parse(R"({"name": "sum", "inputSchema": {"type": "object",
      "additionalProperties": false, "properties": {
        "ids": {"type": "array", "items": {"type": "string"}},
        "limit": {"type": "integer", "minimum": 1, "maximum": 50},
        "dry_run": {"type": "boolean"}}}})");
  REQUIRE(registry.add(descriptor, [summary](const Json& args) {
    return mcp::ToolResult::success(Json{{"summary", summary}, {"args", args}});
  }) == "");
  return registry;
}

}  // namespace

TEST_CASE("registry: normalized arguments reach the handler and the summary says so") {
  const Json result = call(summarizing_registry("Done."), "sum",
                           R"({"ids":"a","limit":"5","dry_run":"false"})");
  const Json& structured = result.at("structuredContent");
  CHECK(structured.at("args") == Json::parse(R"({"ids":["a"],"limit":5,"dry_run":false})"));
  CHECK(structured.at("summary") ==
        "Done. Normalized: dry_run \"false\" → false; ids \"a\" → [\"a\"]; limit \"5\" → 5.");
  CHECK(result.at("content").at(0).at("text") == mcp::dump_compact(structured));
}

TEST_CASE("registry: precise arguments and a summary that is not a string are left alone") {
  const Json precise = call(summarizing_registry("Done."), "sum", R"({"ids":["a"],"limit":5})");
  CHECK(precise.at("structuredContent").at("summary") == "Done.");
  const Json odd = call(summarizing_registry(Json(7)), "sum", R"({"limit":"5"})");
  CHECK(odd.at("structuredContent").at("summary") == 7);
  CHECK(odd.at("structuredContent").at("args").at("limit") == 5);
}

TEST_CASE("registry: strings that are not a slip keep today's INVALID_ARGUMENT messages") {
  const mcp::ToolRegistry registry = summarizing_registry("Done.");
  auto first = [&](const char* args) {
    const std::string text = error_text(call(registry, "sum", args));
    return text.substr(0, text.find(" (see the tool"));
  };
  CHECK(first(R"({"limit":"5x"})") == "INVALID_ARGUMENT: limit: must be an integer, got string");
  CHECK(first(R"({"dry_run":"yes"})") ==
        "INVALID_ARGUMENT: dry_run: must be a boolean, got string");
  CHECK(first(R"({"ids":5})") == "INVALID_ARGUMENT: ids: must be an array, got number");
  CHECK(first(R"({"ids":{"a":1}})") == "INVALID_ARGUMENT: ids: must be an array, got object");
  CHECK(first(R"({"limit":"500"})") == "INVALID_ARGUMENT: limit: must be at most 50");
  CHECK(first(R"({"ids":[5]})") == "INVALID_ARGUMENT: ids[0]: must be a string, got number");
}
