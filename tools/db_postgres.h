// The PostgreSQL implementation of `ooc db migrate|status` (db_command.h), in its own library
// (ooc_tools_pg, linking libpq): main() installs it with set_db_command() when built with
// OOC_WITH_POSTGRES.
#pragma once

#include <ostream>

#include "tools/db_command.h"

namespace tools {

int run_postgres_db_command(const DbRequest& request, std::ostream& out, std::ostream& err);

}  // namespace tools
