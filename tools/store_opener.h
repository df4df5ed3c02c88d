// Which engine a process's Store runs on (issue 14): the file store at OUT_OF_CONTEXT_STORAGE_PATH,
// or the PostgreSQL team store when OUT_OF_CONTEXT_STORAGE_URL is set. The team store's code links
// libpq, which ooc_tools does not: the executable that has it (the dynamic `ooc`, built with
// OOC_WITH_POSTGRES) installs it with set_team_store_opener() in main() before run_cli(); the
// self-contained binary has none and says so.
#pragma once

#include <memory>

#include "storage/store.h"
#include "tools/config.h"

namespace tools {

// Opens the team store `config` names (storage_url, team) with `options` (session, limits, lock
// timeout). Errors name the setting (OUT_OF_CONTEXT_STORAGE_URL, OUT_OF_CONTEXT_TEAM) or the server.
using TeamStoreOpener = storage::Result<std::unique_ptr<storage::Store>> (*)(const Config& config,
                                                                           storage::StoreOptions options);

// Installs the implementation (nullptr: none). Called once, before run_cli(); not thread-safe.
void set_team_store_opener(TeamStoreOpener opener);

// The store `config` names: the team store when config.storage_url is set (invalid_argument
// "OUT_OF_CONTEXT_STORAGE_URL is set, but this ooc has no PostgreSQL engine ..." without an
// opener), else the file store at config.storage_path (options.path is set here).
storage::Result<std::unique_ptr<storage::Store>> open_configured_store(const Config& config,
                                                                      storage::StoreOptions options);

// What messages call the store: the snapshot path, or "the team store (OUT_OF_CONTEXT_STORAGE_URL)".
std::string store_description(const Config& config);

}  // namespace tools
