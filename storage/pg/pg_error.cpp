#include "storage/pg/pg_error.h"

#include "storage/store_types.h"

namespace storage::pg {
namespace {

constexpr std::string_view kMarker = "SQLSTATE ";

bool is_sqlstate_char(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string sqlstate_of(const Status& status) {
  const std::string& message = status.message();
  // The last marker: a server message quoting "SQLSTATE" must not shadow ours.
  const size_t at = message.rfind(kMarker);
  if (at == std::string::npos || at + kMarker.size() + 5 > message.size()) return "";
  std::string state = message.substr(at + kMarker.size(), 5);
  for (char c : state) {
    if (!is_sqlstate_char(c)) return "";
  }
  return state;
}

bool is_retryable(const Status& status) {
  const std::string state = sqlstate_of(status);
  return state == sqlstate::kSerializationFailure || state == sqlstate::kDeadlockDetected;
}

bool is_connection_lost(const Status& status) {
  const std::string state = sqlstate_of(status);
  return state.rfind("08", 0) == 0 || state == sqlstate::kAdminShutdown || state == sqlstate::kCrashShutdown ||
         state == sqlstate::kCannotConnectNow;
}

Status server_error(std::string_view server, std::string_view state, std::string_view message) {
  std::string text = std::string(server) + ": " + std::string(message) + " (" + std::string(kMarker) + std::string(state) + ")";
  if (state == sqlstate::kUniqueViolation) return Status::conflict(std::move(text));
  if (state.substr(0, 2) == "22" || state.substr(0, 2) == "23") return Status::invalid_argument(std::move(text));
  return Status::io_error(std::move(text));
}

Status connection_lost(std::string_view server, std::string_view state, std::string_view reason, LostCall call) {
  std::string text = std::string(server) + ": connection lost";
  if (!reason.empty()) text += " (" + std::string(reason) + ")";
  if (call == LostCall::kOutcomeUnknown) {
    return Status::io_error(text + " before the reply came (" + std::string(kMarker) +
                            std::string(sqlstate::kResolutionUnknown) +
                            "); the call may or may not have been applied (" + kOutcomeUnknown +
                            "): read the state again before retrying");
  }
  return Status::io_error(text + " (" + std::string(kMarker) + std::string(state) +
                          "); the call was not applied (an open transaction is rolled back by the server)");
}

}  // namespace storage::pg
