#include "tools/tool.h"

#include "storage/store.h"

namespace tools {

mcp::ToolResult error_result(const storage::Status& status) {
  using Code = storage::Status::Code;
  const std::string& message = status.message();
  switch (status.code()) {
    case Code::kOk:
    case Code::kInvalidArgument:
      return mcp::ToolResult::failure("INVALID_ARGUMENT", message);
    case Code::kNotFound:
      return mcp::ToolResult::failure(
          "NOT_FOUND", message + "; call context_search_stashed or context_get_working_set to find ids");
    case Code::kLimitExceeded:
      return mcp::ToolResult::failure("LIMIT_EXCEEDED",
                                      message + "; split the call into smaller batches or shorter texts");
    case Code::kIoError:
      if (message.find("OUT_OF_CONTEXT_LOCK_TIMEOUT_MS") != std::string::npos) {  // another process holds the lock
        return mcp::ToolResult::failure("STORAGE_ERROR", message + "; nothing was changed. Retry once that process is gone");
      }
      if (message.find(storage::kOutcomeUnknown) != std::string::npos) {  // never "nothing was changed"
        return mcp::ToolResult::failure(
            "STORAGE_ERROR", message + "; check with context_get_working_set or context_search_stashed before retrying");
      }
      if (message.find("PostgreSQL server ") != std::string::npos) {  // the team store (storage/pg/pg_error.h)
        if (message.find("SQLSTATE 42501") != std::string::npos) {
          return mcp::ToolResult::failure(
              "STORAGE_ERROR", message + "; this database role may not do that in this team (a read-only member?): "
                                         "ask the team store's administrator");
        }
        return mcp::ToolResult::failure("STORAGE_ERROR",
                                        message + "; retry once the database is reachable (OUT_OF_CONTEXT_STORAGE_URL)");
      }
      return mcp::ToolResult::failure(
          "STORAGE_ERROR", message +
                               "; nothing was changed. Check that the storage path "
                               "(OUT_OF_CONTEXT_STORAGE_PATH) is writable and the disk has space, then retry");
    case Code::kCorruption:
      return mcp::ToolResult::failure(
          "STORAGE_ERROR", message + "; nothing was changed. Run `ooc verify` and see the server log");
    case Code::kConflict:
      return mcp::ToolResult::failure("CONFLICT", message + "; another process changed the store, retry the call");
  }
  return mcp::ToolResult::failure("STORAGE_ERROR", message);
}

}  // namespace tools
