#include "fake_tools.h"

#include <doctest/doctest.h>

#include <stdexcept>

namespace mcp_test {

using mcp::Json;

mcp::ToolRegistry make_registry() {
  mcp::ToolRegistry registry;
  const Json echo = Json::parse(R"({
    "name": "echo", "description": "Echoes text.",
    "inputSchema": {"type": "object", "additionalProperties": false, "required": ["text"],
      "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": 20, "description": "what to say"},
        "times": {"type": "integer", "minimum": 1, "maximum": 3}}},
    "outputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}})");
  REQUIRE(registry.add(echo, [](const Json& args) {
    std::string text;
    const std::string one = args.at("text").get<std::string>();
    const long long times = args.contains("times") ? args.at("times").get<long long>() : 1;
    for (long long i = 0; i < times; ++i) text += one;
    return mcp::ToolResult::success(Json{{"text", text}});
  }) == "");
  const Json store = Json::parse(R"({
    "name": "store_like", "description": "Shaped like context_store.",
    "inputSchema": {"type": "object", "additionalProperties": false, "required": ["segments"],
      "properties": {
        "segments": {"type": "array", "minItems": 1, "maxItems": 4, "items": {
          "type": "object", "additionalProperties": false, "required": ["text"],
          "properties": {
            "text": {"type": "string"},
            "segment_id": {"type": "string", "pattern": "^[a-z]+$"},
            "type": {"type": "string", "enum": ["message", "code", "log", "note", "decision",
                                                 "summary"]},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
            "line_range": {"type": "array", "items": {"type": "integer", "minimum": 1},
                           "minItems": 2, "maxItems": 2}}}},
        "options": {"type": "object", "properties": {"dry_run": {"type": "boolean"}}}}}})");
  REQUIRE(registry.add(store, [](const Json& args) {
    return mcp::ToolResult::success(Json{{"count", args.at("segments").size()}});
  }) == "");
  const Json fail = Json::parse(R"({"name": "fail", "inputSchema": {"type": "object"}})");
  REQUIRE(registry.add(fail, [](const Json&) {
    return mcp::ToolResult::failure("NOT_FOUND", "no stashed segment 'x'; search first");
  }) == "");
  const Json boom = Json::parse(R"({"name": "boom", "inputSchema": {"type": "object"}})");
  REQUIRE(registry.add(boom, [](const Json&) -> mcp::ToolResult {
    throw std::runtime_error("kaboom");
  }) == "");
  return registry;
}

mcp::ServerConfig make_config() {
  mcp::ServerConfig config;
  config.name = "ooc-test";
  config.title = "ooc test server";
  config.version = "1.2.3";
  config.instructions = "Use the echo tool.";
  return config;
}

Json parse(const std::string& line) {
  Json value = Json::parse(line, nullptr, false);
  REQUIRE_FALSE(value.is_discarded());
  return value;
}

}  // namespace mcp_test

namespace mcp_test {

ServerFixture::ServerFixture(mcp::ServerConfig config)
    : registry(make_registry()), server(std::move(config), registry) {}

Json ServerFixture::send(const std::string& line) {
  std::optional<std::string> reply = server.handle(line);
  REQUIRE(reply.has_value());
  CHECK(reply->find('\n') == std::string::npos);
  return parse(*reply);
}

bool ServerFixture::silent(const std::string& line) { return !server.handle(line).has_value(); }

std::string ServerFixture::initialize(const std::string& version) {
  const Json reply = send(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{)"
                          R"("protocolVersion":")" + version +
                          R"(","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
  return reply.at("result").at("protocolVersion").get<std::string>();
}

}  // namespace mcp_test
