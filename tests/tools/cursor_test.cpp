#include <doctest/doctest.h>

#include "tools/cursor.h"

TEST_CASE("search cursor: round-trips its offset for the same fingerprint only") {
  const std::string print = tools::fingerprint("query-a");
  CHECK(print.size() == 16);
  CHECK(print == tools::fingerprint("query-a"));
  CHECK(print != tools::fingerprint("query-b"));
  for (size_t offset : {size_t{0}, size_t{10}, size_t{123456}}) {
    const std::string cursor = tools::encode_cursor(offset, print);
    CHECK(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    auto decoded = tools::decode_cursor(cursor, print);
    REQUIRE(decoded.ok());
    CHECK(*decoded == offset);
    CHECK_FALSE(tools::decode_cursor(cursor, tools::fingerprint("query-b")).ok());
  }
  CHECK_FALSE(tools::decode_cursor("", print).ok());
  CHECK_FALSE(tools::decode_cursor("%%%", print).ok());
  CHECK_FALSE(tools::decode_cursor("eyJvIjotMSwicSI6IngifQ", print).ok());  // {"o":-1,"q":"x"}
}
