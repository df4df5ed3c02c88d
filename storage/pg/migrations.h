// The schema versions of the PostgreSQL team store (issue 14), as constant SQL text compiled into
// the binary; storage/pg/SCHEMA.md documents every table, column, index and policy.
//
// Rules (a test checks the first): a migration never drops a table or a column, and never rewrites
// data it cannot restore; it only adds (tables, nullable or defaulted columns, indexes, policies).
// Versions go 1, 2, 3... with no gaps; the last one is the latest this binary knows. A migration's
// text never changes once released: a fix is the next version.
#pragma once

#include <cstdint>
#include <span>

#include "storage/pg/connection.h"

namespace storage::pg {

struct Migration {
  int64_t version;
  const char* summary;  // one line for `ooc db status`
  Sql script;           // run inside migrate()'s transaction, after the previous versions
};

// Creates ooc_schema when missing; migrate() runs it first, under the migration lock.
inline constexpr Sql kSchemaTableScript =
    "CREATE TABLE IF NOT EXISTS ooc_schema ("
    "  version integer PRIMARY KEY CHECK (version > 0),"
    "  applied_at timestamptz NOT NULL DEFAULT now(),"
    "  ooc_version text NOT NULL)";

// Every migration, oldest first.
std::span<const Migration> migrations();
int64_t latest_schema_version();

}  // namespace storage::pg
