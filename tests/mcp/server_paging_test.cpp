// tools/list paging with a small page size (the transcripts use the default page of 100) and
// cursors forged with mcp/cursor.h.
#include <doctest/doctest.h>

#include "fake_tools.h"
#include "mcp/cursor.h"
#include "mcp/server.h"

using mcp::Json;
using mcp_test::ServerFixture;

namespace {

mcp::ServerConfig small_pages() {
  mcp::ServerConfig config = mcp_test::make_config();
  config.tools_page_size = 3;
  return config;
}

Json list(ServerFixture& f, const Json& cursor) {
  Json request = Json::parse(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}})");
  if (!cursor.is_null()) request["params"]["cursor"] = cursor;
  return f.send(mcp::dump_compact(request));
}

}  // namespace

TEST_CASE("server: tools/list pages follow nextCursor until the last page") {
  ServerFixture f(small_pages());
  const Json first = list(f, Json()).at("result");
  REQUIRE(first.at("tools").size() == 3);
  REQUIRE(first.contains("nextCursor"));
  const Json second = list(f, first.at("nextCursor")).at("result");
  REQUIRE(second.at("tools").size() == 1);
  CHECK(second.at("tools").at(0).at("name") == "store_like");
  CHECK_FALSE(second.contains("nextCursor"));
}

TEST_CASE("server: tools/list with an invalid cursor gets -32602") {
  ServerFixture f(small_pages());
  for (const Json& cursor : {Json("nope"), Json(12), Json(mcp::encode_cursor("tools", 99)),
                             Json(mcp::encode_cursor("prompts", 1))}) {
    const Json reply = list(f, cursor);
    CHECK(reply.at("error").at("code") == -32602);
    CHECK(reply.at("id") == 1);
  }
}
