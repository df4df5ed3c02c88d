#include "mcp/methods.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "mcp/cursor.h"
#include "mcp/jsonrpc.h"
#include "mcp/protocol_versions.h"

namespace mcp::methods {
namespace {

constexpr std::string_view kToolsCursorScope = "tools";

// RFC 5424 severities, as MCP 2024-11-05 logging names them.
constexpr std::array<std::string_view, 8> kLogLevels = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

}  // namespace

Json capabilities(const protocol::Revision& revision, bool features) {
  Json caps = Json::object();
  caps["tools"] = Json{{"listChanged", false}};
  if (revision.logging) caps["logging"] = Json::object();
  if (features) {
    // MCP 2024-11-05 server/resources and server/prompts: `subscribe` and `listChanged` are
    // optional; we support neither, so the objects are empty. MCP 2025-03-26: `completions`.
    caps["resources"] = Json::object();
    caps["prompts"] = Json::object();
    if (revision.completions) caps["completions"] = Json::object();
  }
  return caps;
}

Json server_info(const ServerConfig& config) {
  return Json{{"name", config.name}, {"title", config.title}, {"version", config.version}};
}

Outcome initialize(const ServerConfig& config, const protocol::Revision& revision, bool features) {
  Json result = Json::object();
  result["protocolVersion"] = std::string(revision.version);
  result["capabilities"] = capabilities(revision, features);
  result["serverInfo"] = server_info(config);
  if (!config.instructions.empty()) result["instructions"] = config.instructions;
  return Outcome::ok(std::move(result));
}

Outcome discover(const ServerConfig& config, const protocol::Revision& revision, bool features) {
  Json result = Json::object();
  result["supportedVersions"] = protocol::all_versions();
  result["capabilities"] = capabilities(revision, features);
  if (!config.instructions.empty()) result["instructions"] = config.instructions;
  return Outcome::ok(std::move(result));
}

Outcome tools_list(const ServerConfig& config, const ToolRegistry& tools, const Json& params) {
  const std::vector<Json>& all = tools.descriptors();
  size_t offset = 0;
  // MCP 2024-11-05 pagination: an invalid cursor SHOULD be -32602. A null cursor means none.
  if (const auto it = params.find("cursor"); it != params.end() && !it->is_null()) {
    std::optional<size_t> decoded;
    if (it->is_string()) decoded = decode_cursor(kToolsCursorScope, it->get<std::string>());
    if (!decoded || (*decoded >= all.size() && *decoded != 0)) {
      return Outcome::fail(jsonrpc::kInvalidParams,
                           "Invalid params: unknown cursor; pass the nextCursor of a previous "
                           "tools/list result, or omit it to start from the beginning");
    }
    offset = *decoded;
  }
  const size_t page = std::max<size_t>(config.tools_page_size, 1);
  const size_t end = std::min(all.size(), offset + page);
  Json list = Json::array();
  for (size_t i = offset; i < end; ++i) list.push_back(all[i]);
  Json result = Json::object();
  result["tools"] = std::move(list);
  if (end < all.size()) result["nextCursor"] = encode_cursor(kToolsCursorScope, end);
  return Outcome::ok(std::move(result));
}

Outcome tools_call(const ToolRegistry& tools, const Json& params) {
  const auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Invalid params: tools/call needs \"name\", the tool name as a string");
  }
  const std::string& tool = name->get_ref<const std::string&>();
  // MCP 2025-11-25 tools: unknown tool -> -32602 (protocol error, not an isError result).
  if (!tools.has(tool)) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Unknown tool: '" + tool + "'; call tools/list for the available tools");
  }
  Json arguments = Json::object();
  if (const auto it = params.find("arguments"); it != params.end()) {
    if (!it->is_object()) {
      return Outcome::fail(jsonrpc::kInvalidParams,
                           "Invalid params: tools/call \"arguments\" must be an object");
    }
    arguments = *it;
  }
  std::optional<Json> result = tools.call(tool, arguments);
  if (!result) return Outcome::fail(jsonrpc::kInvalidParams, "Unknown tool: '" + tool + "'");
  return Outcome::ok(std::move(*result));
}

Outcome set_log_level(const ServerConfig& config, const Json& params) {
  const auto it = params.find("level");
  const bool valid = it != params.end() && it->is_string() &&
                     std::find(kLogLevels.begin(), kLogLevels.end(),
                               it->get_ref<const std::string&>()) != kLogLevels.end();
  if (!valid) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Invalid params: \"level\" must be one of debug, info, notice, warning, "
                         "error, critical, alert, emergency");
  }
  if (config.on_set_log_level) config.on_set_log_level(it->get<std::string>());
  return Outcome::ok(Json::object());
}

}  // namespace mcp::methods
