// The schema version of a team store database and its migrations (issue 14; the versions are in
// migrations.h, the tables in SCHEMA.md). Table ooc_schema holds one row per applied version:
// (version, applied_at, ooc_version). No row (or no table): version 0, an empty database.
//
// migrate() applies the pending versions in one transaction under a transaction-scoped advisory
// lock, so two processes migrating at once serialize: one applies, the other then finds nothing to
// do. A schema newer than this binary is never touched. Not thread-safe (one Connection).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pg/connection.h"
#include "storage/status.h"

namespace storage::pg::schema {

// The advisory lock migrate() holds: pg_advisory_xact_lock(kLockClass, kMigrationLock). The
// two-key form never collides with the one-key locks of sessions (SCHEMA.md "Sessions").
inline constexpr int32_t kLockClass = 0x6f6f63;  // "ooc"
inline constexpr int32_t kMigrationLock = 1;

struct AppliedVersion {
  int64_t version = 0;
  std::string applied_at;   // RFC 3339 UTC, milliseconds
  std::string ooc_version;  // the ooc that applied it
};

struct SchemaStatus {
  int64_t current = 0;  // the database's version; 0 when it has no ooc schema
  int64_t latest = 0;   // the newest version this binary knows
  std::vector<AppliedVersion> applied;  // oldest first
};

struct MigrateReport {
  int64_t from = 0;
  int64_t to = 0;
  std::vector<int64_t> applied;  // empty: the schema was already current
};

// The versions of the database `connection` is on.
Result<SchemaStatus> status(Connection& connection);

// Applies every pending version, recording `ooc_version` as the one that applied them. All or
// nothing. Refuses (io_error, nothing changed) a schema newer than this binary knows.
Result<MigrateReport> migrate(Connection& connection, std::string_view ooc_version);

// What an engine checks when it opens: ok only when the schema is exactly the latest. A newer
// schema: "... newer than this ooc knows ...: upgrade ooc"; an older one or none: "... run
// `ooc db migrate`". Both io_error naming the server.
Status check_version(Connection& connection);

}  // namespace storage::pg::schema
