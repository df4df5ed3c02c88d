// Tests of storage/time_format.h: canonical RFC 3339 with milliseconds, and what parsing refuses.
#include "storage/time_format.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using namespace storage;

TEST_CASE("time: RFC 3339 timestamps parse with offsets and format canonically") {
  CHECK(format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(canonical_rfc3339("2026-01-02T03:04:05Z") == std::optional<std::string>("2026-01-02T03:04:05.000Z"));
  CHECK(canonical_rfc3339("2026-01-02T05:04:05.5+02:00") == std::optional<std::string>("2026-01-02T03:04:05.500Z"));
  CHECK(canonical_rfc3339("2026-01-02") == std::optional<std::string>("2026-01-02T00:00:00.000Z"));
  CHECK(canonical_rfc3339("2024-02-29T00:00:00Z").has_value());
  CHECK_FALSE(canonical_rfc3339("2025-02-29T00:00:00Z").has_value());
  CHECK_FALSE(canonical_rfc3339("2026-13-01T00:00:00Z").has_value());
  CHECK_FALSE(canonical_rfc3339("2026-01-02T03:04:05").has_value());  // no zone
  CHECK_FALSE(canonical_rfc3339("not a date").has_value());
  const int64_t ms = *parse_rfc3339_ms("2026-11-28T19:02:20.123Z");
  CHECK(format_rfc3339_ms(ms) == "2026-11-28T19:02:20.123Z");
}

TEST_CASE("time: formatting is UTC with a Z and exactly three fraction digits") {
  CHECK(format_rfc3339_ms(1) == "1970-01-01T00:00:00.001Z");
  CHECK(format_rfc3339_ms(86400000 - 1) == "1970-01-01T23:59:59.999Z");
  CHECK(format_rfc3339_ms(1767225600000) == "2026-01-01T00:00:00.000Z");
  CHECK(format_rfc3339_ms(951782400000) == "2000-02-29T00:00:00.000Z");  // leap day of a century leap year
}

TEST_CASE("time: instants before the epoch format as the days before it") {
  CHECK(format_rfc3339_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_rfc3339_ms(-86400000) == "1969-12-31T00:00:00.000Z");
  CHECK(parse_rfc3339_ms("1969-12-31T23:59:59.999Z") == std::optional<int64_t>(-1));
}

TEST_CASE("time: parse and format round-trip every canonical string") {
  for (const char* text : {"1970-01-01T00:00:00.000Z", "1999-12-31T23:59:59.999Z", "2024-02-29T12:00:00.500Z",
                           "2026-11-28T19:02:20.123Z", "9999-12-31T23:59:59.999Z"}) {
    const auto ms = parse_rfc3339_ms(text);
    REQUIRE(ms.has_value());
    CHECK(format_rfc3339_ms(*ms) == text);
  }
}

TEST_CASE("time: lower-case t and z, a space separator and a negative offset are accepted") {
  CHECK(canonical_rfc3339("2026-01-02t03:04:05z") == std::optional<std::string>("2026-01-02T03:04:05.000Z"));
  CHECK(canonical_rfc3339("2026-01-02 03:04:05Z") == std::optional<std::string>("2026-01-02T03:04:05.000Z"));
  CHECK(canonical_rfc3339("2026-01-01T23:30:00-01:00") == std::optional<std::string>("2026-01-02T00:30:00.000Z"));
}

TEST_CASE("time: fractions keep milliseconds and drop finer digits") {
  CHECK(canonical_rfc3339("2026-01-02T03:04:05.1Z") == std::optional<std::string>("2026-01-02T03:04:05.100Z"));
  CHECK(canonical_rfc3339("2026-01-02T03:04:05.123456789Z") ==
        std::optional<std::string>("2026-01-02T03:04:05.123Z"));
}

TEST_CASE("time: a leap second folds into the second before it") {
  CHECK(canonical_rfc3339("2016-12-31T23:59:60Z") == std::optional<std::string>("2016-12-31T23:59:59.000Z"));
}

TEST_CASE("time: malformed dates, times and zones are refused") {
  for (const char* bad : {"", "2026", "2026-1-02", "2026-01-2", "26-01-02", "2026/01/02", "2026-00-10",
                          "2026-01-00", "2026-04-31", "1900-02-29T00:00:00Z", "2026-01-02T24:00:00Z",
                          "2026-01-02T03:60:00Z", "2026-01-02T03:04:61Z", "2026-01-02T03:04Z",
                          "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05+0200", "2026-01-02T03:04:05+24:00",
                          "2026-01-02T03:04:05+02:60", "2026-01-02T03:04:05ZZ", "2026-01-02X03:04:05Z",
                          "2026-01-02T03:04:05 UTC", " 2026-01-02"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339_ms(bad).has_value());
    CHECK_FALSE(canonical_rfc3339(bad).has_value());
  }
}
