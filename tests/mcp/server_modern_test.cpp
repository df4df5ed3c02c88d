#include <doctest/doctest.h>

#include "fake_tools.h"
#include "mcp/server.h"

using mcp::Json;
using mcp_test::ServerFixture;

namespace {

const char* kMeta =
    R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
    R"("io.modelcontextprotocol/clientCapabilities":{}})";

std::string modern(const std::string& method, const std::string& params_rest = "") {
  return R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":{)" + kMeta +
         (params_rest.empty() ? "" : "," + params_rest) + "}}";
}

const Json kServerInfo =
    Json::parse(R"({"name":"ooc-test","title":"ooc test server","version":"1.2.3"})");

}  // namespace

TEST_CASE("server: server/discover lists every version, capabilities and cache hints") {
  ServerFixture f;
  CHECK(f.send(modern("server/discover")).at("result") == Json::parse(R"({
      "supportedVersions":["2026-07-28","2025-11-25","2025-06-18","2025-03-26","2024-11-05"],
      "capabilities":{"tools":{"listChanged":false}},
      "instructions":"Use the echo tool.",
      "resultType":"complete","ttlMs":3600000,"cacheScope":"public",
      "_meta":{"io.modelcontextprotocol/serverInfo":
               {"name":"ooc-test","title":"ooc test server","version":"1.2.3"}}})"));
}

TEST_CASE("server: server/discover without _meta is answered as a discovery") {
  ServerFixture f;
  const Json result =
      f.send(R"({"jsonrpc":"2.0","id":"d","method":"server/discover"})").at("result");
  CHECK(result.at("supportedVersions").at(0) == "2026-07-28");
  CHECK(result.at("resultType") == "complete");
}

TEST_CASE("server: a modern tools/list carries resultType, serverInfo and cache hints") {
  ServerFixture f;
  const Json result = f.send(modern("tools/list")).at("result");
  CHECK(result.at("tools").size() == 4);
  CHECK(result.at("resultType") == "complete");
  CHECK(result.at("ttlMs") == 3600000);
  CHECK(result.at("cacheScope") == "public");
  CHECK(result.at("_meta").at("io.modelcontextprotocol/serverInfo") == kServerInfo);
}

TEST_CASE("server: a modern tools/call result carries resultType and serverInfo only") {
  ServerFixture f;
  const Json result =
      f.send(modern("tools/call", R"("name":"echo","arguments":{"text":"hi"})")).at("result");
  CHECK(result.at("structuredContent") == Json{{"text", "hi"}});
  CHECK(result.at("resultType") == "complete");
  CHECK(result.at("_meta").at("io.modelcontextprotocol/serverInfo") == kServerInfo);
  CHECK_FALSE(result.contains("ttlMs"));
}

TEST_CASE("server: an unsupported modern version gets -32022 with supported and requested") {
  ServerFixture f;
  const Json reply = f.send(
      R"({"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_meta":{)"
      R"("io.modelcontextprotocol/protocolVersion":"2030-01-01",)"
      R"("io.modelcontextprotocol/clientCapabilities":{}}}})");
  CHECK(reply.at("id") == 4);
  CHECK(reply.at("error").at("code") == -32022);
  CHECK(reply.at("error").at("data") ==
        Json::parse(R"({"supported":["2026-07-28"],"requested":"2030-01-01"})"));
}

TEST_CASE("server: a modern request without clientCapabilities gets -32602") {
  ServerFixture f;
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_meta":{)"
                            R"("io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})");
  CHECK(reply.at("error").at("code") == -32602);
}

TEST_CASE("server: ping, logging/setLevel and initialize are -32601 in modern mode") {
  ServerFixture f;
  CHECK(f.send(modern("ping")).at("error").at("code") == -32601);
  CHECK(f.send(modern("logging/setLevel", R"("level":"info")")).at("error").at("code") ==
        -32601);
  CHECK(f.send(modern("initialize")).at("error").at("code") == -32601);
}

TEST_CASE("server: modern errors keep the JSON-RPC shape without resultType") {
  ServerFixture f;
  const Json reply = f.send(modern("tools/call", R"("name":"nope")"));
  CHECK(reply.at("error").at("code") == -32602);
  CHECK_FALSE(reply.contains("result"));
}

TEST_CASE("server: modern requests leave the legacy session untouched") {
  ServerFixture f;
  f.initialize("2025-06-18");
  CHECK(f.send(modern("tools/list")).contains("result"));
  CHECK(f.server.negotiated_version() == "2025-06-18");
  CHECK(f.send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})").at("result") == Json::object());
}
