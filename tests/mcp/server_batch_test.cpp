#include <doctest/doctest.h>

#include "fake_tools.h"
#include "mcp/server.h"

using mcp::Json;
using mcp_test::ServerFixture;

namespace {

const char* kTwoPings =
    R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":"b","method":"ping"}])";

}  // namespace

TEST_CASE("server: a batch in 2025-03-26 gets an array of replies in order") {
  ServerFixture f;
  f.initialize("2025-03-26");
  CHECK(f.send(kTwoPings) == Json::parse(R"([{"jsonrpc":"2.0","id":1,"result":{}},
                                              {"jsonrpc":"2.0","id":"b","result":{}}])"));
}

TEST_CASE("server: a batch of only notifications in 2025-03-26 gets no reply") {
  ServerFixture f;
  f.initialize("2025-03-26");
  CHECK(f.silent(R"([{"jsonrpc":"2.0","method":"notifications/initialized"},)"
                 R"({"jsonrpc":"2.0","method":"notifications/cancelled"}])"));
}

TEST_CASE("server: a mixed batch answers requests and errors, skipping notifications") {
  ServerFixture f;
  f.initialize("2025-03-26");
  const Json reply = f.send(R"([{"jsonrpc":"2.0","method":"notifications/initialized"},)"
                            R"(1,{"jsonrpc":"2.0","id":2,"method":"nope"}])");
  REQUIRE(reply.size() == 2);
  CHECK(reply.at(0).at("error").at("code") == -32600);
  CHECK(reply.at(1).at("error").at("code") == -32601);
  CHECK(reply.at(1).at("id") == 2);
}

TEST_CASE("server: an empty batch in 2025-03-26 gets a single -32600") {
  ServerFixture f;
  f.initialize("2025-03-26");
  const Json reply = f.send("[]");
  CHECK(reply.at("error").at("code") == -32600);
  CHECK_FALSE(reply.contains("id"));
}

TEST_CASE("server: initialize inside a batch gets an error for that element") {
  ServerFixture f;
  f.initialize("2025-03-26");
  const Json reply = f.send(R"([{"jsonrpc":"2.0","id":1,"method":"initialize",)"
                            R"("params":{"protocolVersion":"2025-03-26"}},)"
                            R"({"jsonrpc":"2.0","id":2,"method":"ping"}])");
  REQUIRE(reply.size() == 2);
  CHECK(reply.at(0).at("error").at("code") == -32600);
  CHECK(reply.at(0).at("id") == 1);
  CHECK(reply.at(1).at("result") == Json::object());
}

TEST_CASE("server: batches are rejected with one -32600 in every other revision") {
  for (const char* version : {"2025-11-25", "2025-06-18", "2024-11-05"}) {
    ServerFixture f;
    f.initialize(version);
    const Json reply = f.send(kTwoPings);
    REQUIRE(reply.is_object());
    CHECK(reply.at("error").at("code") == -32600);
    CHECK_FALSE(reply.contains("id"));
  }
}

TEST_CASE("server: a batch before initialize is rejected with one -32600") {
  ServerFixture f;
  const Json reply = f.send(kTwoPings);
  REQUIRE(reply.is_object());
  CHECK(reply.at("error").at("code") == -32600);
}
