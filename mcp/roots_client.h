// RootsClient: the server-to-client half of MCP roots (2024-11-05 client/roots) in a legacy
// session. When the client declared the `roots` capability in initialize, the server asks it for
// its roots with a `roots/list` request once the handshake is done (notifications/initialized:
// before it the server SHOULD NOT send requests, 2024-11-05 lifecycle) and again on every
// notifications/roots/list_changed. The client's response is matched by id and the root URIs go to
// the callback. An error response, a malformed one or an unknown id changes nothing.
//
// The 2026-07-28 revision has no server-to-client requests on stdio (basic/transports) and
// deprecates roots, so stateless requests never trigger one.
//
// Contract: never throws (beyond std::bad_alloc); the callback is called from on_response only.
// Not thread-safe: one Server, one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "mcp/json.h"

namespace mcp {

class RootsClient {
 public:
  // Receives the URIs of the client's roots, in the client's order (possibly none).
  using Callback = std::function<void(const std::vector<std::string>& uris)>;

  explicit RootsClient(Callback on_roots) : on_roots_(std::move(on_roots)) {}

  // initialize: remembers whether `client_capabilities` (params.capabilities) has "roots".
  void on_initialize(const Json& client_capabilities);
  // notifications/initialized or notifications/roots/list_changed: queues a roots/list request
  // when the client declared roots and someone listens.
  void request_roots();
  // A JSON-RPC response from the client. True when it answers one of our pending requests
  // (then it is consumed, successful or not).
  bool on_response(const Json& message);
  // The requests queued since the last call, as compact JSON lines, oldest first.
  std::vector<std::string> take_outgoing();

 private:
  Callback on_roots_;
  bool client_has_roots_ = false;
  std::int64_t next_id_ = 1;
  std::set<std::string> pending_;
  std::vector<std::string> outgoing_;
};

}  // namespace mcp
