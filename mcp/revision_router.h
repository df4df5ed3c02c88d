// Which protocol revision serves each request, and the little state that decides it (MCP
// 2026-07-28 basic/versioning, "dual-era"): the legacy session opened by initialize, and whether
// the client has shown that it speaks the stateless revision. Internal to mcp/ (server.cpp).
//
// Contract: route() never throws (beyond std::bad_alloc) and either names a row of the revision
// table or refuses the request with the JSON-RPC error to send. Not thread-safe: one Server, one
// thread.
#pragma once

#include <optional>
#include <string_view>

#include "mcp/json.h"
#include "mcp/methods.h"
#include "mcp/protocol_versions.h"

namespace mcp {

// The revision that serves one request, or the error that refuses it (then revision is null).
struct Route {
  const protocol::Revision* revision = nullptr;
  std::optional<methods::Outcome> refusal;
};

class RevisionRouter {
 public:
  // Routes a request with `method` and `params` (an object):
  // - params._meta names a protocolVersion: that revision, statelessly; -32022 when it is not a
  //   stateless revision we speak, -32602 when the rest of the required _meta is missing. A
  //   supported one marks the client as stateless.
  // - otherwise the legacy session; before initialize the latest legacy revision, unless the
  //   client is stateless: then -32602 (initialize and server/discover excepted).
  Route route(std::string_view method, const Json& params);

  // initialize negotiated `revision` (a row of the table): requests without _meta now use it.
  void open_session(const protocol::Revision& revision) { session_ = &revision; }
  // The legacy session's revision, or nullptr before initialize.
  const protocol::Revision* session() const { return session_; }

 private:
  Route route_stateless(const Json& meta);

  const protocol::Revision* session_ = nullptr;
  const protocol::Revision* stateless_client_ = nullptr;  // the revision it last showed
};

}  // namespace mcp
