// How a tool is put together (STYLE.md "Declaring a tool"): a typed Args struct with one decoder,
// a handler returning Result<Reply>, and one encoder, all in tools/<name>.cpp; bind_tool() joins
// them into the ToolBinding that register_tools.cpp hands to the mcp::ToolRegistry.
//
// Errors: tools/ and storage/ share one error type, storage::Status (and Result<T>). mcp/ may
// not include storage/ (DESIGN §1), so a tool failure crosses into mcp's ToolResult at exactly
// one place, error_result() below, called only by bind_tool(). Handlers never build ToolResult
// themselves and never throw.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <string_view>

#include "mcp/json.h"
#include "mcp/tool_registry.h"
#include "storage/status.h"
#include "storage/store.h"
#include "tools/default_project.h"
#include "tools/fields.h"

namespace tools {

// What every tool needs. The Store outlives the registry that holds handlers using it. Copies
// share one DefaultProject, so a default changed by the client's roots reaches every handler.
struct ToolContext {
  ToolContext(storage::Store& s, std::string project)
      : store(s), default_project(std::make_shared<DefaultProject>(std::move(project))) {}
  ToolContext(storage::Store& s, std::shared_ptr<DefaultProject> project)
      : store(s), default_project(std::move(project)) {}

  storage::Store& store;
  std::shared_ptr<DefaultProject> default_project;  // never null; see project_id.h
  int64_t token_limit = 200000;  // OUT_OF_CONTEXT_TOKEN_LIMIT: the agent's window (tools/budget.h)
};

// The one mapping storage::Status -> isError ToolResult, lossless in code and message:
//   kInvalidArgument -> INVALID_ARGUMENT   message as is
//   kNotFound        -> NOT_FOUND          + where to find ids
//   kLimitExceeded   -> LIMIT_EXCEEDED     + split the call
//   kIoError         -> STORAGE_ERROR      + nothing changed, check the path and disk
//   kCorruption      -> STORAGE_ERROR      + nothing changed, run `ooc verify`
//   kConflict        -> CONFLICT           + retry
// The engine's message (path and OS reason included) is kept and followed by the next step.
// An ok status (a caller bug) is reported as INVALID_ARGUMENT with an empty message.
mcp::ToolResult error_result(const storage::Status& status);

// One tool, ready to register.
struct ToolBinding {
  std::string_view name;  // as in schemas/tools/<name>.json
  // Only decodes `args` (valid against the inputSchema); every member the decoder looks up is
  // added to `log` when given. For tests/tools/tool_contract_test.cpp.
  storage::Status (*decode_only)(const mcp::Json& args, FieldLog* log);
  // Decodes, runs and encodes: the handler of the registry.
  mcp::ToolResult (*call)(const ToolContext& ctx, const mcp::Json& args);
};

// Decode: Result<Args>(const Fields&); Run: Result<Reply>(const ToolContext&, const Args&), or
// taking Args by value to move out of it; Encode: mcp::Json(const Reply&), the structuredContent
// of a success.
template <auto Decode, auto Run, auto Encode>
ToolBinding bind_tool(std::string_view name) {
  return ToolBinding{
      name,
      [](const mcp::Json& args, FieldLog* log) -> storage::Status {
        auto decoded = Decode(Fields(args, log));
        return decoded.ok() ? storage::Status::ok_status() : decoded.status();
      },
      [](const ToolContext& ctx, const mcp::Json& args) -> mcp::ToolResult {
        auto decoded = Decode(Fields(args));
        if (!decoded.ok()) return error_result(decoded.status());
        auto reply = Run(ctx, std::move(decoded).value());
        if (!reply.ok()) return error_result(reply.status());
        return mcp::ToolResult::success(Encode(*reply));
      }};
}

// `project` or the server's default project.
inline std::string project_or_default(const ToolContext& ctx, const std::optional<std::string>& project) {
  return project ? *project : ctx.default_project->get();
}

}  // namespace tools
