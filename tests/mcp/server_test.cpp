#include "mcp/server.h"

#include <doctest/doctest.h>

#include "fake_tools.h"

using mcp::Json;
using mcp_test::ServerFixture;

namespace {

int error_code(const Json& reply) { return reply.at("error").at("code").get<int>(); }

}  // namespace

TEST_CASE("server: a line that is not JSON gets -32700 without an id") {
  ServerFixture f;
  const Json reply = f.send("{\"jsonrpc\":\"2.0\",");
  CHECK(error_code(reply) == -32700);
  CHECK_FALSE(reply.contains("id"));
  CHECK(reply.at("jsonrpc") == "2.0");
}

TEST_CASE("server: a blank line gets no reply") {
  ServerFixture f;
  CHECK(f.silent(""));
  CHECK(f.silent("  \r"));
}

TEST_CASE("server: a JSON value that is not an object gets -32600 without an id") {
  ServerFixture f;
  for (const char* line : {"42", "\"ping\"", "null", "true"}) {
    const Json reply = f.send(line);
    CHECK(error_code(reply) == -32600);
    CHECK_FALSE(reply.contains("id"));
  }
}

TEST_CASE("server: a wrong or missing jsonrpc member gets -32600 with the id echoed") {
  ServerFixture f;
  Json reply = f.send(R"({"jsonrpc":"1.0","id":7,"method":"ping"})");
  CHECK(error_code(reply) == -32600);
  CHECK(reply.at("id") == 7);
  reply = f.send(R"({"id":"a","method":"ping"})");
  CHECK(error_code(reply) == -32600);
  CHECK(reply.at("id") == "a");
}

TEST_CASE("server: a missing or non-string method gets -32600") {
  ServerFixture f;
  CHECK(error_code(f.send(R"({"jsonrpc":"2.0","id":1})")) == -32600);
  CHECK(error_code(f.send(R"({"jsonrpc":"2.0","id":1,"method":5})")) == -32600);
  // Not a valid notification either: still an invalid request, answered without an id.
  const Json reply = f.send(R"({"jsonrpc":"2.0","method":["x"]})");
  CHECK(error_code(reply) == -32600);
  CHECK_FALSE(reply.contains("id"));
}

TEST_CASE("server: null, object, array and fractional ids get -32600 without an id") {
  ServerFixture f;
  for (const char* id : {"null", "{}", "[1]", "1.5", "true"}) {
    const Json reply =
        f.send(std::string(R"({"jsonrpc":"2.0","method":"ping","id":)") + id + "}");
    CHECK(error_code(reply) == -32600);
    CHECK_FALSE(reply.contains("id"));
  }
}

TEST_CASE("server: ids are echoed with their exact type") {
  ServerFixture f;
  CHECK(f.send(R"({"jsonrpc":"2.0","id":"42","method":"ping"})").at("id") == "42");
  CHECK(f.send(R"({"jsonrpc":"2.0","id":42,"method":"ping"})").at("id") == 42);
  CHECK(f.send(R"({"jsonrpc":"2.0","id":-3,"method":"ping"})").at("id") == -3);
  CHECK(f.send(R"({"jsonrpc":"2.0","id":"","method":"ping"})").at("id") == "");
  const Json big = f.send(R"({"jsonrpc":"2.0","id":18446744073709551615,"method":"ping"})");
  CHECK(mcp::dump_compact(big.at("id")) == "18446744073709551615");
}

TEST_CASE("server: an unknown method gets -32601 with the id echoed") {
  ServerFixture f;
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":9,"method":"resources/list"})");
  CHECK(error_code(reply) == -32601);
  CHECK(reply.at("id") == 9);
  CHECK(reply.at("error").at("message") == "Method not found: resources/list");
}

TEST_CASE("server: notifications are never answered, known or unknown") {
  ServerFixture f;
  CHECK(f.silent(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  CHECK(f.silent(R"({"jsonrpc":"2.0","method":"notifications/cancelled",)"
                 R"("params":{"requestId":3,"reason":"timeout"}})"));
  CHECK(f.silent(R"({"jsonrpc":"2.0","method":"notifications/whatever","params":7})"));
  CHECK(f.silent(R"({"jsonrpc":"2.0","method":"tools/call"})"));
}

TEST_CASE("server: responses from the client are ignored") {
  ServerFixture f;
  CHECK(f.silent(R"({"jsonrpc":"2.0","id":1,"result":{}})"));
  CHECK(f.silent(R"({"jsonrpc":"2.0","id":1,"error":{"code":-1,"message":"x"}})"));
}

TEST_CASE("server: params that are not an object get -32602") {
  ServerFixture f;
  CHECK(error_code(f.send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":[]})")) ==
        -32602);
}

TEST_CASE("server: ping is answered before initialize") {
  ServerFixture f;
  CHECK(f.send(R"({"jsonrpc":"2.0","id":1,"method":"ping"})") ==
        Json::parse(R"({"jsonrpc":"2.0","id":1,"result":{}})"));
}

TEST_CASE("server: tools/list and tools/call work before initialize") {
  ServerFixture f;
  CHECK(f.send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})")
            .at("result")
            .at("tools")
            .size() == 4);
  CHECK(f.send(R"({"jsonrpc":"2.0","id":2,"method":"tools/call",)"
               R"("params":{"name":"echo","arguments":{"text":"x"}}})")
            .at("result")
            .at("structuredContent") == Json{{"text", "x"}});
}

TEST_CASE("server: initialize describes the server, its capabilities and instructions") {
  ServerFixture f;
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{)"
                            R"("protocolVersion":"2025-11-25","capabilities":{},)"
                            R"("clientInfo":{"name":"c","version":"1"}}})");
  CHECK(reply.at("result") == Json::parse(R"({"protocolVersion":"2025-11-25",
      "capabilities":{"tools":{"listChanged":false},"logging":{}},
      "serverInfo":{"name":"ooc-test","title":"ooc test server","version":"1.2.3"},
      "instructions":"Use the echo tool."})"));
}

TEST_CASE("server: initialize echoes each supported legacy revision") {
  for (const char* version : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    ServerFixture f;
    CHECK(f.initialize(version) == version);
    CHECK(f.server.negotiated_version() == version);
  }
}

TEST_CASE("server: initialize answers 2025-11-25 to unknown, future and modern versions") {
  for (const char* version : {"2099-12-31", "2024-10-07", "2026-07-28", "garbage"}) {
    ServerFixture f;
    CHECK(f.initialize(version) == "2025-11-25");
  }
  ServerFixture f;
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":1,"method":"initialize"})");
  CHECK(reply.at("result").at("protocolVersion") == "2025-11-25");
}

TEST_CASE("server: tools/call without a string name gets -32602") {
  ServerFixture f;
  CHECK(error_code(f.send(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}})")) ==
        -32602);
  CHECK(error_code(f.send(
            R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":3}})")) == -32602);
}

TEST_CASE("server: tools/call of an unknown tool gets -32602 naming it") {
  ServerFixture f;
  const Json reply =
      f.send(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}})");
  CHECK(error_code(reply) == -32602);
  CHECK(reply.at("error").at("message") ==
        "Unknown tool: 'nope'; call tools/list for the available tools");
}

TEST_CASE("server: tools/call arguments must be an object when present") {
  ServerFixture f;
  for (const char* args : {"[]", "\"{}\"", "null", "1"}) {
    const Json reply = f.send(std::string(R"({"jsonrpc":"2.0","id":1,"method":"tools/call",)") +
                              R"("params":{"name":"echo","arguments":)" + args + "}}");
    CHECK(error_code(reply) == -32602);
  }
}

TEST_CASE("server: tools/call without arguments validates an empty object") {
  ServerFixture f;
  const Json reply =
      f.send(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}})");
  CHECK(reply.at("result").at("isError") == true);
  CHECK(reply.at("result").at("content").at(0).at("text").get<std::string>().rfind(
            "INVALID_ARGUMENT: text: is required", 0) == 0);
}

TEST_CASE("server: a throwing tool yields an isError result and the server keeps serving") {
  ServerFixture f;
  const Json reply =
      f.send(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"boom"}})");
  CHECK(reply.at("result").at("isError") == true);
  CHECK(f.send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})").contains("result"));
}

TEST_CASE("server: logging/setLevel accepts RFC 5424 levels and calls the hook") {
  std::vector<std::string> levels;
  mcp::ServerConfig config = mcp_test::make_config();
  config.on_set_log_level = [&](const std::string& level) { levels.push_back(level); };
  ServerFixture f(config);
  for (const char* level : {"debug", "info", "notice", "warning", "error", "critical", "alert",
                            "emergency"}) {
    const Json reply = f.send(std::string(R"({"jsonrpc":"2.0","id":1,)") +
                              R"("method":"logging/setLevel","params":{"level":")" + level +
                              "\"}}");
    CHECK(reply.at("result") == Json::object());
  }
  CHECK(levels.size() == 8);
}

TEST_CASE("server: logging/setLevel with an invalid level gets -32602") {
  ServerFixture f;
  for (const char* params : {R"({"level":"verbose"})", R"({"level":3})", "{}"}) {
    const Json reply = f.send(
        std::string(R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":)") +
        params + "}");
    CHECK(error_code(reply) == -32602);
  }
}

TEST_CASE("server: a throwing setLevel hook gets -32603 with the id echoed") {
  mcp::ServerConfig config = mcp_test::make_config();
  config.on_set_log_level = [](const std::string&) { throw std::runtime_error("no"); };
  ServerFixture f(config);
  const Json reply =
      f.send(R"({"jsonrpc":"2.0","id":5,"method":"logging/setLevel","params":{"level":"info"}})");
  CHECK(error_code(reply) == -32603);
  CHECK(reply.at("id") == 5);
}

TEST_CASE("server: invalid UTF-8 in a tool result is replaced, not fatal") {
  ServerFixture f;
  const std::string line = std::string(R"({"jsonrpc":"2.0","id":1,"method":"tools/call",)") +
                           R"("params":{"name":"echo","arguments":{"text":"a)" + "\xff" +
                           R"("}}})";
  // nlohmann rejects invalid UTF-8 while parsing: a parse error, and the server survives.
  CHECK(error_code(f.send(line)) == -32700);
}

TEST_CASE("server: JSON nested deeper than 128 levels gets -32600 instead of a stack overflow") {
  ServerFixture f;
  const size_t depth = 1000000;
  std::string arguments = std::string(depth, '[') + std::string(depth, ']');
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":)"
                            R"({"name":"echo","arguments":{"text":)" + arguments + "}}}");
  CHECK(reply.at("error").at("code") == -32600);
  CHECK(reply.at("id") == 3);
  CHECK(f.send(R"({"jsonrpc":"2.0","id":4,"method":"ping"})").contains("result"));
}

TEST_CASE("server: nesting up to the limit is accepted") {
  ServerFixture f;
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":)"
                            R"({"name":"echo","arguments":{"text":)" + deep + "}}}");
  CHECK(reply.at("result").at("isError") == true);
}
