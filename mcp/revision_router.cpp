#include "mcp/revision_router.h"

#include <string>
#include <utility>

#include "mcp/jsonrpc.h"

namespace mcp {
namespace {

using methods::Outcome;

// The params._meta object of a request, or nullptr.
const Json* meta_of(const Json& params) {
  const auto it = params.find("_meta");
  return it != params.end() && it->is_object() ? &*it : nullptr;
}

std::string meta_key(const char* key) { return std::string("_meta[\"") + key + "\"]"; }

}  // namespace

Route RevisionRouter::route(std::string_view method, const Json& params) {
  // MCP 2026-07-28 basic/versioning: a request carrying its version in _meta is modern; a
  // dual-era server chooses per request.
  const Json* meta = meta_of(params);
  if (meta != nullptr && meta->contains(protocol::kMetaProtocolVersion)) {
    return route_stateless(*meta);
  }
  if (session_ != nullptr) return Route{session_, std::nullopt};
  // MCP 2026-07-28 basic: every request MUST carry protocolVersion and clientCapabilities in
  // _meta, else -32602. A client that sent 2026-07-28 requests and no initialize is such a
  // client, so its request without them is refused rather than served as legacy. initialize
  // still opens a legacy session, and server/discover is the probe clients send to learn the
  // versions (answered without _meta).
  if (stateless_client_ != nullptr && method != "initialize" && method != "server/discover") {
    return Route{nullptr,
                 Outcome::fail(jsonrpc::kInvalidParams,
                               "Invalid params: this client speaks protocol revision " +
                                   std::string(stateless_client_->version) +
                                   " (it sent no initialize), where every request needs " +
                                   meta_key(protocol::kMetaProtocolVersion) + " and " +
                                   meta_key(protocol::kMetaClientCapabilities))};
  }
  // Before initialize: the latest legacy revision (MCP 2025-11-25 lifecycle: ping MUST be
  // answered at any time; tools work rather than fail).
  return Route{&protocol::latest_legacy(), std::nullopt};
}

Route RevisionRouter::route_stateless(const Json& meta) {
  const Json& requested = meta.at(protocol::kMetaProtocolVersion);
  const protocol::Revision* revision =
      requested.is_string() ? protocol::find(requested.get_ref<const std::string&>()) : nullptr;
  // MCP 2026-07-28 basic/versioning: unsupported version -> -32022 {supported, requested}. A
  // legacy version in _meta is unsupported too: legacy revisions are chosen by initialize.
  if (revision == nullptr || !revision->stateless_meta) {
    Json data = Json::object();
    data["supported"] = protocol::versions(protocol::Era::kModern);
    data["requested"] = requested;
    return Route{nullptr, Outcome::fail(jsonrpc::kUnsupportedProtocolVersion,
                                        "Unsupported protocol version", std::move(data))};
  }
  stateless_client_ = revision;
  // MCP 2026-07-28 basic: a request missing required _meta fields MUST get -32602.
  const auto caps = meta.find(protocol::kMetaClientCapabilities);
  if (caps == meta.end() || !caps->is_object()) {
    return Route{nullptr, Outcome::fail(jsonrpc::kInvalidParams,
                                        "Invalid params: " +
                                            meta_key(protocol::kMetaClientCapabilities) +
                                            " (an object) is required in protocol revision " +
                                            std::string(revision->version))};
  }
  return Route{revision, std::nullopt};
}

}  // namespace mcp
