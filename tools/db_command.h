// `ooc db migrate` and `ooc db status [--json]` (issue 14): the schema of a PostgreSQL team store.
// Their code links libpq, which ooc_tools does not: the executable that has it (the dynamic `ooc`,
// built with OOC_POSTGRES) installs it with set_db_command() in main() before run_cli(). Without
// one (the self-contained binary), `ooc db ...` prints that this build has no PostgreSQL engine
// and exits 1.
//
// Exit statuses: 0 ok, 1 failure (no engine, cannot connect, migration failed), 2 usage or
// configuration (no URL, an invalid one, one holding a password).
#pragma once

#include <ostream>
#include <string>

namespace tools {

struct DbRequest {
  std::string action;  // "migrate" or "status"
  std::string url;     // --url, else OUT_OF_CONTEXT_STORAGE_URL; empty when neither is set
  bool json = false;   // status --json
};

using DbCommand = int (*)(const DbRequest& request, std::ostream& out, std::ostream& err);

// Installs the implementation (nullptr: none). Called once, before run_cli(); not thread-safe.
void set_db_command(DbCommand command);

// Runs the installed implementation, or reports that there is none (exit status 1).
int run_db_command(const DbRequest& request, std::ostream& out, std::ostream& err);

}  // namespace tools
