// The PostgreSQL team store's opener (store_opener.h), in ooc_tools_pg (it links libpq): main()
// installs it with set_team_store_opener() when built with OOC_WITH_POSTGRES.
#pragma once

#include <memory>

#include "storage/store.h"
#include "tools/config.h"
#include "tools/store_opener.h"

namespace tools {

// A Store on storage::pg::PgEngine: OUT_OF_CONTEXT_STORAGE_URL checked (a password in it refused,
// naming the variable), then connected, the schema version checked and the team resolved.
storage::Result<std::unique_ptr<storage::Store>> open_postgres_store(const Config& config,
                                                                    storage::StoreOptions options);

}  // namespace tools
