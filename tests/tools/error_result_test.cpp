// tools::error_result: a failed call's code and advice fit the store it came from. The team
// store's failures are not the file store's: no storage path to check, and a lost COMMIT reply
// never reads "nothing was changed".
#include <doctest/doctest.h>

#include <string>

#include "storage/store.h"
#include "tools/tool.h"
#ifdef OOC_TESTS_WITH_POSTGRES
#include "storage/pg/pg_error.h"
#endif

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("error result: a file store's I/O failure says nothing changed and where to look") {
  const mcp::ToolResult reply = tools::error_result(storage::Status::io_error("write /x/storage.json.journal: No space"));
  CHECK(reply.error_code == "STORAGE_ERROR");
  CHECK(contains(reply.message, "nothing was changed"));
  CHECK(contains(reply.message, "OUT_OF_CONTEXT_STORAGE_PATH"));
}

#ifdef OOC_TESTS_WITH_POSTGRES
TEST_CASE("error result: the team store's failures name the database, never the storage path") {
  namespace pg = storage::pg;
  const std::string server = "PostgreSQL server host /run/pg port 5432 dbname ooc";
  const mcp::ToolResult lost = tools::error_result(
      pg::connection_lost(server, pg::sqlstate::kAdminShutdown, "terminating connection", pg::LostCall::kNotApplied));
  CHECK(lost.error_code == "STORAGE_ERROR");
  CHECK_FALSE(contains(lost.message, "OUT_OF_CONTEXT_STORAGE_PATH"));
  CHECK(contains(lost.message, "OUT_OF_CONTEXT_STORAGE_URL"));

  const mcp::ToolResult unknown = tools::error_result(
      pg::connection_lost(server, pg::sqlstate::kConnectionFailure, "reply lost", pg::LostCall::kOutcomeUnknown));
  CHECK_FALSE(contains(unknown.message, "nothing was changed"));
  CHECK(contains(unknown.message, "before retrying"));

  const mcp::ToolResult refused = tools::error_result(
      pg::server_error(server, pg::sqlstate::kInsufficientPrivilege, "new row violates row-level security policy"));
  CHECK(refused.error_code == "STORAGE_ERROR");
  CHECK(contains(refused.message, "read-only member"));
  CHECK_FALSE(contains(refused.message, "OUT_OF_CONTEXT_STORAGE_PATH"));
}
#endif
