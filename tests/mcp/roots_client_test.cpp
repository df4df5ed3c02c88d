// The roots/list plumbing of mcp::Server (mcp/roots_client.h) beyond mcp_resources_prompts.transcript:
// when the server asks, and that responses are matched by id.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fake_features.h"
#include "fake_tools.h"
#include "mcp/server.h"

namespace {

const char* kInitWithRoots =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"roots":{}},"clientInfo":{"name":"t","version":"1"}}})";
const char* kInitialized = R"({"jsonrpc":"2.0","method":"notifications/initialized"})";

}  // namespace

TEST_CASE("roots: the server asks only after the handshake and only a client that declared roots") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp_test::FakeFeatures features;
  mcp::Server server(mcp_test::make_features_config(features), registry, &features);
  REQUIRE(server.handle(kInitWithRoots).has_value());
  CHECK(server.take_outgoing().empty());  // not before notifications/initialized
  CHECK_FALSE(server.handle(kInitialized).has_value());
  const std::vector<std::string> sent = server.take_outgoing();
  REQUIRE(sent.size() == 1);
  CHECK(mcp_test::parse(sent[0]).at("method") == "roots/list");
  CHECK(server.take_outgoing().empty());  // taken once
  // A client without the capability is never asked.
  REQUIRE(server.handle(R"({"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})").has_value());
  CHECK_FALSE(server.handle(kInitialized).has_value());
  CHECK_FALSE(server.handle(R"({"jsonrpc":"2.0","method":"notifications/roots/list_changed"})").has_value());
  CHECK(server.take_outgoing().empty());
}

TEST_CASE("roots: without an on_roots listener the server never asks") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp_test::FakeFeatures features;
  mcp::Server server(mcp_test::make_config(), registry, &features);
  REQUIRE(server.handle(kInitWithRoots).has_value());
  CHECK_FALSE(server.handle(kInitialized).has_value());
  CHECK(server.take_outgoing().empty());
}

TEST_CASE("roots: a response is matched by id and type and used once") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp_test::FakeFeatures features;
  mcp::Server server(mcp_test::make_features_config(features), registry, &features);
  REQUIRE(server.handle(kInitWithRoots).has_value());
  CHECK_FALSE(server.handle(kInitialized).has_value());
  const std::string id = mcp_test::parse(server.take_outgoing().at(0)).at("id").get<std::string>();
  // The same id as a number is another id.
  CHECK_FALSE(server.handle(R"({"jsonrpc":"2.0","id":1,"result":{"roots":[{"uri":"file:///a"}]}})").has_value());
  CHECK(features.roots.empty());
  const std::string answer = R"({"jsonrpc":"2.0","id":")" + id + R"(","result":{"roots":[{"uri":"file:///b"},{"name":"no uri"}]}})";
  CHECK_FALSE(server.handle(answer).has_value());
  CHECK(features.roots == std::vector<std::string>{"file:///b"});
  features.roots.clear();
  CHECK_FALSE(server.handle(answer).has_value());  // already answered
  CHECK(features.roots.empty());
}
