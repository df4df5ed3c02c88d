// How PostgreSQL's failures become storage::Status values (issue 14). Every message names the
// server ("PostgreSQL server host /run/pg port 5432 dbname ooc: ...") and carries the SQLSTATE as
// "SQLSTATE xxxxx" (PostgreSQL Appendix A), so callers can tell failures apart without parsing
// prose: sqlstate_of(), is_retryable(), is_connection_lost().
//
// Codes: a unique violation (23505) is kConflict; other data and constraint errors (classes 22 and
// 23) are kInvalidArgument; everything else (connection loss, timeouts, permissions, serialization
// failures) is kIoError, shown as "storage error: ...".
//
// Connection loss says what happened to the call:
//   - before or inside a transaction: "... nothing of this call was applied" (the server rolls an
//     open transaction back when its connection ends);
//   - a COMMIT, or a statement outside a transaction, whose reply never came: SQLSTATE 08007
//     (transaction_resolution_unknown) and "... may or may not have been applied".
#pragma once

#include <string>
#include <string_view>

#include "storage/status.h"

namespace storage::pg {

namespace sqlstate {
inline constexpr std::string_view kUnableToConnect = "08001";     // sqlclient_unable_to_establish_sqlconnection
inline constexpr std::string_view kConnectionFailure = "08006";
inline constexpr std::string_view kResolutionUnknown = "08007";   // transaction_resolution_unknown
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kInsufficientPrivilege = "42501";  // also: a row-level security policy refused a row
inline constexpr std::string_view kLockNotAvailable = "55P03";    // lock_timeout
inline constexpr std::string_view kQueryCanceled = "57014";       // statement_timeout
inline constexpr std::string_view kAdminShutdown = "57P01";       // pg_terminate_backend, fast shutdown
inline constexpr std::string_view kCrashShutdown = "57P02";
inline constexpr std::string_view kCannotConnectNow = "57P03";
}  // namespace sqlstate

// The SQLSTATE a Status from this folder carries; "" when it carries none.
std::string sqlstate_of(const Status& status);
// A serialization failure or a deadlock: running the whole transaction again may succeed.
bool is_retryable(const Status& status);
// The connection is gone (class 08, or the server ended the session: 57P01, 57P02, 57P03).
bool is_connection_lost(const Status& status);

// What happened to the call when the connection was lost.
enum class LostCall {
  kNotApplied,      // nothing was sent, or the open transaction died with the connection
  kOutcomeUnknown,  // a COMMIT (or an autocommitted statement) was sent and its reply lost
};

// "<server>: <message> (SQLSTATE <state>)" under the code that `state` maps to (see above).
Status server_error(std::string_view server, std::string_view state, std::string_view message);
// "<server>: connection lost (<reason>) (SQLSTATE <state>); ..." as io_error; with kOutcomeUnknown
// the SQLSTATE is 08007 whatever the server said.
Status connection_lost(std::string_view server, std::string_view state, std::string_view reason, LostCall call);

}  // namespace storage::pg
