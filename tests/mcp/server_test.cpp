// Server internals and the cases a transcript cannot hold (a hook in the config, bytes that are
// not text, a line of megabytes). The wire behaviour is owned by tests/golden/mcp_*.transcript.
#include "mcp/server.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "fake_tools.h"
#include "mcp/jsonrpc.h"

using mcp::Json;
using mcp_test::ServerFixture;

namespace {

int error_code(const Json& reply) { return reply.at("error").at("code").get<int>(); }

const char* kModernToolsList =
    R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{)"
    R"("io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
    R"("io.modelcontextprotocol/clientCapabilities":{}}}})";

}  // namespace

TEST_CASE("server: a blank line gets no reply") {
  ServerFixture f;
  CHECK(f.silent(""));
  CHECK(f.silent("  \r"));
  CHECK(f.silent(" \t\n"));
}

TEST_CASE("server: negotiated_version is the last initialize's revision, not a modern request's") {
  ServerFixture f;
  CHECK(f.server.negotiated_version().empty());
  for (const char* version : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    CHECK(f.initialize(version) == version);
    CHECK(f.server.negotiated_version() == version);
  }
  CHECK(f.initialize("2099-12-31") == "2025-11-25");
  CHECK(f.server.negotiated_version() == "2025-11-25");
  CHECK(f.send(kModernToolsList).contains("result"));
  CHECK(f.server.negotiated_version() == "2025-11-25");
}

TEST_CASE("server: logging/setLevel accepts RFC 5424 levels and calls the hook") {
  std::vector<std::string> levels;
  mcp::ServerConfig config = mcp_test::make_config();
  config.on_set_log_level = [&](const std::string& level) { levels.push_back(level); };
  ServerFixture f(config);
  const std::vector<std::string> all = {"debug", "info",     "notice", "warning",
                                        "error", "critical", "alert",  "emergency"};
  for (const std::string& level : all) {
    const Json reply = f.send(R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel",)"
                              R"("params":{"level":")" + level + "\"}}");
    CHECK(reply.at("result") == Json::object());
  }
  CHECK(levels == all);
  // A refused level never reaches the hook.
  CHECK(error_code(f.send(R"({"jsonrpc":"2.0","id":2,"method":"logging/setLevel",)"
                          R"("params":{"level":"loud"}})")) == -32602);
  CHECK(levels.size() == all.size());
}

TEST_CASE("server: a throwing setLevel hook gets -32603 with the id echoed") {
  mcp::ServerConfig config = mcp_test::make_config();
  config.on_set_log_level = [](const std::string&) { throw std::runtime_error("no"); };
  ServerFixture f(config);
  const Json reply =
      f.send(R"({"jsonrpc":"2.0","id":5,"method":"logging/setLevel","params":{"level":"info"}})");
  CHECK(error_code(reply) == -32603);
  CHECK(reply.at("id") == 5);
  CHECK(reply.at("error").at("message") == "Internal error while handling logging/setLevel");
  CHECK(f.send(R"({"jsonrpc":"2.0","id":6,"method":"ping"})").contains("result"));
}

TEST_CASE("server: a request line that is not UTF-8 gets -32700 and the server keeps serving") {
  ServerFixture f;
  const std::string line = std::string(R"({"jsonrpc":"2.0","id":1,"method":"tools/call",)") +
                           R"("params":{"name":"echo","arguments":{"text":"a)" + "\xff" +
                           R"("}}})";
  // nlohmann rejects invalid UTF-8 while parsing: a parse error, and the server survives.
  CHECK(error_code(f.send(line)) == -32700);
  CHECK(f.send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})").contains("result"));
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

TEST_CASE("server: the raw scan stops at the first level past the limit without parsing") {
  const std::string line = std::string(60u << 20, '[');
  const mcp::jsonrpc::RawScan scan = mcp::jsonrpc::scan_raw(line, 128);
  CHECK(scan.depth == 129);
  CHECK(scan.values == 129);
  ServerFixture f;
  const Json reply = f.send(R"({"id":7,"x":)" + std::string(1u << 20, '['));
  CHECK(reply.at("error").at("code") == -32600);
  CHECK(reply.at("id") == 7);
}

TEST_CASE("server: the raw scan finds numbers beyond a double outside strings only") {
  const std::string line = R"({"a":"1e999","b":[1e308,-1e309,12345678901234567890123],"c":1E+400})";
  const mcp::jsonrpc::RawScan scan = mcp::jsonrpc::scan_raw(line, 128);
  REQUIRE(scan.overflowing.size() == 2);
  CHECK(line.substr(scan.overflowing[0].first, scan.overflowing[0].second) == "-1e309");
  CHECK(line.substr(scan.overflowing[1].first, scan.overflowing[1].second) == "1E+400");
  CHECK(mcp::jsonrpc::without_overflowing_numbers(line, scan) ==
        R"({"a":"1e999","b":[1e308,0,12345678901234567890123],"c":0})");
}

TEST_CASE("server: more than 100000 values in one message get -32600 with the id") {
  ServerFixture f;
  std::string values = "0";
  for (int i = 0; i < 100000; ++i) values += ",0";
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":5,"method":"ping","params":{"x":[)" + values + "]}}");
  CHECK(reply.at("error").at("code") == -32600);
  CHECK(reply.at("error").at("message") == "Invalid Request: more than 100000 JSON values in one message");
  CHECK(reply.at("id") == 5);
  CHECK(f.send(R"({"jsonrpc":"2.0","id":6,"method":"ping","params":{"x":[0,0,0]}})").contains("result"));
}

TEST_CASE("server: nesting up to the limit is accepted") {
  ServerFixture f;
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  const Json reply = f.send(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":)"
                            R"({"name":"echo","arguments":{"text":)" + deep + "}}}");
  CHECK(reply.at("result").at("isError") == true);
}
