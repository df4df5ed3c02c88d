#include "mcp/cursor.h"

#include <doctest/doctest.h>

TEST_CASE("cursor: an encoded offset decodes back for the same scope only") {
  for (size_t offset : {size_t{0}, size_t{1}, size_t{7}, size_t{12345}}) {
    const std::string cursor = mcp::encode_cursor("tools", offset);
    CHECK(mcp::decode_cursor("tools", cursor) == offset);
    CHECK_FALSE(mcp::decode_cursor("prompts", cursor).has_value());
  }
}

TEST_CASE("cursor: garbage, bad padding and non-numeric offsets are rejected") {
  CHECK_FALSE(mcp::decode_cursor("tools", "").has_value());
  CHECK_FALSE(mcp::decode_cursor("tools", "!!!!").has_value());
  CHECK_FALSE(mcp::decode_cursor("tools", "dG9vbHM6").has_value());      // "tools:"
  CHECK_FALSE(mcp::decode_cursor("tools", "dG9vbHM6eA==").has_value());  // "tools:x"
  CHECK_FALSE(mcp::decode_cursor("tools", "dG9vbHM6M=A=").has_value());
}
