#include "mcp/roots_client.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace mcp {

void RootsClient::on_initialize(const Json& client_capabilities) {
  client_has_roots_ = client_capabilities.is_object() && client_capabilities.contains("roots") &&
                      client_capabilities.at("roots").is_object();
}

void RootsClient::request_roots() {
  if (!client_has_roots_ || !on_roots_) return;
  // Our ids are strings in our own namespace, so they never look like a client's request ids.
  std::string id = "ooc-roots-" + std::to_string(next_id_++);
  outgoing_.push_back(dump_compact(Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", "roots/list"}}));
  pending_.insert(std::move(id));
}

bool RootsClient::on_response(const Json& message) {
  const auto id = message.find("id");
  if (id == message.end() || !id->is_string()) return false;
  const auto pending = pending_.find(id->get<std::string>());
  if (pending == pending_.end()) return false;
  pending_.erase(pending);
  // MCP 2024-11-05 client/roots: ListRootsResult {roots: [{uri: "file://...", name?}]}.
  const auto result = message.find("result");
  if (result == message.end() || !result->is_object() || !result->contains("roots") ||
      !result->at("roots").is_array()) {
    spdlog::warn("roots/list: the client answered with an error or no roots array; keeping the "
                 "default project");
    return true;
  }
  std::vector<std::string> uris;
  for (const Json& root : result->at("roots")) {
    if (root.is_object() && root.contains("uri") && root.at("uri").is_string()) {
      uris.push_back(root.at("uri").get<std::string>());
    }
  }
  on_roots_(uris);
  return true;
}

std::vector<std::string> RootsClient::take_outgoing() { return std::exchange(outgoing_, {}); }

}  // namespace mcp
