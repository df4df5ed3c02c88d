// RevisionRouter (mcp/revision_router.h): when a client counts as stateless. The replies on the
// wire are owned by tests/golden/mcp_stateless.transcript and mcp_revisions.transcript.
#include "mcp/revision_router.h"

#include <doctest/doctest.h>

using mcp::Json;

namespace {

Json meta_params(const Json& version, bool with_capabilities) {
  Json meta = Json{{mcp::protocol::kMetaProtocolVersion, version}};
  if (with_capabilities) meta[mcp::protocol::kMetaClientCapabilities] = Json::object();
  return Json{{"_meta", meta}};
}

bool refused_without_meta(mcp::RevisionRouter& router) {
  const mcp::Route route = router.route("tools/list", Json::object());
  return route.refusal.has_value() && route.refusal->error->code == -32602;
}

}  // namespace

TEST_CASE("router: before initialize and any modern request, no _meta means the latest legacy") {
  mcp::RevisionRouter router;
  const mcp::Route route = router.route("tools/list", Json::object());
  CHECK(route.revision == &mcp::protocol::latest_legacy());
  CHECK_FALSE(route.refusal.has_value());
}

TEST_CASE("router: a supported modern version marks the client even when its _meta is incomplete") {
  mcp::RevisionRouter router;
  CHECK(router.route("tools/list", meta_params(Json("2026-07-28"), false)).refusal.has_value());
  CHECK(refused_without_meta(router));
}

TEST_CASE("router: an unsupported or legacy version in _meta does not mark the client") {
  for (const Json& version : {Json("2027-01-01"), Json("2025-11-25"), Json(7)}) {
    CAPTURE(mcp::dump_compact(version));
    mcp::RevisionRouter router;
    const mcp::Route route = router.route("tools/list", meta_params(version, true));
    REQUIRE(route.refusal.has_value());
    CHECK(route.refusal->error->code == -32022);
    CHECK_FALSE(refused_without_meta(router));
  }
}

TEST_CASE("router: initialize and server/discover pass without _meta for a stateless client") {
  mcp::RevisionRouter router;
  CHECK(router.route("tools/call", meta_params(Json("2026-07-28"), true)).revision ==
        &mcp::protocol::latest_modern());
  CHECK(refused_without_meta(router));
  CHECK(router.route("server/discover", Json::object()).revision != nullptr);
  CHECK(router.route("initialize", Json::object()).revision == &mcp::protocol::latest_legacy());
  router.open_session(*mcp::protocol::find("2025-06-18"));
  CHECK(router.route("tools/list", Json::object()).revision == mcp::protocol::find("2025-06-18"));
}
