// The revision table (mcp/protocol_versions.h): lookup and legacy negotiation. What each
// revision does on the wire is owned by tests/golden/mcp_revisions.transcript and friends.
#include "mcp/protocol_versions.h"

#include <doctest/doctest.h>

#include <string>

using mcp::Json;
namespace protocol = mcp::protocol;

TEST_CASE("protocol: find returns each row by its version and nullptr for others") {
  for (const protocol::Revision& revision : protocol::revisions()) {
    CHECK(protocol::find(revision.version) == &revision);
  }
  CHECK(protocol::find("2099-12-31") == nullptr);
  CHECK(protocol::find("") == nullptr);
  CHECK(protocol::find("2025-11-25 ") == nullptr);
}

TEST_CASE("protocol: the rows are newest first and each era's features go together") {
  std::string previous = "9999";
  for (const protocol::Revision& revision : protocol::revisions()) {
    CAPTURE(std::string(revision.version));
    CHECK(std::string(revision.version) < previous);
    previous = std::string(revision.version);
    const bool modern = revision.era == protocol::Era::kModern;
    CHECK(revision.initialize == !modern);
    CHECK(revision.stateless_meta == modern);
    CHECK(revision.result_type == modern);
  }
  CHECK(protocol::latest_modern().version == "2026-07-28");
  CHECK(protocol::latest_legacy().version == "2025-11-25");
}

TEST_CASE("protocol: negotiate_legacy echoes legacy rows and answers the latest legacy otherwise") {
  CHECK(protocol::negotiate_legacy(Json("2024-11-05")).version == "2024-11-05");
  for (const Json& requested : {Json("2026-07-28"), Json("2099-12-31"), Json(), Json(20241105),
                                Json::object()}) {
    CAPTURE(mcp::dump_compact(requested));
    CHECK(&protocol::negotiate_legacy(requested) == &protocol::latest_legacy());
  }
}
