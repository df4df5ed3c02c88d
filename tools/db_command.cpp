#include "tools/db_command.h"

#include "tools/cli_commands.h"

namespace tools {
namespace {

DbCommand g_db_command = nullptr;

}  // namespace

void set_db_command(DbCommand command) { g_db_command = command; }

int run_db_command(const DbRequest& request, std::ostream& out, std::ostream& err) {
  if (g_db_command != nullptr) return g_db_command(request, out, err);
  err << "ooc db " << request.action
      << ": this build of ooc has no PostgreSQL engine (the self-contained binary does not link libpq); "
         "use an ooc built from source with OOC_POSTGRES=ON (the default: cmake --preset release)\n";
  return kExitFailure;
}

}  // namespace tools
