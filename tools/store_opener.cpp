#include "tools/store_opener.h"

#include <utility>

namespace tools {
namespace {

TeamStoreOpener g_opener = nullptr;

}  // namespace

void set_team_store_opener(TeamStoreOpener opener) { g_opener = opener; }

storage::Result<std::unique_ptr<storage::Store>> open_configured_store(const Config& config,
                                                                      storage::StoreOptions options) {
  if (config.storage_url.empty()) {
    options.path = config.storage_path;
    return storage::Store::open(std::move(options));
  }
  if (g_opener == nullptr) {
    return storage::Status::invalid_argument(
        "OUT_OF_CONTEXT_STORAGE_URL is set, but this ooc has no PostgreSQL engine (the self-contained binary): "
        "build ooc from source with libpq (README \"Team store\"), or unset OUT_OF_CONTEXT_STORAGE_URL to use the "
        "file store");
  }
  return g_opener(config, std::move(options));
}

std::string store_description(const Config& config) {
  // Not the setting itself: a refused one may hold a password.
  return config.storage_url.empty() ? config.storage_path : std::string("the team store (OUT_OF_CONTEXT_STORAGE_URL)");
}

}  // namespace tools
