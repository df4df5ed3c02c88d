// Helpers for storage tests: a Store on a temp dir with a manual clock, and draft builders.
//
// With OOC_TEST_ENGINE_URL set (the ctest entry "engine suite on the PostgreSQL engine",
// tests/pg/run_tool_suite_on_pg), open_store without a file system of its own opens the
// PostgreSQL engine instead: that migrated database, with a team named after `path` (and this
// process), so opening the same path again opens the same store, as with files.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"
#include "tests/support/temp_dir.h"
#ifdef OOC_TESTS_WITH_POSTGRES
#include "storage/pg/pg_engine.h"
#include "storage/pg/storage_url.h"
#endif

namespace testing {

inline storage::SegmentDraft draft(std::string id, std::string text) {
  storage::SegmentDraft d;
  d.segment_id = std::move(id);
  d.text = std::move(text);
  return d;
}

// True when open_store opens the PostgreSQL engine (OOC_TEST_ENGINE_URL): the checks of files a
// test makes apply to the file engine only.
inline bool on_team_store() {
  const char* url = std::getenv("OOC_TEST_ENGINE_URL");
  return url != nullptr && *url != '\0';
}

// Store::open(options), or the PostgreSQL engine (see above) when options.fs is not set.
inline std::unique_ptr<storage::Store> open_store(const storage::StoreOptions& options) {
  if (options.fs == nullptr && on_team_store()) {
#ifdef OOC_TESTS_WITH_POSTGRES
    auto parsed = storage::pg::parse_storage_url(std::getenv("OOC_TEST_ENGINE_URL"));
    REQUIRE_MESSAGE(parsed.ok(), parsed.status().to_string());
    storage::pg::PgEngineOptions pg_options;
    pg_options.url = *parsed;
    pg_options.team =
        "tp" + std::to_string(::getpid()) + "x" + std::to_string(std::hash<std::string>{}(options.path) % 1000000007);
    pg_options.store = options;
    auto engine = storage::pg::PgEngine::open(std::move(pg_options));
    REQUIRE_MESSAGE(engine.ok(), engine.status().to_string());
    return std::make_unique<storage::Store>(std::move(engine).value());
#else
    FAIL("OOC_TEST_ENGINE_URL is set but these tests were built without the PostgreSQL engine");
#endif
  }
  return storage::Store::open(options);
}

inline std::unique_ptr<storage::Store> open_store(const std::string& path, const storage::Clock* clock,
                                                  storage::FileSystem* fs = nullptr,
                                                  storage::SyncMode sync = storage::SyncMode::kAlways) {
  storage::StoreOptions options;
  options.path = path;
  options.clock = clock;
  options.fs = fs;
  options.sync = sync;
  return open_store(options);
}

// Ids of every stashed segment of `project`, sorted.
inline std::vector<std::string> stashed_ids(storage::Store& store, const std::string& project) {
  auto all = store.export_stashed(project);
  REQUIRE(all.ok());
  std::vector<std::string> ids;
  for (const auto& s : *all) ids.push_back(s.segment_id);
  return ids;
}

// Files in `dir` whose name contains `part` (moved-aside copies, tmp files, ...).
inline std::vector<std::string> files_containing(const std::string& dir, const std::string& part) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(part) != std::string::npos) out.push_back(name);
  }
  return out;
}

}  // namespace testing
