// ToolRegistry: the tools a server exposes. Each tool is its complete MCP descriptor (from
// schemas/tools/<name>.json) plus a handler. The registry validates arguments against the
// descriptor's inputSchema (valijson) before calling the handler, and shapes CallToolResult.
//
// Brief listings: a subschema may carry "x-listed": <schema>, a shorter schema that tools/list
// shows in its place (every byte of tools/list costs the agent context). Arguments are still
// validated against the complete schema; the listed one must accept at least as much (e.g.
// context_stash's inline segments: {"type": "object"}, "as in context_store").
//
// Thread safety: add() before serving; call() and descriptors() are then const and thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/json.h"

namespace mcp {

// What a tool handler returns. Success: `structured` becomes structuredContent and is mirrored as
// a JSON text block. Failure: isError with text "CODE: message".
struct ToolResult {
  Json structured = Json::object();
  bool is_error = false;
  std::string error_code;  // INVALID_ARGUMENT, NOT_FOUND, LIMIT_EXCEEDED, STORAGE_ERROR, CONFLICT
  std::string message;

  static ToolResult success(Json structured_content) {
    ToolResult r;
    r.structured = std::move(structured_content);
    return r;
  }
  static ToolResult failure(std::string code, std::string text) {
    ToolResult r;
    r.is_error = true;
    r.error_code = std::move(code);
    r.message = std::move(text);
    return r;
  }
};

using ToolHandler = std::function<ToolResult(const Json& arguments)>;

class ToolRegistry {
 public:
  ToolRegistry();
  ~ToolRegistry();
  ToolRegistry(ToolRegistry&&) noexcept;
  ToolRegistry& operator=(ToolRegistry&&) noexcept;

  // Registers a tool. Returns an error text (empty on success) when the descriptor has no string
  // name, a duplicate name, or an inputSchema/outputSchema that is not an object schema.
  std::string add(Json descriptor, ToolHandler handler);

  // Every descriptor as tools/list shows it ("x-listed" applied), sorted by name.
  const std::vector<Json>& descriptors() const;
  bool has(std::string_view name) const;

  // Runs tool `name`: forgives predictable slips (normalize_arguments: stringified arrays and
  // objects, "x" for ["x"], "5" for 5, "true" for true), validates against inputSchema
  // (violations -> isError "INVALID_ARGUMENT: <path>: <reason>"), calls the handler, catches any
  // exception escaping it ("INTERNAL_ERROR: internal error in <name> ..." + spdlog::error), and
  // returns the CallToolResult object; a success that was normalized gets "Normalized: ..."
  // appended to a string structuredContent.summary (and so to its text mirror). nullopt when no
  // such tool. Never throws.
  std::optional<Json> call(std::string_view name, const Json& arguments) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The MCP CallToolResult for `result`: success -> {content:[{type:"text",text:<compact JSON>}],
// structuredContent}; failure -> {content:[{type:"text",text:"CODE: message"}], isError:true}.
Json to_call_tool_result(const ToolResult& result);

}  // namespace mcp
