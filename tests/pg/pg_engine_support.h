// Test support of the engine tests (pg_engine_*_test.cpp): a migrated database of the test's own,
// a PgEngine Store on it (team "core"; ooc_admin is a superuser, so row-level security does not
// apply: rls_test.cpp covers it), and a file engine Store in a temp dir to compare with.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "storage/clock.h"
#include "storage/pg/pg_engine.h"
#include "storage/pg/schema.h"
#include "storage/store.h"
#include "tests/pg/pg_test_support.h"
#include "tests/support/temp_dir.h"

namespace pgtest {

inline storage::SegmentDraft draft(std::string id, std::string text) {
  storage::SegmentDraft d;
  d.segment_id = std::move(id);
  d.text = std::move(text);
  return d;
}

inline void migrate(const TestDatabase& db) {
  auto c = db.connect();
  auto migrated = storage::pg::schema::migrate(*c, "test");
  REQUIRE_MESSAGE(migrated.ok(), migrated.status().to_string());
}

inline storage::pg::PgEngineOptions engine_options(const TestDatabase& db, const storage::Clock* clock,
                                                   const std::string& session = "") {
  storage::pg::PgEngineOptions options;
  options.url = db.url();
  options.team = "core";
  options.store.clock = clock;
  options.store.session_id = session;
  return options;
}

inline std::unique_ptr<storage::Store> open_pg(storage::pg::PgEngineOptions options) {
  auto engine = storage::pg::PgEngine::open(std::move(options));
  REQUIRE_MESSAGE(engine.ok(), engine.status().to_string());
  return std::make_unique<storage::Store>(std::move(engine).value());
}

inline std::unique_ptr<storage::Store> open_file(const testing::TempDir& dir, const storage::Clock* clock,
                                                 const std::string& session = "") {
  storage::StoreOptions options;
  options.path = dir.file("storage.json");
  options.clock = clock;
  options.session_id = session;
  options.compact_in_background = false;
  return storage::Store::open(options);
}

}  // namespace pgtest
