#include "mcp/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <vector>
#include <utility>

#include "mcp/feature_methods.h"
#include "mcp/features.h"
#include "mcp/jsonrpc.h"
#include "mcp/methods.h"
#include "mcp/protocol_versions.h"
#include "mcp/revision_router.h"
#include "mcp/roots_client.h"

namespace mcp {
namespace {

using methods::Outcome;

constexpr size_t kMaxNestingDepth = 128;
// JSON values in one message: far above any valid call (tool arrays hold at most 100 items), far
// below what makes parsing costly (a 15.7M-element ping took 31 s).
constexpr size_t kMaxValues = 100000;

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Json to_response(const Json& id, Outcome outcome) {
  if (outcome.error) {
    return jsonrpc::error_response(id, outcome.error->code, std::move(outcome.error->message),
                                   std::move(outcome.error->data));
  }
  return jsonrpc::result_response(id, std::move(outcome.result));
}

}  // namespace

// MCP 2026-07-28 utilities/caching: how long a cacheable result may be reused.
enum class Cache {
  kNone,      // not a cacheable result
  kStatic,    // fixed for the process: config.cache_ttl_ms, public
  kVolatile,  // changes with the store (resources/list, resources/read): ttl 0, private
};

struct Server::Impl {
  ServerConfig config;
  const ToolRegistry& tools;
  Features* features;
  RevisionRouter router;
  RootsClient roots;

  Impl(ServerConfig c, const ToolRegistry& t, Features* f)
      : config(std::move(c)), tools(t), features(f), roots(config.on_roots) {}

  std::optional<Json> handle_value(const Json& message);
  std::optional<Json> handle_batch(const Json& batch);
  std::optional<Json> handle_message(const Json& message, bool in_batch);
  void handle_notification(const std::string& method);
  Outcome dispatch(const std::string& method, const Json& params,
                   const protocol::Revision& revision, bool in_batch);
  std::optional<Outcome> dispatch_feature(const std::string& method, const Json& params,
                                         const protocol::Revision& revision);
  Outcome decorate(Outcome outcome, const protocol::Revision& revision, Cache cache) const;
};

std::optional<Json> Server::Impl::handle_value(const Json& message) {
  if (message.is_array()) return handle_batch(message);
  return handle_message(message, false);
}

std::optional<Json> Server::Impl::handle_batch(const Json& batch) {
  // Batches are received only in a session whose revision has them (MCP 2025-03-26 basic: MUST
  // receive; 2025-06-18 removed them). Others, and no session yet, get one -32600 for the array.
  const protocol::Revision* session = router.session();
  if (session == nullptr || !session->batches) {
    const std::string revision = session == nullptr
                                     ? "this session (no initialize yet)"
                                     : "protocol revision " + std::string(session->version);
    return jsonrpc::error_response(std::nullopt, jsonrpc::kInvalidRequest,
                                   "Invalid Request: JSON-RPC batches are not supported in " +
                                       revision + "; send one JSON object per line");
  }
  if (batch.empty()) {  // JSON-RPC 2.0: an empty array is an invalid request
    return jsonrpc::error_response(std::nullopt, jsonrpc::kInvalidRequest,
                                   "Invalid Request: empty batch");
  }
  Json replies = Json::array();
  for (const Json& element : batch) {
    if (std::optional<Json> reply = handle_message(element, true)) {
      replies.push_back(std::move(*reply));
    }
  }
  if (replies.empty()) return std::nullopt;  // all notifications (or responses)
  return replies;
}

std::optional<Json> Server::Impl::handle_message(const Json& message, bool in_batch) {
  if (!message.is_object()) {
    return jsonrpc::error_response(std::nullopt, jsonrpc::kInvalidRequest,
                                   "Invalid Request: a JSON-RPC message must be a JSON object");
  }
  const auto method_it = message.find("method");
  // A response from the client: to our roots/list request (mcp/roots_client.h), else ignored.
  if (method_it == message.end() && (message.contains("result") || message.contains("error"))) {
    roots.on_response(message);
    return std::nullopt;
  }
  const auto id_it = message.find("id");
  const bool has_id = id_it != message.end();
  if (has_id && !jsonrpc::is_valid_id(*id_it)) {
    return jsonrpc::error_response(
        std::nullopt, jsonrpc::kInvalidRequest,
        "Invalid Request: \"id\" must be a string or an integer (not null, fractional, an "
        "object or an array)");
  }
  const std::optional<Json> id = has_id ? std::optional<Json>(*id_it) : std::nullopt;
  const auto version_it = message.find("jsonrpc");
  if (version_it == message.end() || *version_it != "2.0") {
    return jsonrpc::error_response(id, jsonrpc::kInvalidRequest,
                                   "Invalid Request: \"jsonrpc\" must be \"2.0\"");
  }
  if (method_it == message.end() || !method_it->is_string()) {
    return jsonrpc::error_response(id, jsonrpc::kInvalidRequest,
                                   "Invalid Request: \"method\" must be a string");
  }
  const std::string& method = method_it->get_ref<const std::string&>();
  if (!has_id) {  // JSON-RPC 2.0 / MCP: a notification is never answered, not even an error
    handle_notification(method);
    return std::nullopt;
  }
  const auto params_it = message.find("params");
  if (params_it != message.end() && !params_it->is_object()) {
    return jsonrpc::error_response(id, jsonrpc::kInvalidParams,
                                   "Invalid params: \"params\" must be an object");
  }
  const Json params = params_it == message.end() ? Json::object() : *params_it;
  try {
    Route routed = router.route(method, params);
    if (routed.refusal) return to_response(*id, std::move(*routed.refusal));
    return to_response(*id, dispatch(method, params, *routed.revision, in_batch));
  } catch (const std::exception& e) {  // a bug (or a throwing callback): -32603, keep serving
    spdlog::error("internal error in {}: {}", method, e.what());
  }
  return jsonrpc::error_response(id, jsonrpc::kInternalError,
                                 "Internal error while handling " + method);
}

void Server::Impl::handle_notification(const std::string& method) {
  // notifications/initialized ends the handshake; notifications/cancelled is moot because every
  // request is answered synchronously before the next line is read. Unknown ones are ignored.
  // MCP 2024-11-05 client/roots: after the handshake, and on roots/list_changed, ask for roots.
  spdlog::debug("notification {}", method);
  if (method == "notifications/initialized" || method == "notifications/roots/list_changed") {
    roots.request_roots();
  }
}

Outcome Server::Impl::dispatch(const std::string& method, const Json& params,
                               const protocol::Revision& revision, bool in_batch) {
  if (method == "tools/list") {
    return decorate(methods::tools_list(config, tools, params), revision, Cache::kStatic);
  }
  if (method == "tools/call") {
    return decorate(methods::tools_call(tools, params), revision, Cache::kNone);
  }
  if (std::optional<Outcome> answered = dispatch_feature(method, params, revision)) {
    return std::move(*answered);
  }
  if (method == "server/discover") {
    // Clients probe with server/discover without _meta (SDK v2 'auto' mode): a revision without
    // it answers as the latest modern one, so the client can see which versions we speak.
    const protocol::Revision& answer =
        revision.server_discover ? revision : protocol::latest_modern();
    return decorate(methods::discover(config, answer, features != nullptr), answer, Cache::kStatic);
  }
  if (method == "initialize" && revision.initialize) {
    // MCP 2025-03-26 basic: the initialize request MUST NOT be part of a batch.
    if (in_batch) {
      return Outcome::fail(jsonrpc::kInvalidRequest,
                           "Invalid Request: initialize must not be sent inside a batch");
    }
    // MCP 2024-11-05 lifecycle: echo a supported version, else answer our latest. A missing or
    // non-string protocolVersion is treated as unknown (lenient: the client decides).
    const auto requested = params.find("protocolVersion");
    const protocol::Revision& negotiated =
        protocol::negotiate_legacy(requested == params.end() ? Json() : *requested);
    router.open_session(negotiated);
    const auto capabilities = params.find("capabilities");
    roots.on_initialize(capabilities == params.end() ? Json() : *capabilities);
    return methods::initialize(config, negotiated, features != nullptr);
  }
  if (method == "ping" && revision.ping) return Outcome::ok(Json::object());
  if (method == "logging/setLevel" && revision.logging) {
    return methods::set_log_level(config, params);
  }
  // A method of another revision names the revision that lacks it.
  if (method == "initialize" || method == "ping" || method == "logging/setLevel") {
    return Outcome::fail(jsonrpc::kMethodNotFound,
                         "Method not found: " + method + " (not part of protocol revision " +
                             std::string(revision.version) + ")");
  }
  return Outcome::fail(jsonrpc::kMethodNotFound, "Method not found: " + method);
}

// resources/*, prompts/*, completion/complete when a Features provider is present (else nullopt:
// -32601, as for any method of an undeclared capability).
std::optional<Outcome> Server::Impl::dispatch_feature(const std::string& method,
                                                      const Json& params,
                                                      const protocol::Revision& revision) {
  if (features == nullptr) return std::nullopt;
  const size_t page = config.list_page_size;
  if (method == "resources/list") {
    return decorate(methods::resources_list(*features, params, revision, page), revision,
                    Cache::kVolatile);
  }
  if (method == "resources/templates/list") {
    return decorate(methods::resource_templates_list(*features, params, revision, page), revision,
                    Cache::kStatic);
  }
  if (method == "resources/read") {
    return decorate(methods::resources_read(*features, params, revision), revision,
                    Cache::kVolatile);
  }
  if (method == "prompts/list") {
    return decorate(methods::prompts_list(*features, params, revision, page), revision,
                    Cache::kStatic);
  }
  if (method == "prompts/get") {
    return decorate(methods::prompts_get(*features, params), revision, Cache::kNone);
  }
  if (method == "completion/complete") {
    return decorate(methods::complete(*features, params), revision, Cache::kNone);
  }
  return std::nullopt;
}

Outcome Server::Impl::decorate(Outcome outcome, const protocol::Revision& revision,
                               Cache cache) const {
  if (outcome.error || !revision.result_type) return outcome;
  // MCP 2026-07-28: every result has resultType; serverInfo SHOULD be in _meta.
  Json& result = outcome.result;
  result["resultType"] = "complete";
  result["_meta"][protocol::kMetaServerInfo] = methods::server_info(config);
  // MCP 2026-07-28 utilities/caching: cacheable results (tools/list, prompts/list,
  // resources/list, resources/read, resources/templates/list, server/discover) MUST carry ttlMs
  // and cacheScope. Store content is the user's own and changes any time: ttl 0, private.
  if (cache != Cache::kNone && revision.cache_hints) {
    const bool fixed = cache == Cache::kStatic;
    result["ttlMs"] = fixed ? config.cache_ttl_ms : std::int64_t{0};
    result["cacheScope"] = fixed ? "public" : "private";
  }
  return outcome;
}

Server::Server(ServerConfig config, const ToolRegistry& tools, Features* features)
    : impl_(std::make_unique<Impl>(std::move(config), tools, features)) {}

std::vector<std::string> Server::take_outgoing() { return impl_->roots.take_outgoing(); }

Server::~Server() = default;

std::string_view Server::negotiated_version() const {
  const protocol::Revision* session = impl_->router.session();
  return session != nullptr ? session->version : std::string_view();
}

std::optional<std::string> Server::handle(std::string_view line) {
  if (is_blank(line)) return std::nullopt;
  try {
    // Costly input is refused from a scan of the raw bytes, before parsing builds it: a hostile
    // 64 MiB line can nest millions of levels or hold millions of values (issue 10 #20).
    const jsonrpc::RawScan scan = jsonrpc::scan_raw(line, kMaxNestingDepth);
    if (scan.depth > kMaxNestingDepth || scan.values > kMaxValues) {
      const std::string why = scan.depth > kMaxNestingDepth
                                  ? "JSON nested deeper than " + std::to_string(kMaxNestingDepth) + " levels"
                                  : "more than " + std::to_string(kMaxValues) + " JSON values in one message";
      return dump_compact(
          jsonrpc::error_response(jsonrpc::read_id(line), jsonrpc::kInvalidRequest, "Invalid Request: " + why));
    }
    // A number beyond a double's range is parsed as 0 only to read the id (issue 10 #11).
    const std::string sanitized =
        scan.overflowing.empty() ? std::string() : jsonrpc::without_overflowing_numbers(line, scan);
    Json message;
    try {
      message = Json::parse(scan.overflowing.empty() ? line : std::string_view(sanitized));
    } catch (const Json::parse_error& e) {
      // The id cannot be read: it is omitted (see mcp/jsonrpc.h).
      return dump_compact(jsonrpc::error_response(
          std::nullopt, jsonrpc::kParseError,
          "Parse error: invalid JSON at byte " + std::to_string(e.byte) +
              "; send one JSON-RPC message per line"));
    }
    if (!scan.overflowing.empty()) {
      // JSON-RPC 2.0: a notification (or a response) is never answered, not even an error.
      if (message.is_object() && !message.contains("id")) return std::nullopt;
      const auto id = message.is_object() ? message.find("id") : message.end();
      const bool echo = id != message.end() && jsonrpc::is_valid_id(*id);
      return dump_compact(jsonrpc::error_response(
          echo ? std::optional<Json>(*id) : std::nullopt, jsonrpc::kInvalidRequest,
          "Invalid Request: the number at byte " + std::to_string(scan.overflowing.front().first) +
              " is out of range (beyond a double, about 1.8e308)"));
    }
    std::optional<Json> reply = impl_->handle_value(message);
    if (!reply) return std::nullopt;
    return dump_compact(*reply);
  } catch (const std::exception& e) {  // the dispatcher's last resort
    spdlog::error("internal error while handling a message: {}", e.what());
  } catch (...) {
    spdlog::error("internal error while handling a message (non-standard exception)");
  }
  return dump_compact(
      jsonrpc::error_response(std::nullopt, jsonrpc::kInternalError, "Internal error"));
}

}  // namespace mcp
