// Test fakes for mcp/: a small ToolRegistry (echo, store_like, fail, boom) and a ServerConfig
// with a fixed version, so replies are byte-for-byte deterministic.
#pragma once

#include <string>

#include "mcp/json.h"
#include "mcp/server.h"
#include "mcp/tool_registry.h"

namespace mcp_test {

// Tools, sorted: "boom" (throws), "echo" ({text, times?} -> {text}), "fail" (NOT_FOUND result),
// "store_like" (segments[] of {text, type enum, tags[]} -> {count}).
mcp::ToolRegistry make_registry();

// name "ooc-test", title "ooc test server", version "1.2.3", instructions "Use the echo tool."
mcp::ServerConfig make_config();

// Parses a reply line; fails the test on invalid JSON.
mcp::Json parse(const std::string& line);

}  // namespace mcp_test

namespace mcp_test {

// A server over the fake registry. send() expects a reply; silent() expects none.
struct ServerFixture {
  explicit ServerFixture(mcp::ServerConfig config = make_config());
  mcp::Json send(const std::string& line);
  bool silent(const std::string& line);
  // initialize with `version`; returns the negotiated version.
  std::string initialize(const std::string& version);

  mcp::ToolRegistry registry;
  mcp::Server server;
};

}  // namespace mcp_test
