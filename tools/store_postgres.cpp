#include "tools/store_postgres.h"

#include <utility>

#include "storage/pg/pg_engine.h"
#include "storage/pg/storage_url.h"

namespace tools {

storage::Result<std::unique_ptr<storage::Store>> open_postgres_store(const Config& config,
                                                                    storage::StoreOptions options) {
  storage::Result<storage::pg::StorageUrl> url = storage::pg::parse_storage_url(config.storage_url);
  if (!url.ok()) return url.status();
  storage::pg::PgEngineOptions engine;
  engine.url = std::move(url).value();
  engine.team = config.team;
  engine.store = std::move(options);
  auto opened = storage::pg::PgEngine::open(std::move(engine));
  if (!opened.ok()) return opened.status();
  return std::make_unique<storage::Store>(std::move(opened).value());
}

}  // namespace tools
